import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, conversationStub, d1Number, env, newAccount, newConversation, problemOf, send, settle, sleep } from "./helpers";
import { REWRITE_TOMBSTONED_EVENTS } from "../src/projection/apply";
import { open } from "./ws";

const PHONE = "+14155550142";
const withCustomer = (extra: Record<string, unknown> = {}) => ({ participants: [{ kind: "customer", channel: "sms", address: PHONE }], ...extra });

const searchBodies = async (key: string, q: string) => {
  const res = await call("GET", `/v1/search/messages?q=${encodeURIComponent(q)}`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json.data as { message: { body: string } }[]).map((h) => h.message.body);
};

/** Runs the conversation's alarm until its object has no storage left (its `erase` duty), or fails. */
async function erased(conversationId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await runInDurableObject(conversationStub(conversationId), async (_i, state) => ({
      tables: state.storage.sql.exec("SELECT name FROM sqlite_master").toArray().length,
      alarm: await state.storage.getAlarm(),
    }));
    if (left.tables === 0 && left.alarm === null) return;
    if (Date.now() > deadline) throw new Error(`${conversationId} still has storage: ${JSON.stringify(left)}`);
    await runDurableObjectAlarm(conversationStub(conversationId));
    await sleep(200);
  }
}

describe("DELETE /v1/conversations/{id}", () => {
  it("removes the conversation everywhere at once, keeps only its deleted event, erases its object, and the id stays a 404", async () => {
    const { id: accountId, key } = await newAccount();
    const doomed = await newConversation(key, withCustomer({ friendly_name: "Doomed parcel thread", unique_name: "doomed-1" }));
    const kept = await newConversation(key, withCustomer({ friendly_name: "Kept thread" }));
    await send(key, doomed.id, { body: "where is my zanzibar parcel", author: PHONE });
    await send(key, kept.id, { body: "my zanzibar parcel arrived", author: PHONE });
    await settle(doomed.id, kept.id);
    expect(new Set(await searchBodies(key, "zanzibar"))).toEqual(new Set(["where is my zanzibar parcel", "my zanzibar parcel arrived"]));
    expect(await d1Number("SELECT count(*) AS n FROM events WHERE conversation_id = ?", doomed.id)).toBeGreaterThan(0);

    expect((await call("DELETE", `/v1/conversations/${doomed.id}`, { key })).status).toBe(204);
    // Without waiting for the projection: listing, names, search, history, participants.
    const listed = await call("GET", "/v1/conversations", { key });
    expect(listed.json.data.map((c: { id: string }) => c.id)).toEqual([kept.id]);
    expect((await call("GET", `/v1/conversations?q=doomed`, { key })).json.data).toEqual([]);
    expect(await searchBodies(key, "zanzibar")).toEqual(["my zanzibar parcel arrived"]);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", doomed.id)).toBe(0);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE conversation_id = ?", doomed.id)).toBe(0);
    problemOf(await call("GET", `/v1/conversations/${doomed.id}`, { key }), 404);
    problemOf(await call("GET", `/v1/conversations/${doomed.id}/messages`, { key }), 404);

    // Its events (their data held its messages) go once its outbox carries the deletion, but conversation.deleted.
    const types = () => env.DB.prepare("SELECT type FROM events WHERE conversation_id = ?").bind(doomed.id).all<{ type: string }>().then((r) => r.results.map((e) => e.type));
    for (let i = 0; i < 500 && JSON.stringify(await types()) !== '["conversation.deleted"]'; i++) await sleep(20);
    expect(await types()).toEqual(["conversation.deleted"]);
    const deleted = await env.DB.prepare("SELECT payload FROM events WHERE conversation_id = ?").bind(doomed.id).first<{ payload: string }>();
    expect(JSON.parse(deleted!.payload)).toMatchObject({ type: "conversation.deleted", account_id: accountId, reason: "api", data: { conversation_id: doomed.id } });

    // The object erases its storage and its alarm, and is a 404 to every later call.
    await erased(doomed.id);
    problemOf(await call("GET", `/v1/conversations/${doomed.id}`, { key }), 404);
    problemOf(await call("POST", `/v1/conversations/${doomed.id}/messages`, { key, body: { body: "anyone?" } }), 404);
    problemOf(await call("DELETE", `/v1/conversations/${doomed.id}`, { key }), 404);
    const empty = await runInDurableObject(conversationStub(doomed.id), (_i, state) => state.storage.sql.exec("SELECT name FROM sqlite_master").toArray().length);
    expect(empty).toBe(0);
    // The unique_name is free again, for a new conversation with a new id.
    const again = await newConversation(key, { unique_name: "doomed-1" });
    expect(again.id).not.toBe(doomed.id);
  }, 60_000);

  it("does not bring a deleted conversation back when its create is replayed with the same Idempotency-Key, or by any create under its id", async () => {
    const { id: accountId, key } = await newAccount();
    const create = () => call("POST", "/v1/conversations", { key, body: { friendly_name: "once" }, headers: { "idempotency-key": "create-once" } });
    const first = await create();
    expect(first.status).toBe(201);
    expect((await call("DELETE", `/v1/conversations/${first.json.id}`, { key })).status).toBe(204);
    await settle(first.json.id);
    await erased(first.json.id);
    problemOf(await create(), 404);
    problemOf(await call("GET", `/v1/conversations/${first.json.id}`, { key }), 404);
    // Nor any other create under its id (a contact's inbound message to its old thread creates this way).
    const stray = await conversationStub(first.json.id).create(accountId, first.json.id, {});
    expect(stray.ok).toBe(false);
    const empty = await runInDurableObject(conversationStub(first.json.id), (_i, state) => state.storage.sql.exec("SELECT name FROM sqlite_master").toArray().length);
    expect(empty).toBe(0);
  }, 60_000);

  it("is a 409 naming the hold under a legal hold, the conversation's or the account's, and changes nothing", async () => {
    const { key } = await newAccount();
    const held = await newConversation(key, withCustomer({ legal_hold: true }));
    expect(held.legal_hold).toBe(true);
    const m = await send(key, held.id, { body: "keep me", author: PHONE });
    expect(problemOf(await call("DELETE", `/v1/conversations/${held.id}`, { key }), 409).detail).toMatch(/conversation is under legal hold/);
    expect(problemOf(await call("DELETE", `/v1/conversations/${held.id}/messages/${m.index}`, { key }), 409).detail).toMatch(/legal_hold/);
    expect((await call("GET", `/v1/conversations/${held.id}/messages/${m.id}`, { key })).json.body).toBe("keep me");

    const plain = await newConversation(key);
    const n = await send(key, plain.id, { body: "also kept" });
    expect((await call("PATCH", "/v1/settings", { key, body: { retention: { legal_hold: true } } })).json.retention.legal_hold).toBe(true);
    expect(problemOf(await call("DELETE", `/v1/conversations/${plain.id}`, { key }), 409).detail).toMatch(/account is under legal hold/);
    expect(problemOf(await call("DELETE", `/v1/conversations/${plain.id}/messages/${n.id}`, { key }), 409).detail).toMatch(/retention\.legal_hold/);
    expect((await call("GET", `/v1/conversations/${plain.id}`, { key })).status).toBe(200);

    // Lifted, the same calls go through.
    await call("PATCH", "/v1/settings", { key, body: { retention: { legal_hold: false } } });
    expect((await call("PATCH", `/v1/conversations/${held.id}`, { key, body: { legal_hold: false } })).json.legal_hold).toBe(false);
    expect((await call("DELETE", `/v1/conversations/${held.id}`, { key })).status).toBe(204);
    expect((await call("DELETE", `/v1/conversations/${plain.id}/messages/${n.id}`, { key })).status).toBe(200);
  });
});

