// What the channel cases share: their knobs, Twilio's request signature (X-Twilio-Signature), a
// signed inbound SMS as Twilio posts it, the account and SMS channel the cases run on (the server
// gets a CREDENTIALS_KEYS keyring from lib/server.mjs to seal its credentials), a fixed-rate
// (open-loop) driver, and an agent's WebSocket on a conversation that notes when each
// message.added frame arrived.
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, CONVERSATIONS, log, sleep } from "./config.mjs";
import { must, request, target } from "./http.mjs";
import { countError } from "./stats.mjs";
import { startFakeTwilio } from "./fake-twilio.mjs";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Webhooks/s (and REST sends/s, the baseline) of the inbound frame-latency case. */
export const INBOUND_RATE = num("BENCH_INBOUND_RATE", 200);
/** REST sends/s of the outbound case, round-robin over OUTBOUND_CONVERSATIONS SMS conversations. */
export const OUTBOUND_RATE = num("BENCH_OUTBOUND_RATE", 50);
export const OUTBOUND_CONVERSATIONS = num("BENCH_OUTBOUND_CONVERSATIONS", CONVERSATIONS);
/** How long a fixed-rate slice waits, once sent, for its frames or provider requests. */
export const SETTLE_TIMEOUT_MS = 30_000;

/** Twilio resource SIDs: two letters and 32 hex digits (SM… for messages, AC… for accounts). */
export const twilioSid = (prefix) => prefix + randomBytes(16).toString("hex");

/**
 * X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token, of the URL Twilio called followed
 * by every form field as key + value, keys sorted (a repeated key's values de-duplicated and
 * sorted). The same algorithm as src/channels/providers/twilio.ts `twilioSignature`, synchronous
 * here so the closed loop can sign each request as it makes it.
 */
export function twilioSignature(authToken, url, form) {
  const values = new Map();
  for (const [key, value] of form) values.set(key, (values.get(key) ?? new Set()).add(value));
  const signed = [...values.keys()]
    .sort()
    .map((key) => [...values.get(key)].sort().map((v) => key + v).join(""))
    .join("");
  return createHmac("sha1", authToken).update(url + signed).digest("base64");
}

// Twilio's published vector (test/vectors/twilio_request_signature.json, "default"): a wrong
// signature would only show as 401s mid-run.
{
  const form = new URLSearchParams({ CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" });
  if (twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form) !== "RSOYDt4T1cUTdK1PDd93/VVr8B8=") throw new Error("bench/lib/channels.mjs: twilioSignature does not match Twilio's vector");
}

/** A customer's phone number, distinct per (group, i): +1415556gggg style, E.164. */
export const customer = (group, i = 0) => `+1415556${String(group * 100 + i).padStart(4, "0")}`;

/**
 * A request for the load generator: an inbound SMS from `from` with `text` as Twilio posts it to
 * the channel's inbound URL (the fields of sim/payloads.ts `twilioInbound`), a fresh MessageSid,
 * signed over the channel's inbound_url (PUBLIC_BASE_URL, which scripts/local-server.mjs sets to
 * the server's real port, + /v1/inbound/{channel_id}).
 */
export function inboundWebhook(channel, from, text) {
  const sid = twilioSid("SM");
  const form = new URLSearchParams({
    ToCountry: "US",
    ToState: "",
    SmsMessageSid: sid,
    NumMedia: "0",
    ToCity: "",
    FromZip: "",
    SmsSid: sid,
    FromState: "",
    SmsStatus: "received",
    FromCity: "",
    Body: text,
    FromCountry: "US",
    To: channel.sender,
    ToZip: "",
    NumSegments: "1",
    MessageSid: sid,
    AccountSid: channel.credentials.account_sid,
    From: from,
    ApiVersion: "2010-04-01",
  });
  const body = form.toString();
  return {
    method: "POST",
    path: channel.inboundPath,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": Buffer.byteLength(body),
      "x-twilio-signature": twilioSignature(channel.credentials.auth_token, channel.inbound_url, form),
      "i-twilio-idempotency-token": sid,
    },
    body,
  };
}

/** Posts a webhook that must be taken in (setup). */
export async function mustPost(agent, r) {
  const res = await request(agent, r.method, r.path, r.headers, r.body);
  if (res.status !== 200) throw new Error(`${r.method} ${r.path} (signed webhook): expected 200, got ${res.status}: ${res.body.slice(0, 500)}`);
}

/** The fixed-rate sends' sockets: more than the closed loop's, so a slow server does not make the client queue. */
export const rateAgent = new http.Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 128 });

/**
 * The channel cases' own account, with an SMS channel on Twilio whose API base_url is a fake
 * Twilio in this process (lib/fake-twilio.mjs; a loopback base_url is allowed because the bench
 * server runs with ENVIRONMENT=development). Returns { key, accountId, channel, fake, close }.
 */
