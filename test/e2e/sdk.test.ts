// The SDK against a real `wrangler dev`: CRUD and `for await` pagination, typed errors carrying the
// problem document, retries through a proxy that answers 503 with Retry-After (one Idempotency-Key
// across the tries, the message stored once), webhooks.verify on a real signed delivery, and the
// generated types against the server's own /openapi.json.
import { describe, expect, it } from "vitest";
import { renderTypes } from "../../sdk/scripts/openapi-types.mjs";
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  Parley,
  ParleyConnectionError,
  ParleyError,
  ParleyTimeoutError,
  UnprocessableEntityError,
  WebhookVerificationError,
  retryAfterMs,
  type Conversation,
  type Message,
  type WebhookEvent,
} from "../../sdk/src/index";
import { forward, headerRecord, httpServer, range, readBody, until, useParley } from "./sdk-fixtures";

const local = useParley("e2e-sdk");

const CUSTOMER = { kind: "customer", channel: "sms", address: "+14155550100" } as const;
const AGENT = { kind: "agent", identity: "agent-ada" } as const;

describe("resources over a real server", () => {
  it("creates, reads, updates and deletes a conversation, its participants and messages", async () => {
    const { parley } = await local.account("crud");
    const conversation = await parley.conversations.create({ participants: [CUSTOMER, AGENT], friendly_name: "Order #1042", tags: ["vip"] });
    expect(conversation.id).toMatch(/^conv_/);
    expect(conversation.participants.map((p) => p.kind).sort()).toEqual(["agent", "customer"]);
    // The handle serialises as the resource: its methods are not enumerable.
    expect(Object.keys(JSON.parse(JSON.stringify(conversation)))).not.toContain("messages");

    const first = await conversation.messages.send({ author: "agent-ada", body: "Hi! How can we help?" });
    expect(first).toMatchObject({ index: 0, author_kind: "agent", body: "Hi! How can we help?" });
    expect(await parley.messages.get(conversation.id, first.id)).toMatchObject({ id: first.id, body: first.body });

    const bot = await conversation.participants.add({ kind: "bot", identity: "helper" });
    expect((await conversation.participants.list()).data.map((p) => p.id)).toContain(bot.id);
    await parley.participants.remove(conversation.id, bot.id);
    expect((await parley.participants.list(conversation.id)).data.map((p) => p.id)).not.toContain(bot.id);

    const fetched = await parley.conversations.get(conversation.id);
    expect(fetched).toMatchObject({ id: conversation.id, friendly_name: "Order #1042", message_count: 1 });
    const updated = await fetched.update({ status: "resolved", tags: ["vip", "shipping"] });
    expect(updated).toMatchObject({ status: "resolved", tags: ["vip", "shipping"] });

    await parley.conversations.delete(conversation.id);
    await expect(parley.conversations.get(conversation.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pages through every message and conversation with for await, following next_cursor", async () => {
    const { parley } = await local.account("pages");
    const conversation = await parley.conversations.create({ participants: [AGENT] });
    for (const i of range(0, 7)) await conversation.messages.send({ author: "agent-ada", body: `m${i}` });

    const page = await conversation.messages.list({ limit: 3 });
    expect(page.data.map((m) => m.index)).toEqual([0, 1, 2]);
    expect(page.next_cursor).toEqual(expect.any(String));
    expect((await page.nextPage())!.data.map((m) => m.index)).toEqual([3, 4, 5]);

    const seen: Message[] = [];
    for await (const message of conversation.messages.list({ limit: 3 })) seen.push(message);
    expect(seen.map((m) => m.body)).toEqual(range(0, 7).map((i) => `m${i}`));
    const newest = await conversation.messages.list({ limit: 2, order: "desc" }).toArray();
    expect(newest.map((m) => m.index)).toEqual([6, 5, 4, 3, 2, 1, 0]);

    const ids = [conversation.id];
    for (const i of range(0, 4)) ids.push((await parley.conversations.create({ participants: [AGENT], friendly_name: `c${i}` })).id);
    // The listing is fed from each conversation into D1 through a queue: it catches up in a moment.
    const listed: Conversation[] = [];
    await until(async () => {
      listed.length = 0;
      for await (const c of parley.conversations.list({ limit: 2 })) listed.push(c);
      return listed.length === ids.length;
    }, "five conversations listed");
    expect(listed.map((c) => c.id).sort()).toEqual([...ids].sort());
  });

  it("covers contacts, webhooks, tokens and settings with the same shape", async () => {
    const { parley } = await local.account("more");
    const contact = await parley.contacts.create({ name: "Pat", addresses: [{ channel: "sms", address: "+14155550199" }], attributes: { tier: "gold" } });
    expect(contact.addresses[0]).toMatchObject({ channel: "sms", address: "+14155550199" });
    expect((await parley.contacts.list({ address: "+14155550199" })).data.map((c) => c.id)).toEqual([contact.id]);
    expect(await parley.contacts.update(contact.id, { name: "Pat Q." })).toMatchObject({ name: "Pat Q." });
    await expect(parley.contacts.create({ addresses: [{ channel: "sms", address: "+14155550199" }] })).rejects.toBeInstanceOf(ConflictError);
    await parley.contacts.delete(contact.id);
    await expect(parley.contacts.get(contact.id)).rejects.toBeInstanceOf(NotFoundError);

    const conversation = await parley.conversations.create({ participants: [AGENT] });
    const token = await parley.tokens.create({ identity: "agent-ada", conversation_id: conversation.id });
    expect(token).toMatchObject({ identity: "agent-ada", token: expect.any(String) });
    const browser = new Parley({ token: token.token, baseUrl: local.url() });
    // The inbox is read from D1, fed through the projection queue: it catches up in a moment.
    await until(async () => (await browser.identities.conversations("agent-ada")).data.some((c) => c.id === conversation.id), "the inbox lists it");

    const settings = await parley.settings.update({ chat_grace_seconds: 5 });
    expect(settings.chat_grace_seconds).toBe(5);
    expect((await parley.settings.get()).chat_grace_seconds).toBe(5);
  });
});

describe("the later capabilities through the same runtime", () => {
  it("deletes a message to its tombstone, streams a transcript, and covers knowledge, agents, routing and handoffs", async () => {
    const { parley } = await local.account("later");
    const conversation = await parley.conversations.create({ participants: [AGENT, { kind: "customer", identity: "pat" }] });
    for (const body of ["one", "two", "three"]) await conversation.messages.send({ author: "pat", body });
    const tombstone = await parley.messages.delete(conversation.id, 1);
    expect(tombstone).toMatchObject({ index: 1, body: "", deleted_at: expect.any(String) });

    const lines = [];
    for await (const line of parley.exports.transcript(conversation.id)) lines.push(line);
    expect(lines.map((l) => l.type)).toEqual(["conversation", "message", "message", "message"]);
    expect(lines.slice(1).map((l) => (l.type === "message" ? l.message.body : null))).toEqual(["one", "", "three"]);

    const doc = await parley.knowledge.create({ title: "Shipping", content: "Parcels ship within two days." });
    expect((await parley.knowledge.list().toArray()).map((d) => d.id)).toContain(doc.id);
    await parley.knowledge.delete(doc.id);

    const agent = await parley.agents.create({ identity: "agent-ada", skills: ["shipping"], languages: ["en"] });
    expect(agent).toMatchObject({ identity: "agent-ada", skills: ["shipping"] });
    expect((await parley.agents.list().toArray()).map((a) => a.identity)).toEqual(["agent-ada"]);
    // No agent holds its stream, so none is online: the conversation waits in the queue.
    const routing = await parley.routing.route(conversation.id, { topic: "shipping", language: "en" });
    expect(routing).toMatchObject({ conversation_id: conversation.id });
    expect((await parley.routing.get(conversation.id)).conversation_id).toBe(conversation.id);

    const handoff = await parley.handoffs.request(conversation.id);
    expect(handoff).toMatchObject({ conversation_id: conversation.id, state: "handoff_pending", agent: null });
    expect(await parley.handoffs.get(conversation.id)).toEqual(handoff);
    await expect(parley.drafts.get("drf_01JD5V7J3E9Q8M2K4N6P0R1S2T")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("typed errors", () => {
  it("throws the status's class with the problem document, naming the field at fault", async () => {
    const { parley } = await local.account("errors");
    const error = await parley.conversations.create({ participants: [{ kind: "customer", channel: "sms", address: "not a number" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toBeInstanceOf(ParleyError);
    const problem = (error as ParleyError).problem;
    expect((error as ParleyError).status).toBe(422);
    expect(problem).toMatchObject({ status: 422, type: expect.any(String), title: expect.any(String) });
    expect(problem.errors?.[0]?.path).toBe("body.participants[0].address");
    expect((error as ParleyError).fieldError("body.participants[0].address")).toMatch(/E\.164/);
    expect((error as Error).message).toContain("body.participants[0].address");

    await expect(parley.conversations.get("conv_01JD5V7J3E9Q8M2K4N6P0R1S2T")).rejects.toBeInstanceOf(NotFoundError);
    await expect(new Parley({ apiKey: "sk_not_a_key", baseUrl: local.url() }).conversations.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("reports an unreachable server as a connection error, after its retries", async () => {
    const closed = await httpServer(() => {});
    closed.close();
    const parley = new Parley({ apiKey: "sk_x", baseUrl: closed.url, maxRetries: 1 });
    const error = await parley.conversations.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyConnectionError);
  });
});

describe("retries", () => {
  it("retries a send answered 503 with Retry-After, reusing one Idempotency-Key, and stores the message once", async () => {
    const { parley: direct, key } = await local.account("retries");
    const conversation = await direct.conversations.create({ participants: [AGENT] });
    const tries: { key: string | undefined; at: number }[] = [];
    // The first try reaches the server (the message is committed) but its answer is lost behind a
    // 503; the second is refused with a Retry-After as an HTTP date; the third goes through.
    const proxy = await httpServer(async (req, res) => {
      const body = await readBody(req);
      if (req.method !== "POST" || !req.url?.endsWith("/messages")) return void (await forward(local.url(), req, body, res));
      tries.push({ key: headerRecord(req.headers)["idempotency-key"], at: Date.now() });
      if (tries.length === 1) {
        const answer = await fetch(`${local.url()}${req.url}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": tries[0]!.key! }, body });
        expect(answer.status).toBe(201);
        res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "1" });
        return res.end(JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "try again" }));
      }
      if (tries.length === 2) {
        res.writeHead(503, { "retry-after": new Date(Date.now() + 1500).toUTCString() });
        return res.end("busy");
      }
      await forward(local.url(), req, body, res);
    });
    local.cleanup(proxy.close);

    const parley = new Parley({ apiKey: key, baseUrl: proxy.url, maxRetries: 2 });
    const message = await parley.messages.send(conversation.id, { author: "agent-ada", body: "exactly once" });
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.key)).size).toBe(1);
    expect(tries[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    // Each wait honoured the server's Retry-After (a lower bound, so load cannot break it).
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(950);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(400);
    const stored = await direct.messages.list(conversation.id).toArray();
    expect(stored.map((m) => m.body)).toEqual(["exactly once"]);
    expect(message).toMatchObject({ id: stored[0]!.id, index: 0 });
  });

  it("gives up after maxRetries with the last problem, and retries a write without a key only on 429", async () => {
    const { key } = await local.account("giveup");
    let hits = 0;
    const proxy = await httpServer(async (req, res) => {
      hits++;
      await readBody(req);
      res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "0" });
      res.end(JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "down for maintenance" }));
    });
    local.cleanup(proxy.close);
    const parley = new Parley({ apiKey: key, baseUrl: proxy.url, maxRetries: 2 });
    const error = await parley.conversations.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, problem: { detail: "down for maintenance" } });
    expect(hits).toBe(3);

    hits = 0;
    // A contact create takes no Idempotency-Key: a 503 might have come after the commit, so it is not repeated.
    await expect(parley.contacts.create({ addresses: [{ channel: "sms", address: "+14155550111" }] })).rejects.toMatchObject({ status: 503 });
    expect(hits).toBe(1);
  });

  it("retries a dropped connection and a try that outlives its timeout", async () => {
    const { key, parley: direct } = await local.account("flaky");
    await direct.conversations.create({ participants: [AGENT] });
    let hits = 0;
    const proxy = await httpServer(async (req, res) => {
      const body = await readBody(req);
      hits++;
      if (hits === 1) return req.socket.destroy(); // the connection drops with no answer
      if (hits === 2) return; // no answer at all: the try's timeout ends it
      await forward(local.url(), req, body, res);
    });
    local.cleanup(proxy.close);
    const parley = new Parley({ apiKey: key, baseUrl: proxy.url, maxRetries: 2, timeoutMs: 1_000 });
    const page = await parley.conversations.get((await direct.conversations.create({ participants: [AGENT] })).id);
    expect(page.id).toMatch(/^conv_/);
    expect(hits).toBe(3);

    hits = 1; // the next request is the second: it hangs, and with no retries left the timeout is the error
    await expect(parley.conversations.list(undefined, { maxRetries: 0 })).rejects.toBeInstanceOf(ParleyTimeoutError);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs("0.5", now)).toBe(500);
    expect(retryAfterMs("Tue, 01 Dec 2026 10:00:03 GMT", now)).toBe(3000);
    expect(retryAfterMs("Tue, 01 Dec 2026 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe("webhooks.verify", () => {
  it("accepts a real signed delivery and rejects a tampered body, signature or secret", async () => {
    const { parley } = await local.account("verify");
    const received: { body: string; headers: Record<string, string> }[] = [];
    const receiver = await httpServer(async (req, res) => {
      received.push({ body: await readBody(req), headers: headerRecord(req.headers) });
      res.writeHead(200);
      res.end();
    });
    local.cleanup(receiver.close);
    const hook = await parley.webhooks.create({ url: `${receiver.url}/hook`, events: ["message.added"] });
    expect(hook.secret).toMatch(/^whsec_/);
    const conversation = await parley.conversations.create({ participants: [AGENT] });
    await conversation.messages.send({ author: "agent-ada", body: "signed" });
    await until(() => received.length > 0, "a webhook delivery");

    const { body, headers } = received[0]!;
    const event: WebhookEvent = await parley.webhooks.verify(body, headers, hook.secret);
    expect(event).toMatchObject({ type: "message.added", conversation_id: conversation.id, data: { message: { body: "signed" } } });
    // Headers as a Headers object work the same.
    expect(await parley.webhooks.verify(body, new Headers(headers), hook.secret)).toEqual(event);

    await expect(parley.webhooks.verify(body.replace("signed", "forged"), headers, hook.secret)).rejects.toBeInstanceOf(WebhookVerificationError);
    const badSignature = { ...headers, "webhook-signature": `v1,${btoa("x".repeat(32))}` };
    await expect(parley.webhooks.verify(body, badSignature, hook.secret)).rejects.toBeInstanceOf(WebhookVerificationError);
    const other = await parley.webhooks.rotateSecret(hook.id);
    await expect(parley.webhooks.verify(body, headers, other.secret)).rejects.toBeInstanceOf(WebhookVerificationError);
  });
});

describe("generated types", () => {
  it("are what openapi-typescript makes of the server's /openapi.json today", async () => {
    const fs = (await import("node:fs/promises" as string)) as { readFile(path: string, enc: string): Promise<string> };
    const document = (await (await fetch(`${local.url()}/openapi.json`)).json()) as object;
    const committed = await fs.readFile(new URL("../../sdk/src/openapi.gen.ts", import.meta.url).pathname, "utf8");
    const fresh = (await renderTypes(document)).split("\n");
    const lines = committed.split("\n");
    const at = fresh.findIndex((line, i) => line !== lines[i]);
    const drift = at === -1 && lines.length === fresh.length ? null : { line: at + 1, committed: lines[at], generated: fresh[at] };
    // On failure: run `npm run generate` in sdk/ and commit sdk/src/openapi.gen.ts.
    expect(drift, "sdk/src/openapi.gen.ts is stale: run `npm run generate` in sdk/").toBeNull();
  });
});
