// WebSocket clients for the socket-send cases (cases/socket-send.mjs): a room of receiving sockets
// that notes when each message.added frame arrived (keyed by the message's body, which both Parley
// and the ceiling carry), and a sender that writes `message.send` frames and waits for their
// `message.ack`. Times are performance.now(), the clock the sends are started on.
import { performance } from "node:perf_hooks";
import { sleep } from "./config.mjs";

const OPEN_TIMEOUT_MS = 15_000;

/** `promise`'s value, or null if it takes longer than `ms` (the timer cleared either way). */
export function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(() => resolve(null), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * One socket, resolved once its `ready` frame came; `onFrame(raw, now)` gets every later frame as
 * its text. The hot paths read what they need from the text instead of parsing it: on a 2-core
 * machine the client's CPU is the server's, and Parley's frames are the bigger ones.
 */
function connect(url, protocols, onFrame, onClose = () => {}) {
  return new Promise((resolve, reject) => {
    const ws = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`no ready frame from ${url.replace(/\?.*/, "")} in ${OPEN_TIMEOUT_MS / 1000} s`)), OPEN_TIMEOUT_MS);
    ws.onmessage = (event) => {
      const now = performance.now();
      if (!ready) {
        if (JSON.parse(event.data).type !== "ready") return;
        ready = true;
        clearTimeout(timer);
        return resolve(ws);
      }
      onFrame(event.data, now);
    };
    ws.onerror = () => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`socket to ${url.replace(/\?.*/, "")} failed`));
    };
    ws.onclose = (event) => {
      if (ready) onClose(event);
    };
  });
}

const ADDED = '{"type":"message.added"';
const ACK = '{"type":"message.ack"';

/** The string value of `"name":"…"` in a frame's text (the bench's bodies and client ids hold no quotes or escapes). */
function field(raw, name, from = 0) {
  const key = `"${name}":"`;
  const at = raw.indexOf(key, from);
  if (at < 0) return undefined;
  const start = at + key.length;
  return raw.slice(start, raw.indexOf('"', start));
}

/** Opens `count` sockets with `open(i)`, 50 at a time (500 at once makes the connects themselves the load). */
async function several(count, open) {
  const out = [];
  for (let i = 0; i < count; i += 50) out.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, k) => open(i + k)))));
  return out;
}

/**
 * N receiving sockets. `expect(bodies)` registers messages about to be sent and returns a
 * group: its `latencies` (receipt − the message's start, set with `started(body, t)`) fill in as
 * frames arrive, and `done` resolves (with the time) once every socket has every body of the group.
 * `frameBytes` is the UTF-8 length of the first message.added frame a socket got.
 */
export async function openReceivers(url, n, protocols) {
  const expected = new Map(); // body -> { group, t0 }
  // closed: sockets the server closed (or that dropped) before close() was called.
  const room = { n, frameBytes: null, frameSample: null, dups: 0, stray: 0, closed: 0, closing: false };
  const sockets = await several(n, () => {
    const seen = new Set();
    const perGroup = new Map(); // group -> receipts on this socket
    return connect(url, protocols, (raw, now) => {
      if (!raw.startsWith(ADDED)) return;
      if (room.frameBytes === null) {
        room.frameBytes = Buffer.byteLength(raw);
        room.frameSample = raw;
      }
      const body = field(raw, "body", ADDED.length);
      if (seen.has(body)) {
        room.dups++;
        return;
      }
      seen.add(body);
      const e = expected.get(body);
      if (!e) {
        room.stray++;
        return;
      }
      const { group } = e;
      if (e.t0 !== undefined) group.latencies.push(now - e.t0);
      group.receipts++;
      const mine = (perGroup.get(group) ?? 0) + 1;
      perGroup.set(group, mine);
      if (mine === group.size) {
        perGroup.delete(group);
        group.socketsDone++;
        if (group.socketsDone === n) group.resolve(now);
      }
    }, () => {
      if (!room.closing) room.closed++;
    });
  });
  return Object.assign(room, {
    expect(bodies) {
      const group = { size: bodies.length, latencies: [], receipts: 0, socketsDone: 0, resolve: null, bodies };
      group.done = new Promise((resolve) => (group.resolve = resolve));
      for (const body of bodies) expected.set(body, { group });
      return group;
    },
    /** When the message with this body was sent (receipts before this call count no latency). */
    started(body, t0) {
      const e = expected.get(body);
      if (e) e.t0 = t0;
    },
    /** Waits for the group, at most `timeoutMs`; returns the time it completed, or null (then `missing` says how many receipts). */
    async settle(group, timeoutMs = 10_000) {
      const at = await within(group.done, timeoutMs);
      for (const body of group.bodies) expected.delete(body);
      group.missing = group.size * n - group.receipts;
      return at;
    },
    close() {
      room.closing = true;
      for (const ws of sockets) ws.close();
    },
  });
}

/**
 * A sending socket. `send(clientId, body)` writes a message.send frame and returns its start
 * time; `acked(clientId)` resolves with the ack's arrival time (null after timeoutMs). `errors`
 * counts error frames (the first few kept in `errorSamples`).
 */
export async function openSender(url, protocols) {
  const acks = new Map(); // client_id -> { at, resolve }
  // closed: "code reason" if the server closed the socket (or it dropped) before close() was called.
  const state = { errors: 0, errorSamples: [], ackCount: 0, closed: null, closing: false };
  const entry = (id) => {
    let e = acks.get(id);
    if (!e) {
      e = { at: null };
      e.promise = new Promise((resolve) => (e.resolve = resolve));
      acks.set(id, e);
    }
    return e;
  };
  const ws = await connect(url, protocols, (raw, now) => {
    if (raw.startsWith(ACK)) {
      state.ackCount++;
      const e = entry(field(raw, "client_id", ACK.length));
      e.at = now;
      e.resolve(now);
    } else if (raw.startsWith('{"type":"error"')) {
      state.errors++;
      if (state.errorSamples.length < 3) state.errorSamples.push(raw.slice(0, 300));
      const frame = JSON.parse(raw);
      if (frame.client_id) entry(frame.client_id).resolve(null);
    }
  }, (event) => {
    if (!state.closing) state.closed = `${event.code} ${event.reason}`.trim();
  });
  return Object.assign(state, {
    send(clientId, body) {
      entry(clientId);
      const t0 = performance.now();
      ws.send(JSON.stringify({ type: "message.send", client_id: clientId, body }));
      return t0;
    },
    async acked(clientId, timeoutMs = 10_000) {
      const e = entry(clientId);
      const at = await within(e.promise, timeoutMs);
      acks.delete(clientId);
      return at;
    },
    close() {
      state.closing = true;
      ws.close();
    },
  });
}

/**
 * A client-side token bucket, a little inside Parley's per-socket message limit (room.ts BUCKETS:
 * a burst of 60, then 10/s), so paced sends are never refused.
 */
export function pacer(size = 55, perSecond = 9) {
  let tokens = size;
  let at = performance.now();
  return {
    async take() {
      for (;;) {
        const now = performance.now();
        tokens = Math.min(size, tokens + ((now - at) / 1000) * perSecond);
        at = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(((1 - tokens) / perSecond) * 1000);
      }
    },
  };
}
