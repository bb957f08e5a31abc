// The D1 lag: how long after a send's 2xx its row is in D1, at a moderate fixed send rate, into
// one conversation and round-robin over many (where the projection consumer has many
// conversations' changes to put into each D1 batch).
import { performance } from "node:perf_hooks";
import { LAG_MS, LAG_RATE, POLL_MS, log, sleep } from "../lib/config.mjs";
import { inD1 } from "../lib/d1.mjs";
import { jsonHeaders, loadAgent, request } from "../lib/http.mjs";
import { countError } from "../lib/stats.mjs";

/**
 * Sends at a fixed rate (open loop), round-robin over `conversationIds`, and measures for each 2xx
 * the time from the response arriving to the first probe that finds the message's row in D1
 * (probes go out every POLL_MS with all pending ids, so a lag is overstated by up to one probe
 * interval plus its round trip, never understated).
 */
async function measureLag(conversationIds, key) {
  const body = JSON.stringify({ body: "lag probe" });
  const headers = jsonHeaders(key, body);
  const pending = new Map(); // id -> ack time
  const lags = [];
  const result = { conversations: conversationIds.length, sent: 0, errors: 0, errorKinds: new Map(), sendLatencies: [], lags, missing: 0 };
  let sending = true;
  let sendEnd = Infinity;

  const poller = (async () => {
    while (sending || pending.size > 0) {
      const tick = performance.now();
      if (pending.size > 0) {
        const found = await inD1([...pending.keys()]);
        const seen = performance.now();
        for (const id of found) {
          lags.push(seen - pending.get(id));
          pending.delete(id);
        }
        if (!sending && performance.now() - sendEnd > 30_000) {
          result.missing = pending.size;
          break;
        }
      }
      await sleep(Math.max(0, POLL_MS - (performance.now() - tick)));
    }
  })();

  const inflight = new Set();
  const t0 = performance.now();
  const total = Math.round((LAG_RATE * LAG_MS) / 1000);
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / LAG_RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const path = `/v1/conversations/${conversationIds[k % conversationIds.length]}/messages`;
    const p = request(loadAgent, "POST", path, headers, body).then((res) => {
      result.sent++;
      result.sendLatencies.push(res.ms);
      if (res.status === 201) pending.set(JSON.parse(res.body).id, performance.now());
      else countError(result, res);
      inflight.delete(p);
    });
    inflight.add(p);
  }
  await Promise.all(inflight);
  sendEnd = performance.now();
  result.achievedRate = (result.sent * 1000) / (sendEnd - t0);
  sending = false;
  await poller;
  return result;
}

/** The lag into one conversation, then round-robin over `many`. */
export async function runLag({ one, many, key }) {
  log(`D1 lag: ${LAG_RATE} sends/s into one conversation for ${LAG_MS / 1000} s, probing D1 every ${POLL_MS} ms`);
  const single = await measureLag([one], key);
  log(`D1 lag: ${LAG_RATE} sends/s round-robin over ${many.length} conversations for ${LAG_MS / 1000} s`);
  const spread = await measureLag(many, key);
  return { single, spread };
}
