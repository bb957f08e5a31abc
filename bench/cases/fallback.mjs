// Delivery fallback (issue 11), all in one run, each case on an account of its own, against fakes
// in this process: a Graph API for WhatsApp (lib/fake-graph.mjs) and Twilio for SMS
// (lib/fake-twilio.mjs), which note when each request arrives.
// - refused: agent sends with `channels: ["whatsapp", "sms"]` to WhatsApp customers whose 24-hour
//   window is open (each wrote first: a signed Cloud API webhook), at FALLBACK_RATE/s round-robin
//   over FALLBACK_CONVERSATIONS conversations; the fake Graph answers each send 400, code 131026
//   (undeliverable, permanent), the fake Twilio accepts. Per message: the POST's start -> the WhatsApp
//   request -> the SMS request (p50/p99 of the whole, and of each hop).
// - timed out: the same on another account whose fake Graph accepts (200, a wamid) and never sends
//   a status webhook; the account's `delivery_timeouts.whatsapp` is FALLBACK_TIMEOUT_S, so the
//   recipient moves on to SMS when the delayed queue message checks. Reported beside that timeout.
//   The two interleave, ROUNDS × SLICE_MS each after a warm-up.
// - throughput: DELIVERY_SENDS agent sends to SMS customers (nothing fails), closed loop at
//   DELIVERY_CONCURRENCY round-robin over 100 conversations, and the deliveries/s reaching the fake
//   Twilio (from the first send to the last delivery; over the middle 80% of them, the steady rate),
//   beside the plain queue round trip of the same run: as many jobs onto the bench-only
//   BENCH_ROUNDTRIP queue (same consumer settings as parley-delivery) whose consumer only notes
//   arrivals (POST /__bench/queue-roundtrip, bench/worker.ts), DELIVERY_ROUNDS of each,
//   interleaved; plus that queue's one-job round trip at FALLBACK_RATE/s (send -> consumer).
// - provider requests per delivered message with nothing failing: the throughput account's own fake
//   Twilio's requests over its messages sent, after a quiet spell that would show a late duplicate
//   (must be exactly 1.0).
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, SLICE_MS, WARMUP_MS, log, sleep } from "../lib/config.mjs";
import { jsonHeaders, must, request } from "../lib/http.mjs";
import { atRate, collect, customer, rateAgent } from "../lib/channels.mjs";
import { cpuMeter } from "../lib/cpu.mjs";
import { startFakeGraph } from "../lib/fake-graph.mjs";
import { startFakeTwilio } from "../lib/fake-twilio.mjs";
import { countError, newStats } from "../lib/stats.mjs";
import { fallbackAccount, openWindows, twilioCredentials } from "../lib/whatsapp.mjs";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Sends/s of each fallback case (and of the one-job queue round trip). */
export const FALLBACK_RATE = num("BENCH_FALLBACK_RATE", 20);
/** WhatsApp conversations per fallback case, each a customer who wrote in and an agent. */
export const FALLBACK_CONVERSATIONS = num("BENCH_FALLBACK_CONVERSATIONS", 50);
/** The timed-out case's `delivery_timeouts.whatsapp`, seconds. */
export const FALLBACK_TIMEOUT_S = num("BENCH_FALLBACK_TIMEOUT", 2);
/** The throughput case: sends per round (each one delivery), closed loop at this concurrency. */
export const DELIVERY_SENDS = num("BENCH_DELIVERY_SENDS", 400);
export const DELIVERY_CONCURRENCY = num("BENCH_DELIVERY_CONCURRENCY", 16);
export const DELIVERY_ROUNDS = num("BENCH_DELIVERY_ROUNDS", 2);
const DELIVERY_CONVERSATIONS = 100;
/** How long a case waits for its provider requests once its sends are done. */
const SETTLE_MS = 60_000;
/** After the throughput rounds, how long nothing more may arrive for the requests-per-message count. */
const QUIET_MS = 3000;

const AGENT = "bench-agent";

