import { abortAllDurableObjects, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConversationDO } from "../src/conversation/conversation-do";
import { call, conversationStub, env, d1Number, newAccount, newConversation, outboxCount, projected, send, settle } from "./helpers";

const HOUR = 3_600_000;

type OutboxRow = { seq: number; kind: string; ref: string };

async function outboxRows(conversationId: string): Promise<OutboxRow[]> {
  return runInDurableObject(conversationStub(conversationId), (_instance, state) =>
    state.storage.sql.exec<OutboxRow>("SELECT seq, kind, ref FROM outbox ORDER BY seq").toArray(),
  );
}

async function d1Copies(conversationId: string, messageId: string, index: number) {
  return {
    byId: await d1Number("SELECT count(*) AS n FROM messages WHERE id = ?", messageId),
    byIndex: await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND idx = ?", conversationId, index),
  };
}

async function projectedMessageCount(conversationId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT resource FROM conversations WHERE id = ?").bind(conversationId).first<{ resource: string }>();
  return row ? (JSON.parse(row.resource) as { message_count: number }).message_count : null;
}

describe("durability: a 2xx send survives a crash before the outbox drains", () => {
  it("a committed send whose drain had not run reaches D1 exactly once after the object is aborted", async () => {
    const { id: accountId, key } = await newAccount();
    const c = await newConversation(key);
    await settle(c.id);
    const stub = conversationStub(c.id);

    // Send through the same DO method the API calls, with draining switched to manual (the crash
    // comes before it would run) and the fallback alarm moved an hour out, so nothing can drain
    // before the crash.
    const { outcome, pending, d1Before } = await runInDurableObject(stub, async (instance: ConversationDO, state) => {
      instance.outbox.mode = "manual";
      const outcome = instance.send(accountId, { body: "must not be lost" });
      const pending = state.storage.sql.exec<OutboxRow>("SELECT seq, kind, ref FROM outbox ORDER BY seq").toArray();
      await state.storage.setAlarm(Date.now() + HOUR);
      const d1Before = await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id);
      return { outcome, pending, d1Before };
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.status).toBe(201);
    const msg = outcome.value;
    expect(msg.index).toBe(0);
    // Not drained yet: the outbox holds the message and D1 does not have it.
    expect(pending).toContainEqual(expect.objectContaining({ kind: "message", ref: "0" }));
    expect(d1Before).toBe(0);

    // Crash. (A stub that reached the aborted object is broken too: take a fresh one.)
    await abortAllDurableObjects();
    const fresh = conversationStub(c.id);

    // The change and its outbox row survived; D1 still lacks the message.
    expect(await outboxRows(c.id)).toContainEqual(expect.objectContaining({ kind: "message", ref: "0" }));
    expect(await d1Copies(c.id, msg.id, 0)).toEqual({ byId: 0, byIndex: 0 });
    const got = await call("GET", `/v1/conversations/${c.id}/messages/${msg.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.json.body).toBe("must not be lost");

    // The alarm that survived the crash drains it.
    expect(await runDurableObjectAlarm(fresh)).toBe(true);
    expect(await outboxCount(c.id)).toBe(0);
    await projected(c.id);
    expect(await d1Copies(c.id, msg.id, 0)).toEqual({ byId: 1, byIndex: 1 });
    expect(await projectedMessageCount(c.id)).toBe(1);

    // Running the alarm again changes nothing.
    await runDurableObjectAlarm(fresh);
    await projected(c.id);
    expect(await d1Copies(c.id, msg.id, 0)).toEqual({ byId: 1, byIndex: 1 });

    // The next send continues the sequence.
    expect((await send(key, c.id, { body: "next" })).index).toBe(1);
  });

  it("an HTTP send that returned 201, caught before its drain and then aborted, reaches D1 exactly once", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await settle(c.id);

    // Send over HTTP, then look into the object at once. The drain alarm is due immediately, so it
    // may beat us; try again until a send is caught with its outbox row still pending.
    let caught: { id: string; index: number } | undefined;
    for (let attempt = 0; attempt < 30 && !caught; attempt++) {
      const msg = await send(key, c.id, { body: `attempt ${attempt}` });
      const pending = await runInDurableObject(conversationStub(c.id), async (_instance, state) => {
        const rows = state.storage.sql.exec<OutboxRow>("SELECT seq, kind, ref FROM outbox WHERE kind = 'message' AND ref = ?", String(msg.index)).toArray();
        // Hold the drain off until after the crash.
        if (rows.length > 0) await state.storage.setAlarm(Date.now() + HOUR);
        return rows.length > 0;
      });
      if (pending) caught = msg;
    }
    expect(caught, "never caught a send before its drain").toBeDefined();
    const msg = caught!;

    await abortAllDurableObjects();
    const stub = conversationStub(c.id);
    expect(await outboxRows(c.id)).toContainEqual(expect.objectContaining({ kind: "message", ref: String(msg.index) }));

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await settle(c.id);
    await runDurableObjectAlarm(stub);
    await projected(c.id);
    expect(await d1Copies(c.id, msg.id, msg.index)).toEqual({ byId: 1, byIndex: 1 });
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(msg.index + 1);
    expect(await projectedMessageCount(c.id)).toBe(msg.index + 1);
  });

  it("a drain repeated after a crash between the D1 write and the outbox ack writes each row once", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const m0 = await send(key, c.id, { body: "zero" });
    const m1 = await send(key, c.id, { body: "one" });
    await settle(c.id);
    expect(await d1Copies(c.id, m1.id, 1)).toEqual({ byId: 1, byIndex: 1 });
    const stub = conversationStub(c.id);

    // Put back what the drain had already acked, as if it crashed right after D1 committed.
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec("INSERT INTO outbox (kind, ref) VALUES ('message', '0'), ('message', '1'), ('conversation', ?)", c.id);
      await state.storage.setAlarm(Date.now() + HOUR);
    });
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await outboxCount(c.id)).toBe(0);

    // And a second redelivery of the same alarm, for good measure.
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec("INSERT INTO outbox (kind, ref) VALUES ('message', '1'), ('conversation', ?)", c.id);
      await state.storage.setAlarm(Date.now() + HOUR);
    });
    await abortAllDurableObjects();
    expect(await runDurableObjectAlarm(conversationStub(c.id))).toBe(true);
    await projected(c.id);

    expect(await d1Copies(c.id, m0.id, 0)).toEqual({ byId: 1, byIndex: 1 });
    expect(await d1Copies(c.id, m1.id, 1)).toEqual({ byId: 1, byIndex: 1 });
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(2);
    expect(await d1Number("SELECT count(*) AS n FROM conversations WHERE id = ?", c.id)).toBe(1);
    expect(await projectedMessageCount(c.id)).toBe(2);
  });

  it("HTTP sends followed at once by an abort: every 201 ends up in D1 exactly once", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await settle(c.id);

    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => send(key, c.id, { body: `m${i}` })));
    // Crash immediately, whatever the drain had done so far.
    await abortAllDurableObjects();

    // Drain (the surviving alarm, then once more by hand to prove repeating is harmless).
    await settle(c.id);
    await runDurableObjectAlarm(conversationStub(c.id));
    await projected(c.id);

    for (const m of sent) expect(await d1Copies(c.id, m.id, m.index)).toEqual({ byId: 1, byIndex: 1 });
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(20);
    expect(await d1Number("SELECT count(DISTINCT idx) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(20);
    expect(await projectedMessageCount(c.id)).toBe(20);

    // History in the DO is intact and ordered after the crash.
    const history = await call("GET", `/v1/conversations/${c.id}/messages?limit=100`, { key });
    expect(history.json.data.map((m: { index: number }) => m.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("an evicted object keeps its sequence, participants and pending outbox", async () => {
    const { id: accountId, key } = await newAccount();
    const c = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }] });
    await settle(c.id);
    const stub = conversationStub(c.id);
    const msg = await runInDurableObject(stub, async (instance: ConversationDO, state) => {
      const outcome = instance.send(accountId, { body: "before eviction", author: "ada" });
      await state.storage.setAlarm(Date.now() + HOUR);
      return outcome;
    });
    expect(msg.ok).toBe(true);
    await evictDurableObject(stub);

    const conv = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(conv.json).toMatchObject({ message_count: 1, participant_count: 1, last_message: { body: "before eviction" } });
    expect(await outboxCount(c.id)).toBeGreaterThan(0);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await projected(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND idx = 0", c.id)).toBe(1);
    expect((await send(key, c.id, { body: "after", author: "ada" })).index).toBe(1);
  });
});
