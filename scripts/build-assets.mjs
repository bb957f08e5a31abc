// Builds what wrangler.toml's [assets] serves from public/ and git does not keep: the agent console's
// script (console/src, TypeScript on the SDK, bundled by esbuild into public/console/app.js) and the
// API reference's script (@scalar/api-reference's standalone build, copied to public/vendor/ so that
// /docs loads nothing from a CDN). wrangler runs it as the [build] command before `wrangler dev`
// (npm start, the end-to-end and browser tests, the bench) and `wrangler deploy`.
//
// Several `wrangler dev` may start at once (test files run in parallel), each running this: every
// file is written beside its target and renamed over it, so no server ever serves half a file.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const suffix = `.${process.pid}.tmp`;

function place(target, write) {
  mkdirSync(dirname(target), { recursive: true });
  write(target + suffix);
  renameSync(target + suffix, target);
}

const bundle = await build({
  entryPoints: [join(root, "console", "src", "main.ts")],
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  minify: true,
  sourcemap: "linked",
  outfile: join(root, "public", "console", "app.js"),
  write: false,
  logLevel: "warning",
});
for (const file of bundle.outputFiles) place(file.path, (tmp) => writeFileSync(tmp, file.contents));

const require = createRequire(import.meta.url);
const scalar = require.resolve("@scalar/api-reference/browser/standalone.js");
place(join(root, "public", "vendor", "scalar", "standalone.js"), (tmp) => copyFileSync(scalar, tmp));