/** A REST send by the agent into conversation `ids[k % n]`; tagged by its body, which both fakes key arrivals by. */
const sender = (key, ids, prefix, extra = {}) => (k) => {
  const text = `${prefix} ${k}`;
  const body = JSON.stringify({ author: AGENT, body: text, ...extra });
  return { method: "POST", path: `/v1/conversations/${ids[k % ids.length]}/messages`, headers: jsonHeaders(key, body), body, tag: text };
};

/** The latencies from each start to its arrival in `arrivals`, for the tags both know. */
function hops(started, from, to) {
  const out = [];
  for (const tag of started.keys()) if (from.has(tag) && to.has(tag)) out.push(to.get(tag) - from.get(tag));
  return out;
}

/** Merges fixed-rate slices (the shape report.mjs's rate lines read) and their hops. */
function merge(list) {
  const errorKinds = new Map();
  for (const r of list) for (const [k, v] of r.errorKinds) errorKinds.set(k, (errorKinds.get(k) ?? 0) + v);
  const sum = (k) => list.reduce((n, r) => n + r[k], 0);
  return {
    rate: list[0].rate,
    sent: sum("sent"),
    achievedRate: sum("achievedRate") / list.length,
    httpLatencies: list.flatMap((r) => r.httpLatencies),
    latencies: list.flatMap((r) => r.latencies),
    toFirst: list.flatMap((r) => r.toFirst),
    fallbackHop: list.flatMap((r) => r.fallbackHop),
    perRound: list.map((r) => r.latencies),
    missing: sum("missing"),
    firstMissing: sum("firstMissing"),
    errors: sum("errors"),
    errorKinds,
  };
}

/**
 * One fixed-rate slice of a fallback case: the sends, then (once every SMS came, or SETTLE_MS)
 * POST start -> SMS request (latencies), POST start -> WhatsApp request (toFirst), WhatsApp
 * request -> SMS request (fallbackHop).
 */
async function fallbackSlice(acct, ids, prefix, ms, fakes) {
  const sent = await atRate(FALLBACK_RATE, ms, sender(acct.key, ids, prefix, { channels: ["whatsapp", "sms"] }), 201);
  const { latencies, missing } = await collect(sent.started, fakes.twilio.arrivals, SETTLE_MS);
  const firstMissing = [...sent.started.keys()].filter((tag) => !fakes.graph.arrivals.has(tag)).length;
  return {
    ...sent,
    rate: FALLBACK_RATE,
    latencies,
    missing,
    firstMissing,
    toFirst: hops(sent.started, sent.started, fakes.graph.arrivals),
    fallbackHop: hops(sent.started, fakes.graph.arrivals, fakes.twilio.arrivals),
  };
}

/** The newest message of a conversation, with its delivery ledger (what the report shows as a sample). */
async function newest(key, conversationId) {
  const page = await must("GET", `/v1/conversations/${conversationId}/messages?order=desc&limit=1`, key, undefined, 200);
  const m = page.data[0];
  if (!m?.delivery) return null;
  const r = m.delivery.recipients[0];
  return {
    status: m.delivery.status,
    recipient: r && { channels: r.channels, step: r.step, channel: r.channel, status: r.status },
    attempts: m.delivery.attempts.map((a) => ({ step: a.step, channel: a.channel, outcome: a.outcome, code: a.error_code, moved_on: a.moved_on })),
  };
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
        if (res.status === 201) result.started.set(r.tag, start);
        else {
          countError(result, res);
          if (result.errors <= 3) log(`  ${r.method} ${r.path} -> ${res.status} ${res.body.slice(0, 300)}`);
        }
      }
    }),
  );
  return { ...result, t0, sendMs: performance.now() - t0 };
}

