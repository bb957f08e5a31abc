// End to end: a real `wrangler dev` POSTs signed webhooks to a local HTTP receiver, which
// verifies each with the standardwebhooks library, as a customer's endpoint would.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server.mjs";

type NodeFs = { mkdtemp(prefix: string): Promise<string>; rm(path: string, o: { recursive: boolean; force: boolean }): Promise<void> };
type IncomingMessage = { url?: string; headers: Record<string, string | string[] | undefined>; on(event: "data", cb: (chunk: Uint8Array) => void): void; on(event: "end", cb: () => void): void };
type ServerResponse = { writeHead(status: number): void; end(): void };
type HttpServer = { listen(port: number, host: string, cb: () => void): void; address(): { port: number }; close(): void };

const ADMIN_TOKEN = `webhooks-${crypto.randomUUID()}`;
const CREDENTIALS_KEYS = JSON.stringify({ current: "e2e", keys: { e2e: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) } });

let server: LocalServer | undefined;
let receiver: HttpServer | undefined;
let stateDir = "";
let fs: NodeFs;
/** What the receiver got: the raw body and the headers, per request. */
const received: { body: string; headers: Record<string, string> }[] = [];
/** Answer this status to requests (the receiver can be made to fail). */
let status = 200;

beforeAll(async () => {
  fs = (await import("node:fs/promises" as string)) as NodeFs;
  const os = (await import("node:os" as string)) as { tmpdir(): string };
  const http = (await import("node:http" as string)) as { createServer(h: (req: IncomingMessage, res: ServerResponse) => void): HttpServer };
  stateDir = await fs.mkdtemp(`${os.tmpdir()}/parley-webhooks-`);
  receiver = http.createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]));
      received.push({ body: new TextDecoder().decode(concat(chunks)), headers });
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
  server = await startLocalServer({ persistTo: `${stateDir}/parley`, vars: { ADMIN_TOKEN, CREDENTIALS_KEYS } });
});

afterAll(async () => {
  receiver?.close();
  await server?.stop();
  if (stateDir) await fs?.rm(stateDir, { recursive: true, force: true });
});

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function api(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${server!.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

async function until<T>(read: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("not in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("webhooks to a real receiver", () => {
  it("delivers conversation.created, message.added and conversation.closed, in sequence order, each verified with the library", async () => {
    const account = await api("POST", "/v1/accounts", ADMIN_TOKEN, { name: "webhooks" });
    const key = account.body.api_key.key as string;
    const hook = await api("POST", "/v1/webhooks", key, { url: `http://127.0.0.1:${receiver!.address().port}/hook`, events: ["conversation.*", "message.added"] });
    expect(hook.status).toBe(201);
    const secret = hook.body.secret as string;

    const conv = await api("POST", "/v1/conversations", key, { participants: [{ kind: "agent", identity: "ada" }], message: { author: "ada", body: "hello" } });
    expect(conv.status).toBe(201);
    expect((await api("PATCH", `/v1/conversations/${conv.body.id}`, key, { status: "closed" })).status).toBe(200);

    const events = await until(() => {
      const mine = received.map((r) => ({ ...r, event: JSON.parse(r.body) })).filter((r) => r.event.conversation_id === conv.body.id);
      return mine.some((r) => r.event.type === "conversation.closed") && mine.some((r) => r.event.type === "message.added") && mine.some((r) => r.event.type === "conversation.created") ? mine : undefined;
    });
    const wh = new Webhook(secret);
    for (const r of events) expect(wh.verify(r.body, r.headers)).toEqual(JSON.parse(r.body));
    expect(() => new Webhook(`whsec_${btoa("not the secret, not at all!!")}`).verify(events[0]!.body, events[0]!.headers)).toThrow();
    const bySequence = [...events].sort((a, b) => a.event.sequence - b.event.sequence).map((r) => r.event.type);
    expect(bySequence.filter((t) => t !== "conversation.updated")).toEqual(["conversation.created", "message.added", "conversation.closed"]);
    expect(events[0]!.headers["webhook-id"]).toBe(events[0]!.event.id);

    const deliveries = await api("GET", `/v1/webhooks/${hook.body.id}/deliveries`, key);
    expect(deliveries.body.data.length).toBeGreaterThanOrEqual(3);
    expect(deliveries.body.data[0]).toMatchObject({ status_code: 200, outcome: "delivered" });
  });
});
