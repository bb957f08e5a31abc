// Webhook endpoints in the bench's own process, for the webhook cases (cases/webhooks.mjs): small
// node:http servers that Parley's signed webhooks are POSTed to (http://127.0.0.1 is allowed
// because the bench server runs with ENVIRONMENT=development). A healthy receiver checks each
// request's Standard Webhooks signature by hand (README "Webhooks": HMAC-SHA256 over
// `${webhook-id}.${webhook-timestamp}.${body}` under the base64 key after `whsec_`), notes when
// each message.added event arrived (performance.now(), the clock the sends start on) by the
// message id in `data.message.id`, and answers 204. A hanging receiver takes the connection and
// the request and never answers (Parley's fetch times out after LIMITS.webhookTimeoutMs).
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";

/**
 * Starts a receiver on a free loopback port. Returns { url, arrivals (message id → first arrival
 * time), times (every arrival, for rates), counts { requests, events, duplicates, badSignatures,
 * other }, setSecret(whsec), close() }.
 */
export async function startReceiver({ hang = false } = {}) {
  const arrivals = new Map();
  const times = [];
  const counts = { requests: 0, events: 0, duplicates: 0, badSignatures: 0, other: 0 };
  const seenEvents = new Set();
  let key = null;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const at = performance.now();
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      counts.requests++;
      if (hang) return; // never answered: the socket stays open until Parley gives up or close()
      const body = Buffer.concat(chunks).toString("utf8");
      if (key && !verified(key, req.headers, body)) counts.badSignatures++;
      let event = null;
      try {
        event = JSON.parse(body);
      } catch {
        // counted below
      }
      const id = event?.type === "message.added" ? event.data?.message?.id : undefined;
      if (!id) counts.other++;
      else if (seenEvents.has(event.id)) counts.duplicates++;
      else {
        seenEvents.add(event.id);
        counts.events++;
        times.push(at);
        if (!arrivals.has(id)) arrivals.set(id, at);
      }
      res.writeHead(204);
      res.end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;
  server.requestTimeout = 0; // a hanging receiver's requests are never timed out here
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/parley`,
    arrivals,
    times,
    counts,
    /** Hanging: connections open now (requests Parley is waiting on). */
    get openConnections() {
      return sockets.size;
    },
    /** From now on, every request's signature is checked against this whsec_ secret. */
    setSecret(secret) {
      key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Whether any `v1,` signature of the request is HMAC-SHA256(key, id.timestamp.body), timestamp within 5 min. */
function verified(key, headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = String(headers["webhook-signature"] ?? "").split(" ");
  if (!id || !timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.some((s) => {
    if (!s.startsWith("v1,")) return false;
    const given = Buffer.from(s.slice(3), "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
