// Regenerates sdk/src/openapi.gen.ts from Parley's OpenAPI document.
//   node sdk/scripts/generate.mjs                 starts a throwaway local server and reads its /openapi.json
//   node sdk/scripts/generate.mjs <url|file>      reads the document from a running server or a file
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, startLocalServer } from "../../scripts/local-server.mjs";
import { renderTypes } from "./openapi-types.mjs";

const OUT = join(root, "sdk", "src", "openapi.gen.ts");

async function fromServer() {
  const state = await mkdtemp(join(tmpdir(), "parley-sdk-gen-"));
  const server = await startLocalServer({ persistTo: state, vars: { ADMIN_TOKEN: crypto.randomUUID() } });
  try {
    return await (await fetch(`${server.url}/openapi.json`)).json();
  } finally {
    await server.stop();
    await rm(state, { recursive: true, force: true });
  }
}

async function load(source) {
  if (!source) return fromServer();
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source.endsWith("/openapi.json") ? source : new URL("/openapi.json", source));
    if (!res.ok) throw new Error(`${source}: ${res.status}`);
    return res.json();
  }
  return JSON.parse(await readFile(source, "utf8"));
}

const document = await load(process.argv[2]);
await writeFile(OUT, await renderTypes(document));
console.log(`wrote ${OUT}`);
