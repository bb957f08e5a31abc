// The inbound cases, real signed Twilio webhooks (an inbound SMS form with X-Twilio-Signature) into
// the channel's inbound URL:
// - frame latency: at a steady INBOUND_RATE webhooks/s from one customer into their conversation,
//   the time from the webhook POST's start to the message.added frame carrying its body on an
//   agent's WebSocket; beside it, interleaved slice by slice, a plain REST send (same author, same
//   conversation, same rate) to the same frame, the baseline;
// - throughput: closed-loop webhooks (like the send cases) from one customer (one conversation)
//   and round-robin from CONVERSATIONS customers (as many conversations), interleaved.
// Every conversation is created by its customer's first webhook, as in production.
import { CONCURRENCY, CONVERSATIONS, ROUNDS, SLICE_MS, WARMUP_MS, log } from "../lib/config.mjs";
import { closedLoop, jsonHeaders, must, sideAgent } from "../lib/http.mjs";
import { newStats } from "../lib/stats.mjs";
import { INBOUND_RATE, agentSocket, atRate, collect, conversationOf, customer, inboundWebhook, mustPost } from "../lib/channels.mjs";

const AGENT = "bench-agent";

/** Frame latency at a fixed rate, webhook against REST send. */
async function frameLatency({ key, channel }) {
  const from = customer(9);
  await mustPost(sideAgent, inboundWebhook(channel, from, "hello, first message"));
  const conversationId = await conversationOf(key, from);
  await must("POST", `/v1/conversations/${conversationId}/participants`, key, { kind: "agent", identity: AGENT }, 201);
  const socket = await agentSocket(key, conversationId, AGENT);
  log(`inbound frame latency: conversation ${conversationId} (created by ${from}'s first webhook), an agent's socket open`);

  const makers = {
    inbound: (prefix) => (k) => ({ ...inboundWebhook(channel, from, `${prefix} ${k}`), tag: `${prefix} ${k}` }),
    rest: (prefix) => (k) => {
      const body = JSON.stringify({ author: from, body: `${prefix} ${k}` });
      return { method: "POST", path: `/v1/conversations/${conversationId}/messages`, headers: jsonHeaders(key, body), body, tag: `${prefix} ${k}` };
    },
  };
  const expected = { inbound: 200, rest: 201 };
  const runs = { inbound: [], rest: [] };
  const slice = async (kind, prefix, ms, into) => {
    const sent = await atRate(INBOUND_RATE, ms, makers[kind](prefix), expected[kind]);
    const { latencies, missing } = await collect(sent.started, socket.seen);
    into?.push({ ...sent, latencies, missing });
  };

  log(`  warming up: ${INBOUND_RATE}/s for ${WARMUP_MS / 1000} s each`);
  for (const kind of ["inbound", "rest"]) await slice(kind, `warm ${kind}`, WARMUP_MS);
  for (let round = 1; round <= ROUNDS; round++) {
    log(`  round ${round}/${ROUNDS}: ${INBOUND_RATE} webhooks/s, then ${INBOUND_RATE} REST sends/s, ${SLICE_MS / 1000} s each`);
    for (const kind of ["inbound", "rest"]) await slice(kind, `r${round} ${kind}`, SLICE_MS, runs[kind]);
  }
  socket.close();

  const merge = (list) => ({
    rate: INBOUND_RATE,
    sent: list.reduce((n, r) => n + r.sent, 0),
    achievedRate: list.reduce((n, r) => n + r.achievedRate, 0) / list.length,
    httpLatencies: list.flatMap((r) => r.httpLatencies),
    latencies: list.flatMap((r) => r.latencies),
    perRound: list.map((r) => r.latencies),
    missing: list.reduce((n, r) => n + r.missing, 0),
    errors: list.reduce((n, r) => n + r.errors, 0),
    errorKinds: list.reduce((m, r) => {
      for (const [k, v] of r.errorKinds) m.set(k, (m.get(k) ?? 0) + v);
      return m;
    }, new Map()),
  });
  return { conversationId, inbound: merge(runs.inbound), rest: merge(runs.rest), dups: socket.dups };
}

/** Closed-loop webhook throughput: one customer's conversation against CONVERSATIONS customers'. */
async function throughput({ channel }) {
  const one = customer(10);
  const many = Array.from({ length: CONVERSATIONS }, (_, i) => customer(11 + Math.floor(i / 100), i % 100));
  log(`inbound throughput: creating ${1 + many.length} conversations by each customer's first webhook`);
  const firsts = [one, ...many];
  for (let i = 0; i < firsts.length; i += 10) await Promise.all(firsts.slice(i, i + 10).map((from) => mustPost(sideAgent, inboundWebhook(channel, from, "first"))));

  const cases = [
    { id: "in1", name: "(in-1) webhooks, 1 conversation", next: (i) => inboundWebhook(channel, one, `in-1 ${i}`) },
    { id: "in100", name: `(in-${CONVERSATIONS}) webhooks, ${CONVERSATIONS} conversations`, next: (i) => inboundWebhook(channel, many[i % many.length], `in-${CONVERSATIONS} ${i}`) },
  ];
  const S = Object.fromEntries(cases.map((c) => [c.id, newStats(c.name)]));
  log(`  warming up (concurrency ${CONCURRENCY})`);
  for (const c of cases) await closedLoop(S[c.id], c.next, WARMUP_MS, { warmup: true });
  const perRound = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`  round ${round}/${ROUNDS}: ${cases.map((c) => c.name.split(" ")[0]).join(" ")}`);
    const before = Object.fromEntries(cases.map((c) => [c.id, { ok: S[c.id].ok, ms: S[c.id].elapsedMs }]));
    for (const c of cases) await closedLoop(S[c.id], c.next, SLICE_MS);
    const rate = (id) => (S[id].ok - before[id].ok) / (S[id].elapsedMs - before[id].ms);
    perRound.push(rate("in100") / rate("in1"));
  }
  return { S, perRound };
}

/** Both inbound cases; returns { frames, throughput }. */
export async function runInboundCases(setup) {
  const frames = await frameLatency(setup);
  const tput = await throughput(setup);
  return { frames, throughput: tput };
}
