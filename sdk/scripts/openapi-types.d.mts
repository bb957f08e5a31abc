// Types for sdk/scripts/openapi-types.mjs, so the drift test is checked.
/** The text of sdk/src/openapi.gen.ts for an OpenAPI document. */
export declare function renderTypes(document: object): Promise<string>;
