// Fan-out: how fast a committed message reaches every socket of a conversation, next to a minimal
// broadcast Durable Object (bench/worker.ts BroadcastDO) measured in the same run as the ceiling.
// Latency is from just before the REST send to each socket's receipt of that message, so it covers
// the send, the commit, the output gate and the WebSocket fan-out; the sends go one at a time, so
// no send queues behind another.
import { FANOUT_MESSAGES as MESSAGES_PER_SIZE, SUSTAIN_MS, TARGET_FANOUT_P99_RATIO as TARGET_P99_RATIO, fmt } from "./lib/config.mjs";
import { latencySummary } from "./lib/stats.mjs";

const FANOUT_SIZES = [1, 50, 500];
const SUSTAIN_SOCKETS = 50;
const SUSTAIN_CONCURRENCY = 4;

/** N sockets that record when each message index arrived, and how often. */
export async function openSockets(url, n) {
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const got = new Map(); // index -> receipt time (performance.now())
      const state = { ws, got, dups: 0, waiters: [] };
      ws.onmessage = (event) => {
        const frame = JSON.parse(event.data);
        if (frame.type === "ready") return resolve(state);
        if (frame.type !== "message.added") return;
        const index = frame.message.index;
        if (got.has(index)) state.dups++;
        else got.set(index, performance.now());
        for (const w of state.waiters.splice(0)) w();
      };
      ws.onerror = () => reject(new Error(`socket to ${url} failed`));
    })),
  );
  return {
    sockets,
    /** Resolves when every socket has `index`, or rejects after timeoutMs. */
    async all(index, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      for (const s of sockets) {
        while (!s.got.has(index)) {
          if (performance.now() > deadline) throw new Error(`index ${index} missing on a socket`);
          await new Promise((r) => { s.waiters.push(r); setTimeout(r, 50); });
        }
      }
    },
    close() {
      for (const s of sockets) s.ws.close();
    },
  };
}

async function post(url, headers, body) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * The two targets of the REST fan-out: Parley (a conversation with one participant, whose token the
 * sockets use; REST sends with the API key) and the broadcast ceiling (bench/worker.ts BroadcastDO).
 */
export async function fanoutTargets({ base, adminToken, apiKey, room = "room" }) {
  const ws = base.replace(/^http/, "ws");
  const conv = await post(`${base}/v1/conversations`, { authorization: `Bearer ${apiKey}` }, {
    friendly_name: "fan-out",
    participants: [{ kind: "agent", identity: "watcher" }],
  });
  const { token } = await post(`${base}/v1/tokens`, { authorization: `Bearer ${apiKey}` }, { identity: "watcher", conversation_id: conv.id, ttl_seconds: 3600 });
  return {
    parley: {
      socketUrl: `${ws}/v1/conversations/${conv.id}/stream?token=${token}`,
      send: (i) => post(`${base}/v1/conversations/${conv.id}/messages`, { authorization: `Bearer ${apiKey}` }, { body: `fan-out ${i}` }),
    },
    ceiling: {
      socketUrl: `${ws}/__bench/broadcast/${room}/ws?admin=${adminToken}`,
      send: (i) => post(`${base}/__bench/broadcast/${room}`, { authorization: `Bearer ${adminToken}` }, { body: `fan-out ${i}` }),
    },
  };
}

/**
 * REST fan-out to `n` sockets, `messages` sends (after 3 of warm-up) to Parley and the ceiling
 * interleaved, one at a time. Returns a row per target: { name, n, who, receipts, p50, p99, lost, dups }.
 */
export async function measureFanout(targets, n, messages = MESSAGES_PER_SIZE) {
  const rows = [];
  const rooms = { parley: await openSockets(targets.parley.socketUrl, n), ceiling: await openSockets(targets.ceiling.socketUrl, n) };
  const latencies = { parley: [], ceiling: [] };
  const lost = { parley: 0, ceiling: 0 };
  for (let i = 0; i < messages + 3; i++) {
    for (const name of ["parley", "ceiling"]) {
      const t0 = performance.now();
      const { index } = await targets[name].send(i);
      try {
        await rooms[name].all(index);
      } catch {
        lost[name] += rooms[name].sockets.filter((s) => !s.got.has(index)).length;
      }
      if (i < 3) continue; // warm-up
      for (const s of rooms[name].sockets) if (s.got.has(index)) latencies[name].push(s.got.get(index) - t0);
    }
  }
  for (const name of ["parley", "ceiling"]) {
    const { p50, p99 } = latencySummary(latencies[name]);
    const dups = rooms[name].sockets.reduce((sum, s) => sum + s.dups, 0);
    rows.push({ name: `${name === "parley" ? "Parley" : "ceiling"} fan-out N=${n}`, n, who: name, receipts: latencies[name].length, p50, p99, lost: lost[name], dups });
    rooms[name].close();
  }
  return rows;
}

