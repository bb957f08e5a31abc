// What the bench asks D1 and the projection consumer, through the bench-only routes: which message
// ids are in D1 yet (the lag and catch-up probes) and the consumer's batch counters.
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, POLL_MS, sleep } from "./config.mjs";
import { request, sideAgent } from "./http.mjs";

/** Which of these message ids are in D1 now. */
export async function inD1(ids) {
  const found = new Set();
  for (let i = 0; i < ids.length; i += 150) {
    const res = await request(sideAgent, "GET", `/__bench/d1/messages?ids=${ids.slice(i, i + 150).join(",")}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
    if (res.status !== 200) throw new Error(`D1 probe failed: ${res.status} ${res.body.slice(0, 300)}`);
    for (const id of JSON.parse(res.body).found) found.add(id);
  }
  return found;
}

/**
 * How long after now D1 holds all of these ids (each the last message sent to its conversation, so
 * the outbox behind it is drained too). Returns ms, or null if it did not within `timeoutMs`.
 */
export async function catchUp(ids, timeoutMs = 30_000) {
  const t0 = performance.now();
  let pending = [...ids];
  while (pending.length > 0) {
    const found = await inD1(pending);
    pending = pending.filter((id) => !found.has(id));
    if (pending.length === 0) break;
    if (performance.now() - t0 > timeoutMs) return null;
    await sleep(POLL_MS);
  }
  return performance.now() - t0;
}

/**
 * The projection consumer's counters ({ batches, payloads, conversations }, since the Worker's
 * isolate started), once they have stopped moving: a batch's rows can be visible in D1 a moment
 * before the consumer counts it. Null when the server has no such route (an older bench worker).
 */
export async function projectionCounters() {
  let last;
  for (let i = 0; i < 50; i++) {
    const res = await request(sideAgent, "GET", "/__bench/projection/stats", { authorization: `Bearer ${ADMIN_TOKEN}` });
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`projection stats failed: ${res.status} ${res.body.slice(0, 300)}`);
    const now = JSON.parse(res.body);
    if (last && now.batches === last.batches && now.payloads === last.payloads) return now;
    last = now;
    await sleep(50);
  }
  return last;
}
