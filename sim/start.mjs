// Starts the provider simulator (sim/wrangler.toml) with `wrangler dev`, the way
// scripts/local-server.mjs starts Parley, minus the D1 migrations it has no use for. Used by
// `npm start` (scripts/dev.mjs) and test/e2e/sim.test.ts.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, root } from "../scripts/local-server.mjs";

const wranglerEntry = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * @param {object} options
 * @param {number} [options.port] default: a free one
 * @param {string} options.persistTo directory for the simulator's Durable Object state
 * @param {string} options.logFile where wrangler's output goes (read back when it fails to start)
 * @param {Record<string,string>} [options.vars] e.g. RECEIPT_DELAY_MS
 */
export async function startSimulator({ port, persistTo, logFile, vars = {} }) {
  port ??= await freePort();
  const args = ["dev", "--config", "sim/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo, "--inspector-port", String(await freePort())];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  // Output to a file, not a pipe: nothing has to keep reading it, and `npm start` stays quiet.
  const log = openSync(logFile, "w");
  const child = spawn(process.execPath, [wranglerEntry, ...args], {
    cwd: root,
    stdio: ["ignore", log, log],
    env: { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", X_LOCAL_OBSERVABILITY: "false" },
    detached: process.platform !== "win32",
  });
  closeSync(log);
  // Whoever started it decides when it ends: it must not keep node alive by itself.
  child.unref();
  const output = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };

  function stopNow() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, "SIGTERM"); // wrangler and its workerd
    } catch {
      child.kill("SIGTERM");
    }
  }
  function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      // Not unref'd: it keeps node waiting for the exit, which clears it.
      const kill = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
        resolve();
      }, 5_000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      stopNow();
    });
  }

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the simulator's wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopNow();
      throw new Error(`the simulator did not answer /health within 90 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, stop, stopNow, output };
}
