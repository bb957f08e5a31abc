// AI drafts (issue 9, BENCH_AI_ONLY=1): how long a customer's message takes to become a draft with
// the offline engine, beside the plain inbound path in the same run, on an account of its own.
// - draft: a customer's message (POST …/messages as the conversation's chat customer) into a
//   conversation where AI is on, to the `draft.created` frame on an agent's socket there: the
//   commit, the assist outbox sink, the DRAFTS queue, its consumer (the conversation's context,
//   BM25 retrieval over a 12-passage knowledge base in D1, the offline engine, the gates) and the
//   draft's transaction back in the conversation (an auto-send included);
// - plain: the same message into a conversation of the same account where AI is off for the
//   conversation, to its `message.added` frame: the inbound path without drafting.
// At BENCH_DRAFT_RATE messages/s (10) round robin over BENCH_DRAFT_CONVERSATIONS (20) per side,
// BENCH_ROUNDS slices of BENCH_SLICE_MS each side, interleaved, after a BENCH_WARMUP_MS warm-up.
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, SLICE_MS, WARMUP_MS, fmt, log } from "../lib/config.mjs";
import { jsonHeaders, must, target } from "../lib/http.mjs";
import { latencySummary } from "../lib/stats.mjs";
import { atRate } from "../lib/channels.mjs";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const RATE = num("BENCH_DRAFT_RATE", 10);
const CONVERSATIONS = num("BENCH_DRAFT_CONVERSATIONS", 20);
const SETTLE_MS = 30_000;

const FAQ = `# Help
## How long does standard shipping take?
Standard shipping takes 3 to 5 business days. Orders placed before 2 pm leave the same day.
## How much does shipping cost?
Shipping is free over 50 EUR; below that it costs 4.90 EUR.
## How do I track my parcel?
You get an email with a tracking number once the order ships; open Orders in your account to follow it.
## What is your return policy?
Any item can be returned within 30 days, unused and in its packaging, for a full refund.
## How long does a refund take?
Refunds are issued within 5 business days of the return reaching the warehouse.
## Which payment methods do you accept?
Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and bank transfer.
## Can I pay in instalments?
Orders over 100 EUR can be paid in three monthly instalments at checkout.
## How do I reset my password?
Click Forgot password on the sign-in page; the link works for one hour.
## How do I change my email address?
Open Settings, choose Email and confirm the new address with the code we send.
## How long is the warranty?
Every product has a two-year warranty against manufacturing defects.
## Do you ship internationally?
We ship across the European Union, the United Kingdom, Norway and Switzerland.
## Do you have a physical store?
We sell online only; pickup points hold your parcel.`;

const QUESTIONS = [
  "How long does standard shipping take?",
  "the tracking code shows nothing",
  "How do I reset my password?",
  "Which payment methods do you accept?",
  "is delivery free?",
  "What's the weather like today?",
];