export async function runFanout({ base, adminToken, apiKey, log }) {
  const targets = await fanoutTargets({ base, adminToken, apiKey });
  const rows = [];
  for (const n of FANOUT_SIZES) {
    log(`fan-out to ${n} socket(s) × ${MESSAGES_PER_SIZE} messages, Parley and the ceiling interleaved`);
    rows.push(...(await measureFanout(targets, n)));
  }

  log(`sustained: ${SUSTAIN_CONCURRENCY} senders for ${SUSTAIN_MS / 1000} s into a conversation with ${SUSTAIN_SOCKETS} sockets, then the ceiling`);
  const sustained = [];
  for (const name of ["parley", "ceiling"]) {
    const room = await openSockets(targets[name].socketUrl, SUSTAIN_SOCKETS);
    const indexes = [];
    const start = performance.now();
    let i = 0;
    await Promise.all(Array.from({ length: SUSTAIN_CONCURRENCY }, async () => {
      while (performance.now() - start < SUSTAIN_MS) indexes.push((await targets[name].send(i++)).index);
    }));
    const seconds = (performance.now() - start) / 1000;
    let lostReceipts = 0;
    for (const index of indexes) {
      try {
        await room.all(index, 15_000);
      } catch {
        lostReceipts += room.sockets.filter((s) => !s.got.has(index)).length;
      }
    }
    const dups = room.sockets.reduce((sum, s) => sum + s.dups, 0);
    sustained.push({ name, sent: indexes.length, perSecond: indexes.length / seconds, deliveries: (indexes.length * SUSTAIN_SOCKETS) / seconds, lost: lostReceipts, dups });
    room.close();
  }

  console.log("\nWebSocket fan-out (latency: REST send start -> each socket's receipt; sends one at a time)\n");
  console.log("case                          receipts  p50 ms  p99 ms  lost  dup");
  console.log("----------------------------  --------  ------  ------  ----  ---");
  for (const r of rows) console.log(`${r.name.padEnd(28)}  ${String(r.receipts).padStart(8)}  ${fmt(r.p50).padStart(6)}  ${fmt(r.p99).padStart(6)}  ${String(r.lost).padStart(4)}  ${String(r.dups).padStart(3)}`);
  console.log(`\nsustained, ${SUSTAIN_SOCKETS} sockets, ${SUSTAIN_CONCURRENCY} concurrent senders:`);
  for (const s of sustained) {
    console.log(`  ${s.name.padEnd(8)} ${fmt(s.perSecond)} messages/s (${Math.round(s.deliveries)} deliveries/s), lost ${s.lost}, duplicated ${s.dups}`);
  }
  const ratio = (s) => s[0].perSecond / s[1].perSecond;
  console.log(`  Parley / ceiling: ${(ratio(sustained) * 100).toFixed(0)}% of the messages/s`);

  const p = rows.find((r) => r.who === "parley" && r.n === 500);
  const c = rows.find((r) => r.who === "ceiling" && r.n === 500);
  const lostAll = rows.reduce((sum, r) => sum + r.lost + r.dups, 0) + sustained.reduce((sum, s) => sum + s.lost + s.dups, 0);
  const p99Ratio = p.p99 / c.p99;
  console.log(`\nfan-out at 500 sockets against the ceiling, same run:`);
  console.log(`  p99   ${fmt(p.p99)} / ${fmt(c.p99)} ms = ${p99Ratio.toFixed(2)}×   (target <= ${TARGET_P99_RATIO}×)  ${p99Ratio <= TARGET_P99_RATIO ? "PASS" : "FAIL"}`);
  console.log(`  lost or duplicated receipts, all fan-out cases: ${lostAll}   (target 0)  ${lostAll === 0 ? "PASS" : "FAIL"}`);
  return { ok: p99Ratio <= TARGET_P99_RATIO && lostAll === 0, rows, sustained };
}
