// The server under test: `wrangler dev` on a one-off bundle of bench/worker.ts (the real Worker
// plus the bench-only routes and Durable Objects), after checking that bench/wrangler.toml still
// binds what ../wrangler.toml binds.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_TOKEN, log } from "./config.mjs";
import { target } from "./http.mjs";

const root = join(fileURLToPath(import.meta.url), "..", "..", "..");

/**
 * The keyring the server seals channel credentials under (the channel cases connect an SMS
 * channel), fresh each run, in the shape scripts/dev.mjs makes for .dev.vars.
 */
const CREDENTIALS_KEYS = JSON.stringify({ current: "bench", keys: { bench: randomBytes(32).toString("base64") } });

/** The `[[section]]` / `[section]` blocks of a TOML file as { section, lines }, plus top-level keys. */
function tomlBlocks(text) {
  const blocks = [{ section: "", lines: [] }];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    const header = line.match(/^\[\[?\s*([^\]]+?)\s*\]\]?$/);
    if (header) blocks.push({ section: header[1], lines: [] });
    else blocks.at(-1).lines.push(line.replace(/\s*=\s*/, " = "));
  }
  return blocks;
}

/**
 * What ../wrangler.toml declares (bindings, DO migrations, compatibility settings) that
 * bench/wrangler.toml lacks. Paths differ by design (`migrations_dir`, `main`), names may too.
 */
export function configDrift() {
  const mine = tomlBlocks(readFileSync(join(root, "bench", "wrangler.toml"), "utf8"));
  const missing = [];
  for (const block of tomlBlocks(readFileSync(join(root, "wrangler.toml"), "utf8"))) {
    // [assets] and [build] are what the root serves and how it makes it (the console), not bindings.
    if (["vars", "observability", "assets", "build"].includes(block.section)) continue;
    // Deployment environments ([env.production], with its Workers AI binding) are not what a local run serves.
    if (block.section.startsWith("env.")) continue;
    // Top level: only the compatibility settings; in a section, all but the paths and the placeholder id.
    const needed = block.lines.filter((l) => (block.section === "" ? /^compatibility_/.test(l) : !/^(migrations_dir|database_id) = /.test(l)));
    if (needed.length === 0) continue;
    const found = mine.some((b) => b.section === block.section && needed.every((l) => b.lines.includes(l)));
    if (!found) missing.push(`${block.section ? `[${block.section}] ` : ""}${needed.join(", ")}`);
  }
  return missing;
}

/**
 * Bundles bench/worker.ts once and writes a config that runs that bundle as is, so the run measures
 * one version of the code: `wrangler dev` on bench/wrangler.toml itself would rebuild and restart
 * the Worker whenever a source file changes mid-run. Returns the config's absolute path.
 */
function snapshot(work) {
  const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const outdir = join(work, "bundle");
  const build = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir, "--config", "bench/wrangler.toml"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
  });
  if (build.status !== 0) throw new Error(`bundling bench/worker.ts failed:\n${build.stdout}\n${build.stderr}`);
  const config = readFileSync(join(root, "bench", "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(outdir, "worker.js"))}\nno_bundle = true`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, dir) => `migrations_dir = ${JSON.stringify(join(root, "bench", dir))}`);
  const path = join(work, "wrangler.toml");
  writeFileSync(path, config);
  return path;
}

/**
 * Starts the server (BENCH_LIVE=1: on bench/wrangler.toml itself, rebuilding on source changes),
 * runs `body` against it, stops it and shows the error lines wrangler logged meanwhile. Sets
 * process.exitCode to 1 if the server cannot start or `body` throws.
 */
export async function withServer(body) {
  // Request logs cost wrangler dev a loopback call into its node process per request; no Worker
  // in production pays that, so the bench turns them off (warnings and errors still show).
  process.env.WRANGLER_LOG ??= "warn";
  // Local observability (on by default in wrangler dev) writes every span of every request into a
  // SQLite trace store: more than half the throughput here, and more for the send path (DO RPC,
  // SQL, D1) than for the ceiling. Production has nothing like it, so the bench turns it off.
  process.env.X_LOCAL_OBSERVABILITY ??= "false";
  const { startLocalServer } = await import("../../scripts/local-server.mjs");
  const work = mkdtempSync(join(tmpdir(), "parley-bench-"));
  const persistTo = join(work, "state");
  let server;
  const cleanup = async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

  try {
    const drift = configDrift();
    if (drift.length > 0) throw new Error(`bench/wrangler.toml is out of step with wrangler.toml; add:\n  ${drift.join("\n  ")}`);
    const config = process.env.BENCH_LIVE ? "bench/wrangler.toml" : snapshot(work);
    server = await startLocalServer({ config, persistTo, vars: { ADMIN_TOKEN, CREDENTIALS_KEYS } });
  } catch (e) {
    console.error(`the local server did not start:\n${e instanceof Error ? e.message : e}`);
    await cleanup();
    process.exitCode = 1;
    return;
  }
  target.port = server.port;
  log(`wrangler dev on ${server.url} (state in ${persistTo})`);

  try {
    await body(server);
  } catch (e) {
    console.error(`the bench failed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  } finally {
    const output = server.output();
    await cleanup();
    const problems = output.split("\n").filter((l) => /error|exception|uncaught/i.test(l) && !/Request\.cf|getaddrinfo|workers\.cloudflare\.com/.test(l));
    if (problems.length > 0) {
      console.log(`\nwrangler dev logged ${problems.length} error line(s); the first ones:`);
      for (const l of problems.slice(0, 10)) console.log(`  ${l}`);
    }
  }
}
