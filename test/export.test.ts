import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertMessage } from "../src/conversation/commands/messages";
import type { ConversationDO } from "../src/conversation/conversation-do";
import type { ConversationCore } from "../src/conversation/core";
import { transcriptStream, type TranscriptSource } from "../src/export/transcript";
import { LIMITS } from "../src/lib/limits";
import { call, conversationStub, newAccount, newConversation, problemOf, rawCall, send, sleep } from "./helpers";

// GET /v1/conversations/{id}/export: a transcript streamed from the conversation's Durable Object.

const MESSAGES = 10_000;
const PER_TRANSACTION = 1_000;

/**
 * Appends `count` messages through the send path inside the object (`insertMessage`: author
 * resolved, index assigned, outbox rows written), a thousand to a transaction, instead of 10,000
 * HTTP sends. The outbox is switched to manual first so the test does not also project them all.
 */
async function seedMessages(conversationId: string, accountId: string, count: number): Promise<void> {
  await runInDurableObject(conversationStub(conversationId), (instance: ConversationDO) => {
    instance.outbox.mode = "manual";
    const core = (instance as unknown as { core: ConversationCore }).core;
    for (let done = 0; done < count; done += PER_TRANSACTION) {
      const outcome = core.mutate(accountId, undefined, (_conv, tx) => {
        for (let i = done; i < Math.min(count, done + PER_TRANSACTION); i++) {
          insertMessage(core, tx, core.requireConversation(), { body: `line ${i}: ${"lorem ipsum ".repeat(1 + (i % 7))}`, author: i % 2 ? "ada" : "bob" }, "body");
        }
        return { ok: true, value: null };
      });
      if (!outcome.ok) throw new Error(outcome.problem.detail);
    }
  });
}

async function bigConversation() {
  const account = await newAccount();
  const conv = await newConversation(account.key, {
    friendly_name: "Long thread",
    participants: [
      { kind: "agent", identity: "ada" },
      { kind: "customer", identity: "bob" },
    ],
  });
  await seedMessages(conv.id, account.id, MESSAGES);
  return { ...account, convId: conv.id as string };
}

const decoder = new TextDecoder();

/** Reads a byte stream to its end as lines, also returning how many chunks it came in. */
async function readLines(stream: ReadableStream<Uint8Array>): Promise<{ lines: any[]; chunks: number }> {
  const reader = stream.getReader();
  let text = "";
  let chunks = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks++;
    text += decoder.decode(r.value, { stream: true });
  }
  expect(text.endsWith("\n")).toBe(true);
  return { lines: text.slice(0, -1).split("\n").map((l) => JSON.parse(l)), chunks };
}

/** The transcript's lines: a conversation line, then messages 0 … n−1 in order, each once. */
function expectTranscript(lines: any[], conversationId: string, messages: number) {
  expect(lines[0]).toMatchObject({ type: "conversation", conversation: { id: conversationId, message_count: messages } });
  const rest = lines.slice(1);
  expect(rest.length).toBe(messages);
  rest.forEach((line, i) => {
    expect(line.type).toBe("message");
    if (line.message.index !== i) throw new Error(`line ${i + 1} has index ${line.message.index}`);
  });
}

