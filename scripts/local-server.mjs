// Starts Parley as a real local Worker (`wrangler dev`: workerd with local Durable Objects, D1 and
// Queues), after applying the D1 migrations to the same local state. Used by `npm start`, the
// end-to-end tests and the benchmark, so all three run the server the same way.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Run wrangler's entry with this very node (22+ under npm scripts, which pin node@22), not whatever
// `node` a shebang would find on PATH.
const wranglerEntry = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const childEnv = () => ({
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  NO_COLOR: "1",
  // wrangler's local trace store records every span into SQLite: it halves local throughput and
  // grows without bound under load.
  X_LOCAL_OBSERVABILITY: "false",
});

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} options
 * @param {number} [options.port]
 * @param {string} [options.config] wrangler config, relative to the repo root
 * @param {string} options.persistTo directory for local D1/DO state
 * @param {Record<string,string>} [options.vars] extra vars/secrets (e.g. ADMIN_TOKEN)
 * @param {boolean} [options.inherit] show wrangler's output (npm start) instead of buffering it
 */
export async function startLocalServer({ port, config = "wrangler.toml", persistTo, vars = {}, inherit = false }) {
  port ??= await freePort();
  const migrate = spawnSync(process.execPath, [wranglerEntry, "d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", persistTo], {
    cwd: root,
    encoding: "utf8",
    env: { ...childEnv(), CI: "true" },
  });
  if (migrate.status !== 0) throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const args = ["dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo, "--inspector-port", String(await freePort())];
  // The server's own origin, whatever port it got: channels' inbound URLs (and the URL Twilio signs) name it.
  for (const [name, value] of Object.entries({ PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...vars })) args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, [wranglerEntry, ...args], {
    cwd: root,
    stdio: inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    env: childEnv(),
    detached: process.platform !== "win32",
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`wrangler dev did not answer /health within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  function stop() {
    if (child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", resolve);
      try {
        process.kill(-child.pid, "SIGTERM"); // the whole group: wrangler and its workerd
      } catch {
        child.kill("SIGTERM");
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5_000).unref();
    });
  }

  return { url, port, stop, output: () => output };
}
