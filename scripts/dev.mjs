// `npm start`: Parley on http://127.0.0.1:8787 with local D1, Durable Objects and Queues (all state
// under .wrangler/state), plus a development account whose API key is printed and kept in
// .wrangler/parley-dev-key. No Cloudflare account or login is needed. Beside it, the provider
// simulator (sim/) on :8788, and development channels (SMS, WhatsApp, Messenger, email) pointing at
// it, so no provider account is needed either.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = 8787;
const SIM_PORT = 8788;
const PLACEHOLDER = "replace-me-with-a-long-random-secret";
const devVars = join(root, ".dev.vars");
const devVarsExample = join(root, ".dev.vars.example");
const keyFile = join(root, ".wrangler", "parley-dev-key");
const channelsFile = join(root, ".wrangler", "parley-dev-channels.json");
const simLog = join(root, ".wrangler", "sim.log");

// Wrangler needs Node 22+. `npm start` already runs on the node@22 the project pins; a bare
// `node scripts/dev.mjs` on an older node hands over to that one.
if (Number(process.versions.node.split(".")[0]) < 22) {
  const pinned = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(pinned)) {
    console.error(`Parley needs Node 22+ (this is ${process.version}). Run \`npm install\` first, then \`npm start\`.`);
    process.exit(1);
  }
  const run = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}

const { startLocalServer } = await import("./local-server.mjs");
const { startSimulator } = await import("../sim/start.mjs");
const { ensureDevChannels, tellSimulator } = await import("../sim/channels.mjs");

/**
 * The secrets .dev.vars must hold, each made at random where it is missing or still the placeholder
 * of .dev.vars.example. A value already set is never replaced: a new CREDENTIALS_KEYS would leave
 * the local channels' credentials unreadable.
 */
const DEV_SECRETS = {
  ADMIN_TOKEN: { placeholder: PLACEHOLDER, make: () => randomBytes(32).toString("hex") },
  // Single-quoted: dotenv then takes the JSON as it is.
  CREDENTIALS_KEYS: {
    placeholder: "replace-me-with-a-keyring",
    make: () => `'${JSON.stringify({ current: "dev1", keys: { dev1: randomBytes(32).toString("base64") } })}'`,
  },
};

