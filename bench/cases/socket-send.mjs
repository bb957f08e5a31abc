// Sending over the socket (issue 10): `message.send` frames from a participant's socket, beside a
// bare ceiling measured in the same run (bench/worker.ts SocketCeilingDO: one INSERT, one frame
// serialized once to every other socket, an ack to the sender).
// - fan-out at N = 1, 50 and 500 receiving sockets: from just before the sender's ws.send() to each
//   receiver's message.added (p50/p99), and to the sender's message.ack; messages one at a time,
//   Parley and the ceiling interleaved message by message, paced inside Parley's per-socket limit
//   (a burst of 60, then 10/s) so none is refused;
// - a burst: 4 senders, 40 messages each written back to back without waiting for acks (160 in
//   all, inside the burst of 60), into the 50 receivers: messages/s from the first send until every
//   receiver has all 160, and the CPU the server and this process spent per message meanwhile;
//   fresh sender sockets each round (so a full bucket), rounds interleaved;
// - REST-send fan-out at N = 50 (fanout.mjs: Parley's REST send against the BroadcastDO ceiling):
//   taken from the fan-out case when it ran in this process, measured here otherwise;
// - the bytes of one message.added frame, Parley's and the ceiling's, for the same body.
// The clients read what they need from each frame's text without parsing it (lib/sockets.mjs).
// Parley's receivers are observers (the API key as the second subprotocol, no identity): they
// receive what participants do, and the broadcast costs the same; the senders are participants
// (agents), each with a participant token. Everything runs on an account of its own.
import { ADMIN_TOKEN, BURST_ROUNDS, SOCKET_MESSAGES, log, sleep } from "../lib/config.mjs";
import { must } from "../lib/http.mjs";
import { cpuMeter } from "../lib/cpu.mjs";
import { openReceivers, openSender, pacer } from "../lib/sockets.mjs";
import { newStats } from "../lib/stats.mjs";
import { fanoutTargets, measureFanout } from "../fanout.mjs";

export const SOCKET_SIZES = [1, 50, 500];
export const BURST_SOCKETS = 50;
export const BURST_SENDERS = 4;
export const BURST_PER_SENDER = 40;
const WARMUP_MESSAGES = 3;
const SENDER = "sender";
const burstIdentity = (k) => `burst-${k}`;

/** A Parley conversation (with the sender and the burst senders as agents) and a ceiling room, for one size. */
async function newRoom(base, key, label) {
  const ws = base.replace(/^http/, "ws");
  const identities = [SENDER, ...Array.from({ length: BURST_SENDERS }, (_, k) => burstIdentity(k))];
  const conv = await must("POST", "/v1/conversations", key, { friendly_name: label, participants: identities.map((identity) => ({ kind: "agent", identity })) }, 201);
  const stream = `${ws}/v1/conversations/${conv.id}/stream`;
  const ceiling = `${ws}/__bench/socket-ceiling/${label}?admin=${ADMIN_TOKEN}`;
  return {
    conversationId: conv.id,
    parley: {
      receivers: (n) => openReceivers(stream, n, ["parley.v1", key]),
      sender: async (identity) => {
        const { token } = await must("POST", "/v1/tokens", key, { identity, conversation_id: conv.id, ttl_seconds: 3600 }, 201);
        return openSender(stream, ["parley.v1", token]);
      },
    },
    ceiling: {
      receivers: (n) => openReceivers(ceiling, n),
      sender: () => openSender(ceiling),
    },
  };
}

const NAMES = ["parley", "ceiling"];

/** One message at a time to each target, `SOCKET_MESSAGES` after the warm-up. */
async function fanout(rooms, senders, n) {
  const out = Object.fromEntries(NAMES.map((name) => [name, { receipts: [], acks: [], lost: 0, acksLost: 0 }]));
  const pace = Object.fromEntries(NAMES.map((name) => [name, pacer()]));
  const nothing = { parley: 0, ceiling: 0 };
  for (let i = 0; i < SOCKET_MESSAGES + WARMUP_MESSAGES; i++) {
    for (const name of NAMES) {
      await pace[name].take();
      const body = `socket n${n} ${i}`;
      const clientId = `n${n}-${i}`;
      const group = rooms[name].expect([body]);
      const t0 = senders[name].send(clientId, body);
      rooms[name].started(body, t0);
      const [ackAt] = await Promise.all([senders[name].acked(clientId), rooms[name].settle(group)]);
      // A message neither acked nor received anywhere: say why, and give up after a few in a row
      // (each costs the 10 s timeouts; a dead sender would cost that for every message left).
      if (ackAt === null && group.receipts === 0) {
        const why = `sender ${senders[name].closed ? `closed (${senders[name].closed})` : "open"}, ${rooms[name].closed} receiver(s) closed, error frames: ${senders[name].errorSamples.join(" | ") || "none"}`;
        log(`  N=${n} ${name}: message ${i} neither acked nor received in 10 s (${why})`);
        if (++nothing[name] >= 3) throw new Error(`socket send N=${n} to ${name}: 3 messages in a row went nowhere (${why})`);
      } else nothing[name] = 0;
      if (i < WARMUP_MESSAGES) continue;
      const o = out[name];
      o.receipts.push(...group.latencies);
      o.lost += group.missing;
      if (ackAt === null) o.acksLost++;
      else o.acks.push(ackAt - t0);
    }
  }
  return out;
}

