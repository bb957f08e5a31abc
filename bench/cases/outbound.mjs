// The outbound case: an agent's REST send into a conversation with an SMS customer, at a steady
// OUTBOUND_RATE sends/s round-robin over OUTBOUND_CONVERSATIONS such conversations. The message
// owes the customer a delivery: outbox -> delivery sink -> DELIVERY queue -> consumer -> Twilio's
// Messages API at the channel's base_url, here the fake Twilio in this process
// (lib/fake-twilio.mjs), which notes when each request arrives. Measured per send: the REST send's
// own latency (its 201, the baseline) and the time from its POST's start to the provider request.
import { ROUNDS, SLICE_MS, WARMUP_MS, log } from "../lib/config.mjs";
import { jsonHeaders, must } from "../lib/http.mjs";
import { OUTBOUND_CONVERSATIONS, OUTBOUND_RATE, atRate, collect, customer } from "../lib/channels.mjs";

const AGENT = "bench-agent";

export async function runOutboundCase({ key, fake }) {
  log(`outbound: ${OUTBOUND_CONVERSATIONS} conversations, each an SMS customer and an agent`);
  const ids = [];
  for (let i = 0; i < OUTBOUND_CONVERSATIONS; i += 10) {
    const batch = Array.from({ length: Math.min(10, OUTBOUND_CONVERSATIONS - i) }, (_, k) =>
      must("POST", "/v1/conversations", key, {
        friendly_name: `outbound ${i + k}`,
        participants: [{ kind: "customer", channel: "sms", address: customer(20 + Math.floor((i + k) / 100), (i + k) % 100) }, { kind: "agent", identity: AGENT }],
      }, 201),
    );
    ids.push(...(await Promise.all(batch)).map((c) => c.id));
  }

  const send = (prefix) => (k) => {
    const text = `${prefix} ${k}`;
    const body = JSON.stringify({ author: AGENT, body: text });
    return { method: "POST", path: `/v1/conversations/${ids[k % ids.length]}/messages`, headers: jsonHeaders(key, body), body, tag: text };
  };
  const runs = [];
  const slice = async (prefix, ms, into) => {
    const sent = await atRate(OUTBOUND_RATE, ms, send(prefix), 201);
    const { latencies, missing } = await collect(sent.started, fake.arrivals);
    into?.push({ ...sent, latencies, missing });
  };
  log(`  warming up: ${OUTBOUND_RATE} sends/s for ${WARMUP_MS / 1000} s`);
  await slice("warm outbound", WARMUP_MS);
  const before = { ...fake.counts };
  for (let round = 1; round <= ROUNDS; round++) {
    log(`  round ${round}/${ROUNDS}: ${OUTBOUND_RATE} agent sends/s round-robin over ${ids.length} SMS conversations for ${SLICE_MS / 1000} s`);
    await slice(`outbound r${round}`, SLICE_MS, runs);
  }
  const errorKinds = new Map();
  for (const r of runs) for (const [k, v] of r.errorKinds) errorKinds.set(k, (errorKinds.get(k) ?? 0) + v);
  return {
    rate: OUTBOUND_RATE,
    conversations: ids.length,
    sent: runs.reduce((n, r) => n + r.sent, 0),
    achievedRate: runs.reduce((n, r) => n + r.achievedRate, 0) / runs.length,
    httpLatencies: runs.flatMap((r) => r.httpLatencies),
    latencies: runs.flatMap((r) => r.latencies),
    missing: runs.reduce((n, r) => n + r.missing, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    errorKinds,
    duplicates: fake.counts.duplicates - before.duplicates,
    refused: fake.counts.refused - before.refused,
  };
}
