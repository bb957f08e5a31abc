// A fake Twilio Messages API in the bench's own process, for the outbound case: the SMS channel's
// base_url points here, so a delivery goes outbox -> DELIVERY queue -> consumer -> this server.
// It notes when each request arrived (performance.now(), the clock the load generator starts its
// sends on), keyed by the message's Body, and answers as Twilio does: 201 with a Message resource.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";

const PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

/**
 * Starts the fake on a free loopback port. Returns { url, arrivals (Body → first arrival time),
 * counts { requests, duplicates, refused }, expect(accountSid, authToken), close() }.
 */
export async function startFakeTwilio() {
  const arrivals = new Map();
  const counts = { requests: 0, duplicates: 0, refused: 0 };
  let auth = null;
  const server = http.createServer((req, res) => {
    const at = performance.now();
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      counts.requests++;
      const match = req.method === "POST" ? PATH.exec(req.url ?? "") : null;
      if (!match || (auth && (match[1] !== auth.sid || req.headers.authorization !== auth.header))) {
        counts.refused++;
        res.writeHead(match ? 401 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: match ? 20003 : 20404, message: match ? "Authenticate" : "The requested resource was not found", status: match ? 401 : 404 }));
        return;
      }
      const form = new URLSearchParams(text);
      const body = form.get("Body") ?? "";
      if (arrivals.has(body)) counts.duplicates++;
      else arrivals.set(body, at);
      const sid = `SM${randomBytes(16).toString("hex")}`;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ sid, account_sid: match[1], to: form.get("To"), from: form.get("From"), body, status: "queued", num_segments: "1", direction: "outbound-api", api_version: "2010-04-01", uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json` }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    counts,
    /** From now on, only this account's SID and basic auth are answered 201 (Twilio's 20003 otherwise). */
    expect(accountSid, authToken) {
      auth = { sid: accountSid, header: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}` };
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