/** Messages/s over all of `times` (ascending, ms) from `t0`, and over their middle 80% (the steady rate). */
function rates(times, t0) {
  const n = times.length;
  const lo = times[Math.floor(n * 0.1)];
  const hi = times[Math.min(n - 1, Math.floor(n * 0.9))];
  const middle = Math.floor(n * 0.9) - Math.floor(n * 0.1);
  // Under a millisecond apart (the Worker's clock ticks in ms): too fast to tell, NaN rather than Infinity.
  const per = (count, ms) => (ms > 0 ? (1000 * count) / ms : NaN);
  return { perSecond: per(n, times.at(-1) - t0), steadyPerSecond: per(middle, hi - lo), totalMs: times.at(-1) - t0 };
}

/** One throughput round through DELIVERY: the sends, their SMS requests at the fake Twilio, rates and CPU. */
async function deliveryRound(acct, ids, fake, prefix) {
  const cpu = newStats(prefix);
  const meter = cpuMeter(cpu);
  const load = await closedLoopCount(DELIVERY_SENDS, DELIVERY_CONCURRENCY, sender(acct.key, ids, prefix));
  const sendsEnd = load.t0 + load.sendMs;
  const { latencies, missing } = await collect(load.started, fake.arrivals, SETTLE_MS);
  meter();
  const times = [...load.started.keys()].filter((t) => fake.arrivals.has(t)).map((t) => fake.arrivals.get(t)).sort((a, b) => a - b);
  const backlog = load.started.size - times.filter((t) => t <= sendsEnd).length;
  const drainMs = (times.at(-1) ?? sendsEnd) - sendsEnd;
  cpu.elapsedMs = (times.at(-1) ?? sendsEnd) - load.t0;
  // Once the sends are done the server does little but deliver: the backlog over the time it took is the consumer's own rate.
  const drainPerSecond = backlog > 0 && drainMs > 0 ? (1000 * backlog) / drainMs : NaN;
  return { ...load, sendsPerSecond: (1000 * load.sent) / load.sendMs, delivered: times.length, latencies, missing, backlog, drainMs, drainPerSecond, ...rates(times, load.t0), cpu };
}

/** One plain queue round-trip burst: n jobs by sendBatch, a trivial consumer; rates from the Worker's own clock. */
async function queueRound(n, run) {
  const cpu = newStats(run);
  const meter = cpuMeter(cpu);
  const t0 = performance.now();
  const { sent_at } = await must("POST", "/__bench/queue-roundtrip", ADMIN_TOKEN, { run, n }, 201);
  const deadline = performance.now() + SETTLE_MS;
  let got;
  for (;;) {
    got = await must("GET", `/__bench/queue-roundtrip/${run}`, ADMIN_TOKEN, undefined, 200);
    if (got.count >= n || performance.now() > deadline) break;
    await sleep(50);
  }
  meter();
  cpu.elapsedMs = performance.now() - t0;
  // Every job was sent at sent_at, so its latency is its arrival on the Worker's clock.
  const times = [...got.latencies].sort((a, b) => a - b);
  return { n, arrived: got.count, duplicates: got.duplicates, latencies: got.latencies, ...rates(times, 0), cpu, sentAt: sent_at };
}

/** The one-job round trip at FALLBACK_RATE/s for `ms`: each POST sends one job; the consumer notes send -> arrival. */
async function queueTrickle(ms, prefix) {
  const total = Math.round((FALLBACK_RATE * ms) / 1000);
  const runs = Array.from({ length: total }, (_, k) => `${prefix}-${k}`);
  const sent = await atRate(FALLBACK_RATE, ms, (k) => {
    const body = JSON.stringify({ run: runs[k], n: 1 });
    return { method: "POST", path: "/__bench/queue-roundtrip", headers: jsonHeaders(ADMIN_TOKEN, body), body, tag: runs[k] };
  }, 201);
  await sleep(1000);
  const latencies = [];
  let missing = 0;
  for (const run of sent.started.keys()) {
    const got = await must("GET", `/__bench/queue-roundtrip/${run}`, ADMIN_TOKEN, undefined, 200);
    if (got.count === 0) missing++;
    else latencies.push(...got.latencies);
  }
  return { sent: sent.sent, errors: sent.errors, latencies, missing };
}