/** A socket on the conversation as its agent; `seen` maps message ids to when their frame (of `type`) came. */
async function socketOn(key, conversationId, type) {
  const { token } = await must("POST", "/v1/tokens", key, { identity: "bench-agent", conversation_id: conversationId, ttl_seconds: 3600 }, 201);
  const seen = new Map();
  const ws = new WebSocket(`ws://${target.host}:${target.port}/v1/conversations/${conversationId}/stream`, ["parley.v1", token]);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready on ${conversationId}`)), 10_000);
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "ready") {
        clearTimeout(timer);
        resolve();
      } else if (type === "draft.created" && frame.type === "draft.created") seen.set(frame.draft.message_id, performance.now());
      else if (type === "message.added" && frame.type === "message.added" && frame.message.author_kind === "customer") seen.set(frame.message.id, performance.now());
    };
    ws.onerror = () => reject(new Error(`socket on ${conversationId} failed`));
  });
  return { seen, close: () => ws.close() };
}

async function conversations(key, ai) {
  const out = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    const conv = await must("POST", "/v1/conversations", key, { participants: [{ kind: "customer", identity: `cust-${i}` }, { kind: "agent", identity: "bench-agent" }] }, 201);
    if (!ai) await must("PATCH", `/v1/conversations/${conv.id}/handoff`, key, { ai_enabled: false }, 200);
    out.push({ id: conv.id, author: `cust-${i}`, socket: await socketOn(key, conv.id, ai ? "draft.created" : "message.added") });
  }
  return out;
}

async function collectAll(started, convs) {
  const deadline = performance.now() + SETTLE_MS;
  const arrival = (id) => convs.map((c) => c.socket.seen.get(id)).find((t) => t !== undefined);
  while ([...started.keys()].some((id) => arrival(id) === undefined) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const latencies = [];
  let missing = 0;
  for (const [id, start] of started) {
    const at = arrival(id);
    if (at === undefined) missing++;
    else latencies.push(at - start);
  }
  return { latencies, missing };
}

export async function runDraftCases() {
  const { api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench-ai" }, 201);
  const key = api_key.key;
  await must("PATCH", "/v1/settings", key, { ai: { enabled: true, escalation: { low_confidence_streak: 0, keywords: [] } } }, 200);
  await must("POST", "/v1/knowledge", key, { title: "Help", format: "markdown", content: FAQ }, 201);
  const sides = { draft: await conversations(key, true), plain: await conversations(key, false) };
  log(`AI drafts: ${CONVERSATIONS} conversations with AI on and ${CONVERSATIONS} with it off, an agent's socket on each; ${RATE} customer messages/s`);
  const make = (side, prefix) => (k) => {
    const c = sides[side][k % sides[side].length];
    const body = JSON.stringify({ author: c.author, body: `${QUESTIONS[k % QUESTIONS.length]}` });
    return { method: "POST", path: `/v1/conversations/${c.id}/messages`, headers: jsonHeaders(key, body), body, tag: `${prefix} ${k}`, tagOf: (res) => JSON.parse(res).id };
  };
  const results = { draft: [], plain: [] };
  let missing = { draft: 0, plain: 0 };
  const slice = async (side, prefix, ms, keep) => {
    const sent = await atRate(RATE, ms, make(side, prefix), 201);
    const got = await collectAll(sent.started, sides[side]);
    if (keep) {
      results[side].push(...got.latencies);
      missing[side] += got.missing;
    }
  };
  for (const side of ["draft", "plain"]) await slice(side, `warm ${side}`, WARMUP_MS, false);
  for (let round = 1; round <= ROUNDS; round++) {
    log(`  round ${round}/${ROUNDS}: ${RATE}/s into AI conversations (to draft.created), then into plain ones (to message.added), ${SLICE_MS / 1000} s each`);
    for (const side of ["draft", "plain"]) await slice(side, `r${round} ${side}`, SLICE_MS, true);
  }
  for (const side of Object.values(sides)) for (const c of side) c.socket.close();
  const drafts = await must("GET", "/v1/drafts?limit=100", key, undefined, 200);
  const engines = new Set(drafts.data.map((d) => d.engine));
  return { results, missing, engines: [...engines] };
}

export function draftReport({ results, missing, engines }) {
  console.log("");
  console.log(`AI drafts (issue 9): a customer's message to its draft.created frame with the offline engine (engines seen: ${engines.join(", ")}),`);
  console.log(`beside the plain inbound path (AI off for the conversation) to its message.added frame; ${RATE}/s over ${CONVERSATIONS} conversations each, ${ROUNDS} interleaved slices\n`);
  const line = (label, values, lost) => {
    const s = latencySummary(values);
    console.log(`  ${label.padEnd(44)} n ${String(values.length).padStart(5)}   p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms   max ${fmt(s.max)} ms   missing ${lost}`);
    return s;
  };
  const plain = line("plain: message -> message.added", results.plain, missing.plain);
  const draft = line("draft: message -> draft.created", results.draft, missing.draft);
  console.log(`  drafting adds p50 ${fmt(draft.p50 - plain.p50)} ms, p99 ${fmt(draft.p99 - plain.p99)} ms to the inbound path`);
}