describe("DELETE /v1/conversations/{id}/messages/{message_id}", () => {
  it("leaves a tombstone in the message's slot: indexes stay gapless for history, sockets and resume, and search stops finding it at once", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, withCustomer());
    const sent = [];
    for (const body of ["first quokka", "secret quokka with a card number", "third quokka"]) sent.push(await send(key, conv.id, { body, author: PHONE, attributes: { n: body.length } }));
    await settle(conv.id);
    expect(await searchBodies(key, "secret")).toEqual(["secret quokka with a card number"]);
    const agent = await open(`/v1/conversations/${conv.id}/stream`, { key });
    await agent.next("ready");
    const consoleStream = await open("/v1/stream", { key });
    await consoleStream.next("ready");

    const res = await call("DELETE", `/v1/conversations/${conv.id}/messages/1`, { key });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: sent[1].id, index: 1, body: "", media: [], attributes: {}, delivery: null, author: PHONE });
    expect(Date.parse(res.json.deleted_at)).not.toBeNaN();
    // Gone from search before any projection has run.
    expect(await searchBodies(key, "secret")).toEqual([]);
    expect((await searchBodies(key, "quokka")).sort()).toEqual(["first quokka", "third quokka"]);

    const frame = await agent.next("message.deleted");
    expect(frame.message).toMatchObject({ id: sent[1].id, index: 1, body: "" });
    const history = await call("GET", `/v1/conversations/${conv.id}/messages`, { key });
    expect(history.json.data.map((m: { index: number; body: string; deleted_at: string | null }) => [m.index, m.body, m.deleted_at !== null])).toEqual([
      [0, "first quokka", false],
      [1, "", true],
      [2, "third quokka", false],
    ]);
    // A resuming reader gets the tombstone in its slot, and the next message goes to index 3.
    const resumed = await open(`/v1/conversations/${conv.id}/stream?last_index=0`, { key });
    const replayed = [await resumed.next("message.added"), await resumed.next("message.added")];
    expect(replayed.map((f) => [f.message.index, f.message.body])).toEqual([
      [1, ""],
      [2, "third quokka"],
    ]);
    expect((await send(key, conv.id, { body: "fourth" })).index).toBe(3);

    // Deleting it again answers the same tombstone and records nothing more; by id works as by index.
    const again = await call("DELETE", `/v1/conversations/${conv.id}/messages/${sent[1].id}`, { key });
    expect(again.json).toEqual(res.json);
    await settle(conv.id);
    const events = (await env.DB.prepare("SELECT payload FROM events WHERE conversation_id = ? AND type = 'message.deleted'").bind(conv.id).all<{ payload: string }>()).results.map((r) => JSON.parse(r.payload));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: "api", data: { message: { id: sent[1].id, index: 1, body: "" } } });
    // The events that carried it carry the tombstone now: its text is nowhere in D1.
    const added = await env.DB.prepare("SELECT payload FROM events WHERE conversation_id = ? AND type = 'message.added' AND payload ->> '$.data.message.id' = ?").bind(conv.id, sent[1].id).first<{ payload: string }>();
    expect(JSON.parse(added!.payload).data.message).toMatchObject({ body: "", deleted_at: res.json.deleted_at });
    expect(await d1Number("SELECT count(*) AS n FROM events WHERE conversation_id = ? AND payload LIKE '%card number%'", conv.id)).toBe(0);
    // D1's copy is the tombstone, and the FTS5 index agrees with what is left.
    const row = await env.DB.prepare("SELECT body, resource FROM messages WHERE id = ?").bind(sent[1].id).first<{ body: string; resource: string }>();
    expect(row!.body).toBe("");
    expect(JSON.parse(row!.resource).deleted_at).toBe(res.json.deleted_at);
    await env.DB.prepare("INSERT INTO search_words (search_words, rank) VALUES ('integrity-check', 1)").run();
    // The account stream says so too, once the projection has it.
    const announced = (await consoleStream.next("message.deleted" as never, undefined, 10_000)) as unknown as { conversation_id: string; message: { id: string; index: number } };
    expect(announced).toMatchObject({ conversation_id: conv.id, message: { id: sent[1].id, index: 1 } });
    consoleStream.close();
    agent.close();
    resumed.close();
  });

  it("is a 404 for an unknown index or id, and for another account's message", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const conv = await newConversation(a.key);
    const m = await send(a.key, conv.id, { body: "mine" });
    problemOf(await call("DELETE", `/v1/conversations/${conv.id}/messages/7`, { key: a.key }), 404);
    problemOf(await call("DELETE", `/v1/conversations/${conv.id}/messages/msg_nope`, { key: a.key }), 404);
    problemOf(await call("DELETE", `/v1/conversations/${conv.id}/messages/${m.id}`, { key: b.key }), 404);
    expect((await call("GET", `/v1/conversations/${conv.id}/messages/${m.id}`, { key: a.key })).json.body).toBe("mine");
  });
});

describe("a tombstone's projection", () => {
  it("finds the events that carried the message by index, not by a scan of events", async () => {
    const chunk = JSON.stringify([{ id: "msg_x", resource: { deleted_at: "2026-01-01T00:00:00.000Z" } }]);
    const plan = (
      await env.DB.prepare(
        `EXPLAIN QUERY PLAN ${REWRITE_TOMBSTONED_EVENTS}`,
      )
        .bind(chunk)
        .all<{ detail: string }>()
    ).results.map((r) => r.detail);
    expect(plan.join(" | ")).toMatch(/SEARCH events USING INDEX events_by_message/);
    expect(plan.some((d) => /^SCAN events\b/.test(d))).toBe(false);
  });
});
