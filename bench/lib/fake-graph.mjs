// A fake Meta Graph API (the WhatsApp Cloud API's send endpoint) in the bench's own process, for
// the fallback cases: a WhatsApp channel's base_url points here (http://127.0.0.1:<port>/v21.0),
// so a delivery goes outbox -> DELIVERY queue -> consumer -> POST /v21.0/{phone_number_id}/messages
// with the channel's access token as a Bearer. It notes when each request arrived
// (performance.now(), the clock the load generator starts its sends on), keyed by text.body, and
// answers per phone_number_id as set with `behave`:
// - "refuse": 400 with Graph's error envelope, code 131026 (message undeliverable: permanent, so
//   Parley moves the recipient on to its next channel at once);
// - "accept": 200 with a fresh wamid, as the Cloud API answers, and never a status webhook, so
//   no delivered receipt comes and the channel's delivery timeout moves the recipient on.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";

const PATH = /^\/v21\.0\/([^/]+)\/messages$/;

const REFUSAL = {
  error: {
    message: "Message undeliverable",
    type: "OAuthException",
    code: 131026,
    error_data: { messaging_product: "whatsapp", details: "Message Undeliverable: the recipient's phone number is not a WhatsApp number, or they have not accepted the latest terms" },
    fbtrace_id: "Abench",
  },
};

/** Graph's answer to a request it cannot authenticate (a wrong or missing token). */
const BAD_TOKEN = { error: { message: "Invalid OAuth access token - Cannot parse access token", type: "OAuthException", code: 190, fbtrace_id: "Abench" } };

/**
 * Starts the fake on a free loopback port. Returns { url (…/v21.0, a channel's base_url), arrivals
 * (text.body → first arrival time), counts { requests, duplicates, refused (by the fake's own
 * checks: path, token, JSON), undeliverable, accepted }, behave(phoneNumberId, accessToken, mode),
 * close() }.
 */
export async function startFakeGraph() {
  const arrivals = new Map();
  const counts = { requests: 0, duplicates: 0, refused: 0, undeliverable: 0, accepted: 0 };
  /** phone_number_id → { header: "Bearer …", mode } */
  const senders = new Map();
  const answer = (res, status, value) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  const server = http.createServer((req, res) => {
    const at = performance.now();
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      counts.requests++;
      const match = req.method === "POST" ? PATH.exec(req.url ?? "") : null;
      const sender = match ? senders.get(decodeURIComponent(match[1])) : undefined;
      if (!match || !sender) {
        counts.refused++;
        return answer(res, match ? 400 : 404, match ? { error: { message: "Unsupported post request. Object does not exist", type: "GraphMethodException", code: 100, error_subcode: 33 } } : { error: { message: "Unknown path", code: 803 } });
      }
      if (req.headers.authorization !== sender.header) {
        counts.refused++;
        return answer(res, 401, BAD_TOKEN);
      }
      let payload;
      try {
        payload = JSON.parse(text);
      } catch {
        counts.refused++;
        return answer(res, 400, { error: { message: "(#100) Invalid JSON", type: "OAuthException", code: 100 } });
      }
      const body = payload?.text?.body ?? "";
      if (arrivals.has(body)) counts.duplicates++;
      else arrivals.set(body, at);
      if (sender.mode === "refuse") {
        counts.undeliverable++;
        return answer(res, 400, REFUSAL);
      }
      counts.accepted++;
      const to = String(payload?.to ?? "");
      answer(res, 200, { messaging_product: "whatsapp", contacts: [{ input: `+${to.replace(/^\+/, "")}`, wa_id: to.replace(/^\+/, "") }], messages: [{ id: `wamid.${randomBytes(24).toString("base64url")}` }] });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    arrivals,
    counts,
    /** Requests for this phone_number_id with this token are answered as `mode` says ("refuse" | "accept"); others 400/401. */
    behave(phoneNumberId, accessToken, mode) {
      senders.set(phoneNumberId, { header: `Bearer ${accessToken}`, mode });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
