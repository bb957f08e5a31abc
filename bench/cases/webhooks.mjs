// Webhooks (issue 12): Parley's signed webhooks, REST send -> outbox -> PROJECTION queue -> D1 ->
// enqueueWebhooks -> WEBHOOKS queue -> consumer -> a signed POST to an endpoint, here a receiver in
// this process (lib/webhook-receiver.mjs) that checks each signature and notes when each
// message.added event arrived, by `data.message.id`. Each case has an account of its own, whose
// endpoints subscribe to `message.added`:
// - latency: REST sends at WEBHOOK_RATE/s into one conversation (ROUNDS × SLICE_MS after a
//   warm-up), from each POST's start to its event at the one endpoint (p50/p99), beside the send's
//   own latency (its 201);
// - events/s: WEBHOOK_BURST_SENDS sends, closed loop at WEBHOOK_BURST_CONCURRENCY, to an account with
//   10 endpoints: deliveries per second across them, from the first send to the last delivery, and
//   over the middle 80% of the deliveries (the steady rate), against the 10 × sends/s offered;
// - a failing endpoint: REST sends at WEBHOOK_FAIL_RATE/s for WEBHOOK_FAIL_MS to an account with one
//   healthy endpoint, then the same with a second endpoint on the account that takes each POST and
//   never answers (Parley gives up after LIMITS.webhookTimeoutMs, 10 s): the healthy endpoint's
//   latency both times; meanwhile as many sends to another account with a healthy endpoint of its
//   own (the WEBHOOKS queue is shared by every account). Run last: its jobs hold the consumer for a
//   while (the endpoint is disabled and its receiver closed at the end, so their retries are dropped).
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, SLICE_MS, WARMUP_MS, log } from "../lib/config.mjs";
import { jsonHeaders, must, request } from "../lib/http.mjs";
import { atRate, collect, rateAgent } from "../lib/channels.mjs";
import { startReceiver } from "../lib/webhook-receiver.mjs";
import { countError } from "../lib/stats.mjs";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** REST sends/s of the latency case. */
export const WEBHOOK_RATE = num("BENCH_WEBHOOK_RATE", 20);
/** Endpoints of the events/s case, and its sends (each one event per endpoint). */
export const WEBHOOK_ENDPOINTS = 10;
export const WEBHOOK_BURST_SENDS = num("BENCH_WEBHOOK_SENDS", 400);
export const WEBHOOK_BURST_CONCURRENCY = num("BENCH_WEBHOOK_CONCURRENCY", 4);
/** The failing-endpoint case: sends/s and how long, with and without the hanging endpoint. */
export const WEBHOOK_FAIL_RATE = num("BENCH_WEBHOOK_FAIL_RATE", 5);
export const WEBHOOK_FAIL_MS = num("BENCH_WEBHOOK_FAIL_MS", 6000);
/** How long a case waits for its deliveries once its sends are done. */
const SETTLE_MS = 120_000;

/** An account of its own, a conversation with an agent, and its endpoints (one per receiver). */
async function setup(name, receivers) {
  const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name }, 201);
  const key = api_key.key;
  const hooks = [];
  for (const r of receivers) hooks.push(await subscribe(key, r));
  const conv = await must("POST", "/v1/conversations", key, { friendly_name: name, participants: [{ kind: "agent", identity: "agent" }] }, 201);
  return { accountId: account.id, key, conversationId: conv.id, hooks };
}

/** A webhook on `receiver`'s URL for message.added; the receiver checks signatures with its secret. */
async function subscribe(key, receiver) {
  const hook = await must("POST", "/v1/webhooks", key, { url: receiver.url, events: ["message.added"], description: "bench" }, 201);
  receiver.setSecret(hook.secret);
  return hook;
}

/** A REST send whose tag is the message id it answers (the events carry it as data.message.id). */
const sender = (key, conversationId, prefix) => (k) => {
  const body = JSON.stringify({ author: "agent", body: `${prefix} ${k}` });
  return { method: "POST", path: `/v1/conversations/${conversationId}/messages`, headers: jsonHeaders(key, body), body, tagOf: (text) => JSON.parse(text).id };
};

