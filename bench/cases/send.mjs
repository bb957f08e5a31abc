// The send cases and their ceilings, run in interleaved slices so that a noisy neighbour hits them
// alike: (a) GET /health and (a-DO) the one-row DO ceiling; (b) send into one conversation, with
// two diagnostic variants, (b-rpc) the DO's send by RPC without the HTTP layer and
// (b-rpc-nodrain) the same on a ConversationDO whose outbox is never drained; (c) send round-robin
// across 100 conversations, with its own ceiling (a-DO×100, the one-row DO over 100 objects) and
// (c-rpc-nodrain). After every slice that wrote D1 through the outbox, the round waits for D1 to
// hold the last message of each conversation (and notes how long); around the (c) slices it reads
// the projection consumer's counters, for the D1 batches those sends took.
import { ADMIN_TOKEN, CONVERSATIONS, ROUNDS, SLICE_MS, WARMUP_MS, log } from "../lib/config.mjs";
import { catchUp, projectionCounters } from "../lib/d1.mjs";
import { closedLoop, jsonHeaders, must } from "../lib/http.mjs";
import { newStats } from "../lib/stats.mjs";

/** `count` of something made `make(i)`, ten at a time. */
async function several(count, make) {
  const made = [];
  for (let i = 0; i < count; i += 10) made.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, k) => make(i + k)))));
  return made;
}

/** The projection counters' growth between two readings (null if either is missing). */
const grown = (from, to) => (from && to ? { batches: to.batches - from.batches, payloads: to.payloads - from.payloads, conversations: to.conversations - from.conversations } : null);

/**
 * Runs the send cases. Returns their stats by case id, (b)/(a-DO) per round, the D1 catch-up
 * times, what the projection consumer did for the (c) slices ({ sends, batches, payloads,
 * conversations }, or null when the server does not count), and the conversations it made.
 */
export async function runSendCases({ accountId, key }) {
  const newConversation = async (i) => (await must("POST", "/v1/conversations", key, { friendly_name: `bench ${i}` }, 201)).id;
  const newNoDrain = async () => (await must("POST", "/__bench/conversations?ns=nodrain", ADMIN_TOKEN, { account_id: accountId }, 201)).id;

  const one = await newConversation("b");
  const direct = await newConversation("b-rpc");
  const nodrain = await newNoDrain();
  const many = await several(CONVERSATIONS, (i) => newConversation(`c${i}`));
  const manyNoDrain = await several(CONVERSATIONS, newNoDrain);
  log(`account ${accountId}; conversation (b) ${one}; ${many.length} conversations for (c)`);

  // Request makers: everything per request is precomputed but the body's counter.
  const message = (i) => `{"body":"bench message ${i}"}`;
  const directHeaders = { "x-account-id": accountId };
  const health = () => ({ method: "GET", path: "/health", headers: {} });
  const baseline = (name) => (i) => {
    const body = message(i);
    return { method: "POST", path: `/__bench/baseline/${name(i)}`, headers: jsonHeaders(ADMIN_TOKEN, body), body };
  };
  const send = (id) => (i) => {
    const body = message(i);
    const to = id(i);
    return { method: "POST", path: `/v1/conversations/${to}/messages`, headers: jsonHeaders(key, body), body, key: to };
  };
  const rpc = (id, ns) => (i) => {
    const body = message(i);
    const to = id(i);
    const path = `/__bench/direct/${to}${ns ? `?ns=${ns}` : ""}`;
    // The nodrain namespace never reaches D1, so there is nothing to wait for after its slices.
    return { method: "POST", path, headers: jsonHeaders(ADMIN_TOKEN, body, directHeaders), body, ...(ns ? {} : { key: to }) };
  };
  const constant = (v) => () => v;
  const roundRobin = (ids) => (i) => ids[i % ids.length];

  // The cases of the interleaved rounds, in the order each round runs them; `settle` marks the ones
  // that write D1 through the outbox, after which the round waits for D1 to catch up.
  const names100 = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-${i}`);
  const sendCases = [
    { id: "health", name: "(a) GET /health", next: health },
    { id: "baseline", name: "(a-DO) one-row DO ceiling", next: baseline(constant("bench")) },
    { id: "one", name: "(b) send, 1 conversation", next: send(constant(one)), settle: true },
    { id: "direct", name: "(b-rpc) same by RPC, no HTTP layer", next: rpc(constant(direct)), settle: true },
    { id: "nodrain", name: "(b-rpc-nodrain) same, outbox not drained", next: rpc(constant(nodrain), "nodrain") },
    { id: "baseline100", name: `(a-DO×${CONVERSATIONS}) ceiling over ${CONVERSATIONS} DOs`, next: baseline(roundRobin(names100)) },
    { id: "many", name: `(c) send, ${CONVERSATIONS} conversations`, next: send(roundRobin(many)), settle: true, countBatches: true },
    { id: "manyNoDrain", name: "(c-rpc-nodrain) by RPC, not drained", next: rpc(roundRobin(manyNoDrain), "nodrain") },
  ];
  const S = Object.fromEntries(sendCases.map((c) => [c.id, newStats(c.name)]));
  const catchUps = Object.fromEntries(sendCases.filter((c) => c.settle).map((c) => [c.id, []]));
  const perRound = [];
  let projection = { sends: 0, batches: 0, payloads: 0, conversations: 0 };

  /** After a send slice, waits until D1 holds the last message of every conversation it wrote to. */
  const settle = async (stats, into) => {
    const ids = [...stats.last.values()].map((b) => JSON.parse(b).id);
    stats.last.clear();
    const ms = await catchUp(ids);
    into.push(ms);
    if (ms === null) log(`  ${stats.name}: D1 did not catch up within 30 s`);
  };

  // Warm every path once (isolate, DO instances, SQLite pages, the API key cache).
  log("warming up");
  const warmed = [];
  for (const c of sendCases) {
    await closedLoop(S[c.id], c.next, WARMUP_MS, { warmup: true });
    if (c.settle) await settle(S[c.id], warmed);
  }

  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ${sendCases.map((c) => c.name.split(" ")[0]).join(" ")}`);
    const before = { b: S.one.ok, a: S.baseline.ok, bt: S.one.elapsedMs, at: S.baseline.elapsedMs };
    for (const c of sendCases) {
      const counted = c.countBatches && projection ? { sent: S[c.id].ok, at: await projectionCounters() } : null;
      await closedLoop(S[c.id], c.next, SLICE_MS);
      if (c.settle) await settle(S[c.id], catchUps[c.id]);
      if (counted) {
        const delta = grown(counted.at, await projectionCounters());
        if (delta === null) projection = null;
        else {
          projection.sends += S[c.id].ok - counted.sent;
          for (const [k, v] of Object.entries(delta)) projection[k] += v;
        }
      }
    }
    perRound.push((S.one.ok - before.b) / (S.one.elapsedMs - before.bt) / ((S.baseline.ok - before.a) / (S.baseline.elapsedMs - before.at)));
  }
  return { S, perRound, catchUps, projection, one, many };
}