/** Bursts of BURST_SENDERS × BURST_PER_SENDER into the receivers, a warm-up one and then BURST_ROUNDS, interleaved. */
async function bursts(rooms, room) {
  // cpu: what the server and this process spent during the bursts (from the first send to the last receipt).
  const out = Object.fromEntries(NAMES.map((name) => [name, { rounds: [], receipts: [], lost: 0, acksLost: 0, errors: 0, errorSamples: [], cpu: newStats(name) }]));
  const total = BURST_SENDERS * BURST_PER_SENDER;
  for (let round = 0; round <= BURST_ROUNDS; round++) {
    for (const name of NAMES) {
      // Fresh sockets: each starts with a full bucket, whatever the last round spent.
      const senders = await Promise.all(Array.from({ length: BURST_SENDERS }, (_, k) => room[name].sender(burstIdentity(k))));
      await sleep(200); // their presence frames reach the receivers before the clock starts
      const bodies = [];
      for (let i = 0; i < BURST_PER_SENDER; i++) for (let k = 0; k < BURST_SENDERS; k++) bodies.push(`burst r${round} s${k} ${i}`);
      const group = rooms[name].expect(bodies);
      const ids = [];
      const meter = round === 0 ? null : cpuMeter(out[name].cpu);
      const t0 = performance.now();
      for (let i = 0; i < BURST_PER_SENDER; i++) {
        for (let k = 0; k < BURST_SENDERS; k++) {
          const body = `burst r${round} s${k} ${i}`;
          const id = `r${round}-${k}-${i}`;
          ids.push([k, id]);
          rooms[name].started(body, senders[k].send(id, body));
        }
      }
      const doneAt = await rooms[name].settle(group, 30_000);
      if (doneAt === null) log(`  burst ${round} to ${name}: incomplete after 30 s (${group.missing} receipts missing, ${rooms[name].closed} receiver(s) closed, senders: ${senders.map((s) => s.closed ?? "open").join(", ")})`);
      if (meter) {
        out[name].cpu.elapsedMs += (doneAt ?? performance.now()) - t0;
        meter();
      }
      const acks = await Promise.all(ids.map(([k, id]) => senders[k].acked(id, 10_000)));
      for (const s of senders) s.close();
      if (round === 0) continue; // warm-up
      const o = out[name];
      const ms = (doneAt ?? performance.now()) - t0;
      o.rounds.push({ ms, perSecond: doneAt === null ? NaN : (1000 * total) / ms, complete: doneAt !== null });
      o.receipts.push(...group.latencies);
      o.lost += group.missing;
      o.acksLost += acks.filter((a) => a === null).length;
      for (const s of senders) {
        o.errors += s.errors;
        o.errorSamples.push(...s.errorSamples);
      }
    }
    await sleep(300); // the closed senders' presence frames
  }
  for (const o of Object.values(out)) {
    const ms = o.rounds.reduce((sum, r) => sum + r.ms, 0);
    o.perSecond = (1000 * total * o.rounds.length) / ms;
  }
  return out;
}

/**
 * Runs the socket-send cases. `restRows` are the REST fan-out rows of fanout.mjs when it ran in
 * this process (the N = 50 pair is reused); otherwise that pair is measured here.
 */
export async function runSocketSendCases({ base, restRows }) {
  const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench sockets" }, 201);
  const key = api_key.key;
  log(`socket send: account ${account.id}; ${SOCKET_MESSAGES} messages per size, Parley and the ceiling interleaved`);
  const sizes = [];
  let burst = null;
  let frames = null;
  for (const n of SOCKET_SIZES) {
    const room = await newRoom(base, key, `socket-n${n}-${Date.now()}`);
    log(`  N=${n}: opening ${n} receiver(s) and a sender on each`);
    const rooms = { parley: await room.parley.receivers(n), ceiling: await room.ceiling.receivers(n) };
    const senders = { parley: await room.parley.sender(SENDER), ceiling: await room.ceiling.sender() };
    log(`  N=${n}: ${SOCKET_MESSAGES + WARMUP_MESSAGES} messages each, one at a time`);
    const result = await fanout(rooms, senders, n);
    sizes.push({ n, ...result, errors: { parley: senders.parley.errors, ceiling: senders.ceiling.errors }, errorSamples: [...senders.parley.errorSamples, ...senders.ceiling.errorSamples] });
    for (const s of Object.values(senders)) s.close();
    if (n === BURST_SOCKETS) {
      frames = { parley: { bytes: rooms.parley.frameBytes, sample: rooms.parley.frameSample }, ceiling: { bytes: rooms.ceiling.frameBytes, sample: rooms.ceiling.frameSample } };
      log(`  burst: ${BURST_SENDERS} senders × ${BURST_PER_SENDER} messages into ${n} receivers, 1 warm-up + ${BURST_ROUNDS} rounds each, interleaved`);
      burst = await bursts(rooms, room);
    }
    for (const name of NAMES) sizes.at(-1)[name].dups = rooms[name].dups;
    for (const r of Object.values(rooms)) r.close();
  }

  let rest = restRows?.filter((r) => r.n === BURST_SOCKETS);
  let restReused = true;
  if (!rest || rest.length !== 2) {
    restReused = false;
    log(`  REST-send fan-out to ${BURST_SOCKETS} sockets (fanout.mjs), Parley and the BroadcastDO ceiling interleaved`);
    rest = await measureFanout(await fanoutTargets({ base, adminToken: ADMIN_TOKEN, apiKey: key, room: `socket-rest-${Date.now()}` }), BURST_SOCKETS);
  }
  return { sizes, burst, frames, rest: { parley: rest.find((r) => r.who === "parley"), ceiling: rest.find((r) => r.who === "ceiling"), reused: restReused } };
}