/** Fixed-rate sends, then their deliveries to `receiver`: the atRate result with latencies and missing. */
async function rateSlice(rate, ms, make, receiver, settleMs = SETTLE_MS) {
  const sent = await atRate(rate, ms, make, 201);
  const { latencies, missing } = await collect(sent.started, receiver.arrivals, settleMs);
  return { ...sent, rate, latencies, missing };
}

/** Merges fixed-rate slices into one run (the shape report.mjs's rate lines read). */
function merge(list) {
  const errorKinds = new Map();
  for (const r of list) for (const [k, v] of r.errorKinds) errorKinds.set(k, (errorKinds.get(k) ?? 0) + v);
  return {
    rate: list[0].rate,
    sent: list.reduce((n, r) => n + r.sent, 0),
    achievedRate: list.reduce((n, r) => n + r.achievedRate, 0) / list.length,
    httpLatencies: list.flatMap((r) => r.httpLatencies),
    latencies: list.flatMap((r) => r.latencies),
    perRound: list.map((r) => r.latencies),
    missing: list.reduce((n, r) => n + r.missing, 0),
    errors: list.reduce((n, r) => n + r.errors, 0),
    errorKinds,
  };
}

const receiverCounts = (receivers) => {
  const total = { requests: 0, events: 0, duplicates: 0, badSignatures: 0, other: 0 };
  for (const r of receivers) for (const k of Object.keys(total)) total[k] += r.counts[k];
  return total;
};

async function latencyCase() {
  const receiver = await startReceiver();
  try {
    const w = await setup("bench webhooks latency", [receiver]);
    log(`webhook latency: account ${w.accountId}, one endpoint at ${receiver.url}, ${WEBHOOK_RATE} sends/s into one conversation`);
    await rateSlice(WEBHOOK_RATE, WARMUP_MS, sender(w.key, w.conversationId, "warm"), receiver);
    const runs = [];
    for (let round = 1; round <= ROUNDS; round++) {
      log(`  round ${round}/${ROUNDS}: ${WEBHOOK_RATE} sends/s for ${SLICE_MS / 1000} s, then their webhooks`);
      runs.push(await rateSlice(WEBHOOK_RATE, SLICE_MS, sender(w.key, w.conversationId, `latency r${round}`), receiver));
    }
    return { ...merge(runs), counts: { ...receiver.counts } };
  } finally {
    await receiver.close();
  }
}

/** `total` sends from `concurrency` workers, each sending as soon as its last one was answered. */
async function closedLoopCount(total, concurrency, make) {
  const result = { sent: 0, started: new Map(), httpLatencies: [], errors: 0, errorKinds: new Map() };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const r = make(next++);
        const start = performance.now();
        const res = await request(rateAgent, r.method, r.path, r.headers, r.body);
        result.sent++;
        result.httpLatencies.push(res.ms);
        if (res.status === 201) result.started.set(r.tagOf(res.body), start);
        else countError(result, res);
      }
    }),
  );
  return { ...result, t0, sendMs: performance.now() - t0 };
}

