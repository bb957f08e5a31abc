// The SDK's REST types, rendered from Parley's OpenAPI document with openapi-typescript. Shared by
// the generator (sdk/scripts/generate.mjs) and the drift test (test/e2e/sdk-types.test.ts), so both
// render byte for byte the same way.
import openapiTS, { astToString } from "openapi-typescript";

const HEADER = `// Generated from Parley's /openapi.json by openapi-typescript (sdk/scripts/generate.mjs).
// Do not edit: run \`npm run generate\` in sdk/; test/e2e/sdk-types.test.ts fails when this drifts.

`;

/**
 * @param {object} document the OpenAPI 3.1 document, as parsed JSON
 * @returns {Promise<string>} the TypeScript module's text
 */
export async function renderTypes(document) {
  // A copy: openapi-typescript annotates the object it is given.
  const ast = await openapiTS(structuredClone(document), { silent: true, alphabetize: false, defaultNonNullable: false });
  return HEADER + astToString(ast);
}
