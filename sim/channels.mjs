// The development channels `npm start` connects to the simulator: one per provider, created (or,
// on later runs, brought back in line) through Parley's own channels API with the dev key, with
// made-up credentials kept in .wrangler/parley-dev-channels.json, then handed to the simulator.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const hex = (bytes) => randomBytes(bytes).toString("hex");

/** What is connected; `path` is appended to the simulator's URL for the channel's base_url. */
export const DEV_CHANNELS = [
  // Twilio's own test "From" number; any E.164 number would do.
  { type: "sms", provider: "twilio", sender: "+15005550006", path: "", credentials: () => ({ account_sid: `AC${hex(16)}`, auth_token: hex(16) }) },
  // Meta's default base_url carries the Graph version; the simulator takes any vN.N.
  { type: "whatsapp", provider: "meta", sender: "106540352242922", path: "/v21.0", credentials: () => ({ access_token: `EAAsim${hex(24)}`, app_secret: hex(16), verify_token: hex(8) }) },
  { type: "messenger", provider: "meta", sender: "109876543210987", path: "/v21.0", credentials: () => ({ access_token: `EAAsim${hex(24)}`, app_secret: hex(16), verify_token: hex(8) }) },
  { type: "email", provider: "mailgun", sender: "support@parley.test", path: "", credentials: () => ({ api_key: `key-${hex(16)}`, signing_key: hex(16) }) },
];

async function call(parley, key, method, path, body) {
  const res = await fetch(`${parley}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * Connects (or updates) each development channel in the account of `key`, pointing it at `simUrl`,
 * and saves them with their credentials in `file`. Idempotent: a channel that exists (the same
 * type and sender) is PATCHed to the saved credentials and base_url rather than created again.
 */
export async function ensureDevChannels({ parley, key, simUrl, file }) {
  let saved = [];
  if (existsSync(file)) {
    try {
      saved = JSON.parse(readFileSync(file, "utf8")).channels ?? [];
    } catch {
      // unreadable: new credentials below, and the channels are PATCHed to them
    }
  }
  const existing = (await call(parley, key, "GET", "/v1/channels?limit=100")).data;
  const channels = [];
  for (const want of DEV_CHANNELS) {
    const same = (c) => c.type === want.type && c.sender === want.sender && c.provider === want.provider;
    const credentials = saved.find(same)?.credentials ?? want.credentials();
    const fields = { base_url: `${simUrl}${want.path}`, credentials, friendly_name: `Simulated ${want.provider} ${want.type}` };
    const found = existing.find(same);
    const channel = found
      ? await call(parley, key, "PATCH", `/v1/channels/${found.id}`, fields)
      : await call(parley, key, "POST", "/v1/channels", { type: want.type, provider: want.provider, sender: want.sender, ...fields });
    channels.push({ id: channel.id, type: channel.type, provider: channel.provider, sender: channel.sender, inbound_url: channel.inbound_url, base_url: channel.base_url, credentials });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ simulator: simUrl, parley, channels }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return channels;
}

/** Tells the simulator the channels (ids, inbound URLs, secrets): it checks auth and signs with them. */
export async function tellSimulator(simUrl, channels) {
  const res = await fetch(`${simUrl}/_sim/channels`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channels }) });
  if (!res.ok) throw new Error(`POST ${simUrl}/_sim/channels answered ${res.status}: ${await res.text()}`);
}