describe("conversation export", () => {
  it("streams a 10,000-message transcript from the object a bounded page at a time, as it is read", { timeout: 180_000 }, async () => {
    const { id: accountId, convId } = await bigConversation();
    const stub = conversationStub(convId) as unknown as TranscriptSource & { get: ConversationDO["get"] };
    const got = await stub.get(accountId);
    if (!got.ok) throw new Error(got.problem.detail);

    // The real object, with its page reads counted.
    const pages: number[] = [];
    const counted: TranscriptSource = {
      listMessages: async (account, q) => {
        const page = await stub.listMessages(account, q);
        pages.push(page.ok ? page.value.data.length : -1);
        return page;
      },
    };
    const reader = transcriptStream(counted, accountId, got.value).getReader();
    const first = await reader.read();
    expect(JSON.parse(decoder.decode(first.value!))).toMatchObject({ type: "conversation", conversation: { id: convId, message_count: MESSAGES } });
    // The first line is out while at most the one page read ahead has been asked for.
    expect(pages.length).toBeLessThanOrEqual(1);
    const second = await reader.read();
    const secondLines = decoder.decode(second.value!).trimEnd().split("\n");
    expect(secondLines.length).toBe(LIMITS.exportPageMessages);
    expect(pages.length).toBeLessThanOrEqual(2);

    // Then the rest, a page at a time: never more than a page in hand.
    let read = 1 + secondLines.length;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      read += decoder.decode(r.value).trimEnd().split("\n").length;
      expect(pages.length).toBeLessThanOrEqual(Math.ceil((read - 1) / LIMITS.exportPageMessages) + 1);
    }
    expect(read).toBe(1 + MESSAGES);
    expect(pages.every((n) => n <= LIMITS.exportPageMessages)).toBe(true);
    expect(pages.length).toBe(MESSAGES / LIMITS.exportPageMessages);
  });

  it("answers NDJSON with a filename, every message once in index order with its delivery state, read-your-writes", { timeout: 180_000 }, async () => {
    const { key, convId } = await bigConversation();
    // A message sent just now is in the export: it is read from the conversation, not from D1.
    const latest = await send(key, convId, { body: "sent a moment ago", author: "ada" });
    const response = await (exports as unknown as { default: Fetcher }).default.fetch(`http://parley.test/v1/conversations/${convId}/export`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${convId}.ndjson"`);
    const { lines, chunks } = await readLines(response.body!);
    expectTranscript(lines, convId, MESSAGES + 1);
    // It came in many pieces, not as one buffered body.
    expect(chunks).toBeGreaterThan(10);
    expect(lines.at(-1).message).toEqual(latest);
    // Each line is the Message resource the API shows.
    const sample = lines[1 + 4321].message;
    expect((await call("GET", `/v1/conversations/${convId}/messages/${sample.id}`, { key })).json).toEqual(sample);
    expect(sample).toHaveProperty("delivery");
  });
});

describe("conversation export, small", () => {
  it("a conversation without messages is its line alone", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { subject: "empty" });
    const res = await rawCall("GET", `/v1/conversations/${conv.id}/export`, { key });
    expect(res.status).toBe(200);
    expect(res.text.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual([{ type: "conversation", conversation: expect.objectContaining({ id: conv.id, subject: "empty", message_count: 0 }) }]);
  });

  it("another account's conversation, an unknown one and a malformed id are 404s; no key is a 401", async () => {
    const mine = await newAccount();
    const theirs = await newAccount();
    const conv = await newConversation(theirs.key);
    await send(theirs.key, conv.id, { body: "private" });
    for (const id of [conv.id, "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T", "nope"]) {
      const res = await call("GET", `/v1/conversations/${id}/export`, { key: mine.key });
      expect(problemOf(res, 404).detail).toMatch(/not found/);
    }
    expect((await call("GET", `/v1/conversations/${conv.id}/export`)).status).toBe(401);
  });

  it("carries each message's delivery recipients and attempts", { timeout: 60_000 }, async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }, { kind: "customer", channel: "sms", address: "+14155550123" }] });
    const sent = await send(key, conv.id, { body: "your parcel is on its way", author: "ada" });
    // No SMS channel is connected: the delivery consumer records a failed attempt.
    const deadline = Date.now() + 30_000;
    let message = sent;
    while (message.delivery.attempts.length === 0 && Date.now() < deadline) {
      await sleep(50);
      message = (await call("GET", `/v1/conversations/${conv.id}/messages/${sent.id}`, { key })).json;
    }
    expect(message.delivery.attempts.length).toBeGreaterThan(0);
    const lines = (await rawCall("GET", `/v1/conversations/${conv.id}/export`, { key })).text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines[1].message.delivery).toEqual(message.delivery);
    expect(lines[1].message.delivery.attempts[0]).toMatchObject({ channel: "sms", error_code: "channel_not_connected" });
  });

  it("a deleted message is carried as its tombstone, in its slot", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key);
    const sent = [];
    for (const body of ["zero", "one (to delete)", "two"]) sent.push(await send(key, conv.id, { body }));
    expect((await call("DELETE", `/v1/conversations/${conv.id}/messages/${sent[1].id}`, { key })).status).toBe(200);
    const lines = (await rawCall("GET", `/v1/conversations/${conv.id}/export`, { key })).text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expectTranscript(lines, conv.id, 3);
    expect(lines[2].message).toMatchObject({ id: sent[1].id, index: 1, body: "", deleted_at: expect.any(String) });
    expect(lines[3].message).toMatchObject({ body: "two", deleted_at: null });
  });

  it("a deleted conversation is a 404", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key);
    await send(key, conv.id, { body: "soon gone" });
    expect((await call("DELETE", `/v1/conversations/${conv.id}`, { key })).status).toBe(204);
    problemOf(await call("GET", `/v1/conversations/${conv.id}/export`, { key }), 404);
  });
});