export async function setupChannels() {
  const fake = await startFakeTwilio();
  const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench channels" }, 201);
  const credentials = { account_sid: twilioSid("AC"), auth_token: randomBytes(16).toString("hex") };
  fake.expect(credentials.account_sid, credentials.auth_token);
  const made = await must("POST", "/v1/channels", api_key.key, { type: "sms", provider: "twilio", sender: "+15005550006", credentials, base_url: fake.url, friendly_name: "bench SMS" }, 201);
  const inbound = new URL(made.inbound_url);
  if (inbound.port !== String(target.port)) {
    throw new Error(`the channel's inbound_url ${made.inbound_url} is not on the server's port ${target.port}: PUBLIC_BASE_URL is wrong, and every signature would fail`);
  }
  const channel = { id: made.id, sender: made.sender, inbound_url: made.inbound_url, inboundPath: inbound.pathname, credentials };
  log(`channels: account ${account.id}, SMS channel ${channel.id} (${channel.sender}), fake Twilio API at ${fake.url}`);
  return { key: api_key.key, accountId: account.id, channel, fake, close: () => fake.close() };
}

/** The conversation a customer's first message went to (from the listing, which takes a moment). */
export async function conversationOf(key, address) {
  const deadline = performance.now() + 15_000;
  for (;;) {
    const page = await must("GET", `/v1/conversations?channel=sms&address=${encodeURIComponent(address)}`, key, undefined, 200);
    if (page.data.length > 0) return page.data[0].id;
    if (performance.now() > deadline) throw new Error(`no conversation listed for ${address} 15 s after its first webhook`);
    await sleep(100);
  }
}

/**
 * An agent's socket on a conversation (participant token as the second subprotocol, beside
 * parley.v1), opened once `ready` came. `seen` maps each message.added body to when it arrived.
 */
export async function agentSocket(key, conversationId, identity) {
  const { token } = await must("POST", "/v1/tokens", key, { identity, conversation_id: conversationId, ttl_seconds: 3600 }, 201);
  const url = `ws://${target.host}:${target.port}/v1/conversations/${conversationId}/stream`;
  const seen = new Map();
  const state = { seen, dups: 0, closed: null };
  const ws = new WebSocket(url, ["parley.v1", token]);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent's socket on ${conversationId} sent no ready frame in 10 s`)), 10_000);
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "ready") {
        clearTimeout(timer);
        resolve();
      } else if (frame.type === "message.added") {
        const body = frame.message.body;
        if (seen.has(body)) state.dups++;
        else seen.set(body, performance.now());
      }
    };
    ws.onerror = () => reject(new Error(`the agent's socket on ${conversationId} failed`));
    ws.onclose = (event) => {
      state.closed = event.code;
      reject(new Error(`the agent's socket on ${conversationId} closed (${event.code} ${event.reason})`));
    };
  });
  if (ws.protocol !== "parley.v1") log(`  warning: the stream answered subprotocol ${JSON.stringify(ws.protocol)}, not parley.v1`);
  state.close = () => ws.close();
  return state;
}

/**
 * Sends `make(k)` at `rate` per second for `ms` (open loop: each at its due time, whatever the
 * earlier ones are doing), noting when each one's POST started. Returns { sent, started (tag →
 * start time), httpLatencies, errors, errorKinds, achievedRate }; a request's `tag` names it, or
 * its `tagOf(responseBody)` once answered (a message id the server chose).
 */
export async function atRate(rate, ms, make, expected) {
  const result = { sent: 0, started: new Map(), httpLatencies: [], errors: 0, errorKinds: new Map(), achievedRate: 0 };
  const inflight = new Set();
  const total = Math.round((rate * ms) / 1000);
  const t0 = performance.now();
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const r = make(k);
    const start = performance.now();
    const p = request(rateAgent, r.method, r.path, r.headers, r.body).then((res) => {
      result.sent++;
      result.httpLatencies.push(res.ms);
      if (res.status === expected) result.started.set(r.tagOf ? r.tagOf(res.body) : r.tag, start);
      else {
        countError(result, res);
        if (result.errors <= 3) log(`  ${r.method} ${r.path} -> ${res.status} ${res.body.slice(0, 300)}`);
      }
      inflight.delete(p);
    });
    inflight.add(p);
  }
  await Promise.all(inflight);
  result.achievedRate = (result.sent * 1000) / (performance.now() - t0);
  return result;
}

/**
 * Waits until `arrivals` (tag → arrival time) holds every tag `started` holds, or `timeoutMs`;
 * returns the latencies (arrival − start) and how many never arrived.
 */
export async function collect(started, arrivals, timeoutMs = SETTLE_TIMEOUT_MS) {
  const deadline = performance.now() + timeoutMs;
  const pending = () => [...started.keys()].filter((tag) => !arrivals.has(tag)).length;
  while (pending() > 0 && performance.now() < deadline) await sleep(20);
  const latencies = [];
  for (const [tag, start] of started) if (arrivals.has(tag)) latencies.push(arrivals.get(tag) - start);
  return { latencies, missing: pending() };
}