/** .dev.vars with real secrets (created from .dev.vars.example on first run); returns the admin token. */
function ensureDevVars() {
  const created = !existsSync(devVars);
  if (created) copyFileSync(devVarsExample, devVars);
  let text = readFileSync(devVars, "utf8");
  const made = [];
  let adminToken;
  for (const [name, { placeholder, make }] of Object.entries(DEV_SECRETS)) {
    const line = new RegExp(`^[ \\t]*${name}[ \\t]*=(.*)$`, "m");
    const raw = text.match(line)?.[1];
    // As dotenv reads it: a quoted value whole, an unquoted one up to a ` #` comment.
    const current = raw === undefined ? undefined : (raw.trim().match(/^(["'])(.*?)\1/)?.[2] ?? raw.replace(/\s#.*$/, "").trim());
    let value = current;
    if (!current || current === placeholder) {
      const assignment = `${name}=${make()}`;
      text = raw === undefined ? `${text.replace(/\n?$/, "\n")}${assignment}\n` : text.replace(line, () => assignment);
      value = assignment.slice(name.length + 1);
      made.push(name);
    }
    if (name === "ADMIN_TOKEN") adminToken = value;
  }
  if (made.length > 0) {
    writeFileSync(devVars, text);
    chmodSync(devVars, 0o600);
    console.log(`${created ? "Created .dev.vars from .dev.vars.example" : "Updated .dev.vars"} with a fresh random ${made.join(" and ")}.`);
  }
  return adminToken;
}

/** Fails early and clearly when something (perhaps another `npm start`) already holds the port. */
function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e) =>
      reject(e.code === "EADDRINUSE" ? new Error(`port ${port} is already in use (is Parley already running?); stop that first`) : e),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** The dev account's key from .wrangler/parley-dev-key if it still works, else a new account's. */
async function ensureDevKey(url, adminToken) {
  if (existsSync(keyFile)) {
    const saved = readFileSync(keyFile, "utf8").trim();
    if (saved) {
      const res = await fetch(`${url}/v1/conversations?limit=1`, { headers: { authorization: `Bearer ${saved}` } });
      if (res.ok) return { key: saved, reused: true };
      if (res.status !== 401) throw new Error(`checking the saved dev key: GET /v1/conversations answered ${res.status}: ${await res.text()}`);
    }
  }
  const res = await fetch(`${url}/v1/accounts`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Development" }),
  });
  if (res.status !== 201) throw new Error(`creating the dev account: POST /v1/accounts answered ${res.status}: ${await res.text()}`);
  const created = await res.json();
  const key = created.api_key.key;
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return { key, reused: false, accountId: created.account.id };
}

/**
 * Connects the development channels to the simulator and tells it about them; the banner's part
 * about them. A failure here is reported, not fatal: the API works without them.
 */
async function devChannels(url, key, simError) {
  const because = (e) => (e instanceof Error ? e.message : String(e)).split("\n")[0];
  if (!sim) return `\n  The provider simulator did not start (${because(simError)}); see ${relative(process.cwd(), simLog) || simLog}.\n`;
  let channels;
  try {
    channels = await ensureDevChannels({ parley: url, key, simUrl: sim.url, file: channelsFile });
    await tellSimulator(sim.url, channels);
  } catch (error) {
    return `\n  The provider simulator runs at ${sim.url}, but the development channels could not be set up: ${because(error)}\n`;
  }
  const rows = channels.map((c) => `    ${c.type.padEnd(10)}${c.provider.padEnd(9)}${c.sender.padEnd(22)}${c.id}  ${c.inbound_url}`).join("\n");
  return `
  Provider simulator: ${sim.url}  (write as a customer there, or: node sim/say.mjs --channel sms --from +14155550123 "hello")
  Development channels, sending through the simulator (made-up credentials in ${relative(process.cwd(), channelsFile) || channelsFile}):
    type      provider sender                id                               inbound_url
${rows}
`;
}

let server;
let sim;
let simStarting;
let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  // Still starting: the server is stopped as soon as startLocalServer hands it over (below).
  if (!server) return console.log(`\n${signal}: Parley will stop as soon as it has started…`);
  console.log(`\n${signal}: stopping Parley…`);
  // A simulator still starting would be left running (it is in a process group of its own).
  await simStarting;
  await Promise.all([server.stop(), sim?.stop()]);
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void shutdown(signal));
// A signal sent to npm alone (not to the terminal's whole process group) may not reach us: stop the
// server too when whoever started us goes away.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void shutdown("parent process exited"), 1000).unref();
// Node exits by itself once wrangler is gone; that is only expected after a signal.
let failed = false;
process.on("exit", () => {
  // The simulator does not keep node alive by itself: whenever we go, it goes.
  sim?.stopNow();
  if (server && !stopping && !failed) {
    console.error("\nwrangler dev exited; Parley is no longer running.");
    process.exitCode = 1;
  }
});

try {
  const adminToken = ensureDevVars();
  await assertPortFree(PORT);
  // The simulator is a convenience: when it cannot start, Parley still runs, without dev channels.
  simStarting = assertPortFree(SIM_PORT)
    .then(() => startSimulator({ port: SIM_PORT, persistTo: ".wrangler/sim-state", logFile: simLog }))
    .then((started) => (sim = started))
    .catch((error) => error);
  console.log(`Starting Parley (wrangler dev) on http://127.0.0.1:${PORT} and the provider simulator on http://127.0.0.1:${SIM_PORT} …`);
  server = await startLocalServer({ port: PORT, persistTo: ".wrangler/state", inherit: true });
  const simError = await simStarting;
  if (stopping) {
    await Promise.all([server.stop(), sim?.stop()]);
    process.exit(0);
  }
  const dev = await ensureDevKey(server.url, adminToken);
  const simulator = await devChannels(server.url, dev.key, simError);
  const example = JSON.stringify({
    friendly_name: "Order #1042",
    participants: [
      { kind: "customer", channel: "sms", address: "+14155550100" },
      { kind: "agent", identity: "agent-ada" },
    ],
    message: { author: "agent-ada", body: "Hi! How can we help?" },
  });
  console.log(`
Parley is running at ${server.url}  (API reference: ${server.url}/docs · OpenAPI: ${server.url}/openapi.json)
  Agent console: ${server.url}/console/  (sign in with the key below and an agent identity, e.g. agent-ada)

  Development API key${dev.reused ? " (reused)" : dev.accountId ? ` (new account ${dev.accountId})` : ""}:
    ${dev.key}
  stored in ${relative(process.cwd(), keyFile) || keyFile}; the admin token is ADMIN_TOKEN in ${relative(process.cwd(), devVars) || devVars}.

  Create a conversation with a first message:

    curl -s ${server.url}/v1/conversations \\
      -H "Authorization: Bearer ${dev.key}" \\
      -H "Content-Type: application/json" \\
      -d '${example}'
${simulator}
Press Ctrl+C to stop.
`);
} catch (error) {
  failed = true;
  if (!stopping) console.error(`\nnpm start failed: ${error instanceof Error ? error.message : error}`);
  await Promise.all([server?.stop(), sim?.stop()]);
  process.exit(stopping ? 0 : 1);
}