export async function runFallbackCases() {
  const graph = await startFakeGraph();
  const twilio = await startFakeTwilio();
  const plain = await startFakeTwilio();
  try {
    const twilioCreds = twilioCredentials();
    twilio.expect(twilioCreds.account_sid, twilioCreds.auth_token);
    const plainCreds = twilioCredentials();
    plain.expect(plainCreds.account_sid, plainCreds.auth_token);
    const fakes = { graph, twilio };
    const tag = randomBytes(3).toString("hex");

    const refused = await fallbackAccount({ name: "bench fallback refused", graph, mode: "refuse", phoneNumberId: "106540352200001", twilio, twilioCreds });
    log(`fallback, refused: account ${refused.accountId}, WhatsApp channel ${refused.whatsapp.id} (Graph at ${graph.url} answers 400 131026), SMS channel ${refused.sms.id} (fake Twilio at ${twilio.url})`);
    const refusedIds = await openWindows(refused, Array.from({ length: FALLBACK_CONVERSATIONS }, (_, i) => customer(60 + Math.floor(i / 100), i % 100)), AGENT);
    const timeout = await fallbackAccount({ name: "bench fallback timeout", graph, mode: "accept", phoneNumberId: "106540352200002", twilio, twilioCreds, settings: { delivery_timeouts: { whatsapp: FALLBACK_TIMEOUT_S } } });
    log(`fallback, timed out: account ${timeout.accountId}, WhatsApp channel ${timeout.whatsapp.id} (Graph accepts, no receipt ever), delivery_timeouts.whatsapp ${FALLBACK_TIMEOUT_S} s`);
    const timeoutIds = await openWindows(timeout, Array.from({ length: FALLBACK_CONVERSATIONS }, (_, i) => customer(70 + Math.floor(i / 100), i % 100)), AGENT);

    log(`  warming up: ${FALLBACK_RATE} sends/s for ${WARMUP_MS / 1000} s each`);
    await fallbackSlice(refused, refusedIds, `warm refused ${tag}`, WARMUP_MS, fakes);
    await fallbackSlice(timeout, timeoutIds, `warm timeout ${tag}`, WARMUP_MS, fakes);
    await queueTrickle(WARMUP_MS, `warm-${tag}`);
    const counts0 = { graph: { ...graph.counts }, twilio: { ...twilio.counts } };
    const refusedRuns = [];
    const timeoutRuns = [];
    const trickles = [];
    for (let round = 1; round <= ROUNDS; round++) {
      log(`  round ${round}/${ROUNDS}: ${FALLBACK_RATE} sends/s for ${SLICE_MS / 1000} s to refusing WhatsApp, then to accepting WhatsApp with a ${FALLBACK_TIMEOUT_S} s timeout, then one-job queue round trips`);
      refusedRuns.push(await fallbackSlice(refused, refusedIds, `refused r${round} ${tag}`, SLICE_MS, fakes));
      timeoutRuns.push(await fallbackSlice(timeout, timeoutIds, `timeout r${round} ${tag}`, SLICE_MS, fakes));
      trickles.push(await queueTrickle(SLICE_MS, `trickle-r${round}-${tag}`));
    }
    const fallbackCounts = {
      graph: Object.fromEntries(Object.keys(graph.counts).map((k) => [k, graph.counts[k] - counts0.graph[k]])),
      twilio: Object.fromEntries(Object.keys(twilio.counts).map((k) => [k, twilio.counts[k] - counts0.twilio[k]])),
    };
    const samples = { refused: await newest(refused.key, refusedIds[0]), timeout: await newest(timeout.key, timeoutIds[0]) };

    // Throughput: an SMS-only account with its own fake Twilio, whose requests are then all its own.
    const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench delivery throughput" }, 201);
    const key = api_key.key;
    await must("POST", "/v1/channels", key, { type: "sms", provider: "twilio", sender: "+15005550006", credentials: plainCreds, base_url: plain.url, friendly_name: "bench SMS" }, 201);
    const ids = [];
    for (let i = 0; i < DELIVERY_CONVERSATIONS; i += 10) {
      const batch = Array.from({ length: Math.min(10, DELIVERY_CONVERSATIONS - i) }, (_, k) =>
        must("POST", "/v1/conversations", key, { friendly_name: `delivery ${i + k}`, participants: [{ kind: "customer", channel: "sms", address: customer(80 + Math.floor((i + k) / 100), (i + k) % 100) }, { kind: "agent", identity: AGENT }] }, 201),
      );
      ids.push(...(await Promise.all(batch)).map((c) => c.id));
    }
    log(`delivery throughput: account ${account.id}, ${ids.length} SMS conversations, its own fake Twilio at ${plain.url}; ${DELIVERY_SENDS} sends closed loop at concurrency ${DELIVERY_CONCURRENCY}, beside ${DELIVERY_SENDS} jobs on the plain BENCH_ROUNDTRIP queue, ${DELIVERY_ROUNDS} rounds each`);
    const acct = { key };
    const warm = await closedLoopCount(20, 4, sender(key, ids, `warm delivery ${tag}`));
    await collect(warm.started, plain.arrivals, SETTLE_MS);
    await queueRound(50, `warm-burst-${tag}`);
    await sleep(500);
    const plain0 = { ...plain.counts };
    const deliveries = [];
    const queue = [];
    for (let round = 1; round <= DELIVERY_ROUNDS; round++) {
      if (round > 1) await sleep(1000);
      const d = await deliveryRound(acct, ids, plain, `delivery r${round} ${tag}`);
      log(`  round ${round}/${DELIVERY_ROUNDS}: ${d.sent} sends in ${(d.sendMs / 1000).toFixed(1)} s, ${d.delivered} delivered, the last ${(d.drainMs / 1000).toFixed(1)} s after the last send`);
      deliveries.push(d);
      // The last reports' outbox runs and projections trail the last delivery by up to a second: let them pass first.
      await sleep(1000);
      const q = await queueRound(DELIVERY_SENDS, `burst-r${round}-${tag}`);
      log(`  round ${round}/${DELIVERY_ROUNDS}: ${q.arrived} of ${q.n} round-trip jobs in ${(q.totalMs / 1000).toFixed(2)} s`);
      queue.push(q);
    }
    // A late duplicate or retry would arrive after the collect: wait for a quiet spell first.
    let last = plain.counts.requests;
    for (let quietSince = performance.now(); performance.now() - quietSince < QUIET_MS; ) {
      await sleep(250);
      if (plain.counts.requests !== last) {
        last = plain.counts.requests;
        quietSince = performance.now();
      }
    }
    const sentOk = deliveries.reduce((n, d) => n + d.started.size, 0);
    const perMessage = {
      sent: sentOk,
      requests: plain.counts.requests - plain0.requests,
      duplicates: plain.counts.duplicates - plain0.duplicates,
      refused: plain.counts.refused - plain0.refused,
      missing: deliveries.reduce((n, d) => n + d.missing, 0),
      quietMs: QUIET_MS,
    };

    return {
      timeoutS: FALLBACK_TIMEOUT_S,
      conversations: FALLBACK_CONVERSATIONS,
      refused: merge(refusedRuns),
      timeout: merge(timeoutRuns),
      fallbackCounts,
      samples,
      trickle: {
        rate: FALLBACK_RATE,
        sent: trickles.reduce((n, t) => n + t.sent, 0),
        errors: trickles.reduce((n, t) => n + t.errors, 0),
        latencies: trickles.flatMap((t) => t.latencies),
        missing: trickles.reduce((n, t) => n + t.missing, 0),
      },
      deliveries,
      queue,
      perMessage,
    };
  } finally {
    await plain.close();
    await twilio.close();
    await graph.close();
  }
}