async function eventsCase() {
  const receivers = [];
  for (let i = 0; i < WEBHOOK_ENDPOINTS; i++) receivers.push(await startReceiver());
  try {
    const w = await setup("bench webhooks fan-out", receivers);
    log(`webhook events/s: account ${w.accountId}, ${WEBHOOK_ENDPOINTS} endpoints; ${WEBHOOK_BURST_SENDS} sends, closed loop at concurrency ${WEBHOOK_BURST_CONCURRENCY}`);
    // Warm-up: a few sends, each to every endpoint.
    const warm = await closedLoopCount(10, 2, sender(w.key, w.conversationId, "warm"));
    for (const r of receivers) await collect(warm.started, r.arrivals, SETTLE_MS);
    for (const r of receivers) r.times.length = 0;
    const before = receiverCounts(receivers);

    const load = await closedLoopCount(WEBHOOK_BURST_SENDS, WEBHOOK_BURST_CONCURRENCY, sender(w.key, w.conversationId, "events"));
    log(`  ${load.sent} sends in ${(load.sendMs / 1000).toFixed(1)} s; waiting for their ${load.started.size * WEBHOOK_ENDPOINTS} deliveries`);
    const perEndpoint = [];
    for (const r of receivers) perEndpoint.push(await collect(load.started, r.arrivals, SETTLE_MS));
    const times = receivers.flatMap((r) => r.times).sort((a, b) => a - b);
    const delivered = times.length;
    const last = times.at(-1) ?? NaN;
    // The steady rate: the middle 80% of the deliveries over the time they took.
    const lo = times[Math.floor(delivered * 0.1)];
    const hi = times[Math.min(delivered - 1, Math.floor(delivered * 0.9))];
    const middle = Math.floor(delivered * 0.9) - Math.floor(delivered * 0.1);
    const counts = receiverCounts(receivers);
    for (const k of Object.keys(counts)) counts[k] -= before[k];
    return {
      endpoints: WEBHOOK_ENDPOINTS,
      concurrency: WEBHOOK_BURST_CONCURRENCY,
      sent: load.sent,
      sendsPerSecond: (1000 * load.sent) / load.sendMs,
      sendMs: load.sendMs,
      httpLatencies: load.httpLatencies,
      errors: load.errors,
      errorKinds: load.errorKinds,
      expected: load.started.size * WEBHOOK_ENDPOINTS,
      delivered,
      totalMs: last - load.t0,
      perSecond: (1000 * delivered) / (last - load.t0),
      steadyPerSecond: (1000 * middle) / (hi - lo),
      drainMs: last - (load.t0 + load.sendMs),
      latencies: perEndpoint.flatMap((p) => p.latencies),
      missing: perEndpoint.reduce((n, p) => n + p.missing, 0),
      counts,
    };
  } finally {
    for (const r of receivers) await r.close();
  }
}

async function failingCase() {
  const healthy = await startReceiver();
  const neighbour = await startReceiver();
  const hanging = await startReceiver({ hang: true });
  try {
    const w = await setup("bench webhooks failing", [healthy]);
    // Another account's endpoint, sent to at the same rate meanwhile: the WEBHOOKS queue is shared.
    const other = await setup("bench webhooks neighbour", [neighbour]);
    log(`webhook with a failing neighbour: account ${w.accountId} with a healthy endpoint, and account ${other.accountId} with one; ${WEBHOOK_FAIL_RATE} sends/s each for ${WEBHOOK_FAIL_MS / 1000} s, then again beside an endpoint of the first that never answers`);
    const both = (prefix, ms) =>
      Promise.all([
        rateSlice(WEBHOOK_FAIL_RATE, ms, sender(w.key, w.conversationId, prefix), healthy),
        rateSlice(WEBHOOK_FAIL_RATE, ms, sender(other.key, other.conversationId, prefix), neighbour),
      ]);
    await both("warm", Math.min(WARMUP_MS, WEBHOOK_FAIL_MS));
    log("  no failing endpoint");
    const [alone, otherAlone] = await both("alone", WEBHOOK_FAIL_MS);
    const bad = await subscribe(w.key, hanging);
    log(`  beside ${bad.id} at ${hanging.url}, which never answers`);
    const t0 = performance.now();
    const [beside, otherBeside] = await both("beside", WEBHOOK_FAIL_MS);
    const settledMs = performance.now() - t0;
    const hangingRequests = hanging.counts.requests;
    // Its jobs' retries (30 s on) are dropped once it is disabled; closing the receiver ends the waits.
    await must("PATCH", `/v1/webhooks/${bad.id}`, w.key, { enabled: false }, 200);
    const counts = receiverCounts([healthy, neighbour]);
    return {
      rate: WEBHOOK_FAIL_RATE,
      ms: WEBHOOK_FAIL_MS,
      alone: merge([alone]),
      beside: merge([beside]),
      otherAlone: merge([otherAlone]),
      otherBeside: merge([otherBeside]),
      hangingRequests,
      settledMs,
      counts,
    };
  } finally {
    await hanging.close();
    await neighbour.close();
    await healthy.close();
  }
}

/** The three webhook cases, in this order (the failing one last). */
export async function runWebhookCases() {
  const latency = await latencyCase();
  const events = await eventsCase();
  const failing = await failingCase();
  return { latency, events, failing };
}
