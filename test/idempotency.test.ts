import { describe, expect, it } from "vitest";
import { call, d1Number, errorPaths, newAccount, newConversation, problemOf, settle } from "./helpers";

const withKey = (key: string) => ({ "idempotency-key": key });

describe("Idempotency-Key on sends", () => {
  it("the same key and body return the first response, marked replayed, and only one message exists", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const body = { body: "pay me once", attributes: { amount: 10 } };
    const first = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body, headers: withKey("send-1") });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const retry = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body, headers: withKey("send-1") });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json).toEqual(first.json);

    // The same body with its keys in another order is the same request.
    const reordered = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { attributes: { amount: 10 }, body: "pay me once" }, headers: withKey("send-1") });
    expect(reordered.status).toBe(201);
    expect(reordered.json.id).toBe(first.json.id);

    const conv = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(conv.json.message_count).toBe(1);
    const history = await call("GET", `/v1/conversations/${c.id}/messages`, { key });
    expect(history.json.data.map((m: { id: string }) => m.id)).toEqual([first.json.id]);
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(1);

    // Another key is another message.
    const other = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body, headers: withKey("send-2") });
    expect(other.status).toBe(201);
    expect(other.json.id).not.toBe(first.json.id);
    expect(other.json.index).toBe(1);
  });

  it("the same key with a different body is a 422 naming header.idempotency-key, and changes nothing", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const first = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "a" }, headers: withKey("k") });
    expect(first.status).toBe(201);
    const p = problemOf(await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "b" }, headers: withKey("k") }), 422);
    expect(errorPaths(p)).toEqual(["header.idempotency-key"]);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(1);
    // The original is still what the key replays.
    const again = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "a" }, headers: withKey("k") });
    expect(again.json.id).toBe(first.json.id);
  });

  it("concurrent retries with one key commit one message", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "once" }, headers: withKey("burst") })),
    );
    for (const r of results) expect(r.status).toBe(201);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(9);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(1);
  });

  it("a rejected request does not use up its key", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    problemOf(await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "x", author: "ghost" }, headers: withKey("fix-and-retry") }), 422);
    const fixed = await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "x" }, headers: withKey("fix-and-retry") });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a key over 255 characters, or an empty one, is a 400 naming header.idempotency-key", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const long = problemOf(await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "x" }, headers: withKey("k".repeat(256)) }), 400);
    expect(errorPaths(long)).toContain("header.idempotency-key");
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(0);
  });

  it("a key used for one kind of request is a 422 for another", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    expect((await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "x" }, headers: withKey("shared") })).status).toBe(201);
    const p = problemOf(await call("POST", `/v1/conversations/${c.id}/participants`, { key, body: { kind: "agent", identity: "a" }, headers: withKey("shared") }), 422);
    expect(errorPaths(p)).toEqual(["header.idempotency-key"]);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.participant_count).toBe(0);
  });
});

describe("Idempotency-Key on creating conversations", () => {
  it("a retry returns the same conversation, marked replayed, and only one exists", async () => {
    const { key } = await newAccount();
    const body = {
      friendly_name: "once",
      unique_name: "idem-create",
      participants: [{ kind: "customer", channel: "sms", address: "+14155550170" }],
      message: { body: "first" },
    };
    const first = await call("POST", "/v1/conversations", { key, body, headers: withKey("create-1") });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const retry = await call("POST", "/v1/conversations", { key, body, headers: withKey("create-1") });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json.id).toBe(first.json.id);
    expect(retry.json.message?.id).toBe(first.json.message.id);
    expect(retry.json.participants.map((p: { id: string }) => p.id)).toEqual(first.json.participants.map((p: { id: string }) => p.id));
    expect(retry.json.message_count).toBe(1);

    await settle(first.json.id);
    const list = await call("GET", "/v1/conversations", { key });
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([first.json.id]);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", first.json.id)).toBe(1);
  });

  it("a retry returns the first response even after the conversation changed", async () => {
    const { key } = await newAccount();
    const body = { friendly_name: "original", message: { body: "first" } };
    const first = await call("POST", "/v1/conversations", { key, body, headers: withKey("create-then-change") });
    expect(first.status).toBe(201);
    expect((await call("PATCH", `/v1/conversations/${first.json.id}`, { key, body: { friendly_name: "renamed", status: "resolved" } })).status).toBe(200);
    expect((await call("POST", `/v1/conversations/${first.json.id}/messages`, { key, body: { body: "second" } })).status).toBe(201);

    const retry = await call("POST", "/v1/conversations", { key, body, headers: withKey("create-then-change") });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json).toEqual(first.json);
  });

  it("the same key with a different body is a 422 naming header.idempotency-key, and creates nothing", async () => {
    const { key } = await newAccount();
    const first = await call("POST", "/v1/conversations", { key, body: { friendly_name: "a" }, headers: withKey("create-2") });
    expect(first.status).toBe(201);
    const p = problemOf(await call("POST", "/v1/conversations", { key, body: { friendly_name: "b" }, headers: withKey("create-2") }), 422);
    expect(errorPaths(p)).toEqual(["header.idempotency-key"]);
    await settle(first.json.id);
    const list = await call("GET", "/v1/conversations", { key });
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([first.json.id]);
  });

  it("concurrent creates with one key make one conversation", async () => {
    const { key } = await newAccount();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call("POST", "/v1/conversations", { key, body: { friendly_name: "race", message: { body: "m" } }, headers: withKey("create-race") })),
    );
    for (const r of results) expect(r.status, JSON.stringify(r.json)).toBe(201);
    const ids = new Set(results.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    await settle(id);
    const list = await call("GET", "/v1/conversations", { key });
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(list.json.data[0].message_count).toBe(1);
  });

  it("keys are per account: another account's identical key creates its own conversation", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const ra = await call("POST", "/v1/conversations", { key: a.key, body: { friendly_name: "same" }, headers: withKey("shared-key") });
    const rb = await call("POST", "/v1/conversations", { key: b.key, body: { friendly_name: "same" }, headers: withKey("shared-key") });
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
    expect(rb.json.id).not.toBe(ra.json.id);
  });
});

describe("Idempotency-Key on adding participants", () => {
  it("a retry returns the same participant, marked replayed; a different body is a 422", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const body = { kind: "customer", channel: "whatsapp", address: "+14155550180" };
    const first = await call("POST", `/v1/conversations/${c.id}/participants`, { key, body, headers: withKey("add-1") });
    expect(first.status).toBe(201);
    const retry = await call("POST", `/v1/conversations/${c.id}/participants`, { key, body, headers: withKey("add-1") });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json.id).toBe(first.json.id);
    // Without the key the same body is a duplicate.
    problemOf(await call("POST", `/v1/conversations/${c.id}/participants`, { key, body }), 409);

    const p = problemOf(
      await call("POST", `/v1/conversations/${c.id}/participants`, { key, body: { kind: "agent", identity: "someone" }, headers: withKey("add-1") }),
      422,
    );
    expect(errorPaths(p)).toEqual(["header.idempotency-key"]);
    const list = await call("GET", `/v1/conversations/${c.id}/participants`, { key });
    expect(list.json.data.map((x: { id: string }) => x.id)).toEqual([first.json.id]);
  });
});
