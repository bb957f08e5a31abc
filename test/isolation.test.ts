import { describe, expect, it } from "vitest";
import { addParticipant, call, d1Number, newAccount, newConversation, problemOf, send, settle } from "./helpers";

const UNKNOWN_CONV = "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T";

/** Status, content type and body shape of a 404, without the parts that may name the id. */
function shape(res: { status: number; headers: Headers; json: any }) {
  return { status: res.status, type: res.headers.get("content-type"), problemType: res.json?.type, title: res.json?.title, detail: res.json?.detail };
}

/** Account A with a populated conversation, and account B. */
async function twoTenants() {
  const a = await newAccount("A");
  const b = await newAccount("B");
  const conv = await newConversation(a.key, {
    unique_name: "a-secret",
    tags: ["a-only"],
    participants: [
      { kind: "customer", channel: "sms", address: "+14155550190" },
      { kind: "agent", identity: "a-agent" },
    ],
    message: { body: "A's first message", author: "a-agent" },
  });
  await send(a.key, conv.id, { body: "A's second message" });
  await settle(conv.id);
  return { a, b, conv, part: conv.participants[0] as { id: string }, msg: conv.message as { id: string } };
}

describe("account B cannot reach account A's conversation", () => {
  it("every route answers B with the same 404 as for an unknown id, never 403", async () => {
    const { a, b, conv, part, msg } = await twoTenants();
    const requests: [string, string, unknown?][] = [
      ["GET", `/v1/conversations/{c}`],
      ["PATCH", `/v1/conversations/{c}`, { friendly_name: "pwned" }],
      ["GET", `/v1/conversations/{c}/messages`],
      ["GET", `/v1/conversations/{c}/messages?order=desc&limit=1`],
      ["GET", `/v1/conversations/{c}/messages/${msg.id}`],
      ["POST", `/v1/conversations/{c}/messages`, { body: "hi from B" }],
      ["GET", `/v1/conversations/{c}/participants`],
      ["GET", `/v1/conversations/{c}/participants/${part.id}`],
      ["POST", `/v1/conversations/{c}/participants`, { kind: "agent", identity: "b-spy" }],
      ["POST", `/v1/conversations/{c}/participants/${part.id}/read`, { last_read_index: 0 }],
      ["DELETE", `/v1/conversations/{c}/participants/${part.id}`],
      ["DELETE", `/v1/conversations/{c}`],
    ];
    for (const [method, template, body] of requests) {
      const foreign = await call(method, template.replace("{c}", conv.id), { key: b.key, body });
      const unknown = await call(method, template.replace("{c}", UNKNOWN_CONV), { key: b.key, body });
      problemOf(foreign, 404);
      problemOf(unknown, 404);
      expect(shape(foreign), `${method} ${template}`).toEqual(shape(unknown));
    }

    // Nothing changed for A.
    const got = await call("GET", `/v1/conversations/${conv.id}`, { key: a.key });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ friendly_name: null, message_count: 2, participant_count: 2, status: "open" });
    const parts = await call("GET", `/v1/conversations/${conv.id}/participants`, { key: a.key });
    expect(parts.json.data.map((p: { identity: string | null }) => p.identity)).not.toContain("b-spy");
    expect(parts.json.data.find((p: { id: string }) => p.id === part.id).last_read_index).toBeNull();
  });

  it("B's listing never includes A's rows, whatever the filter", async () => {
    const { a, b, conv } = await twoTenants();
    const own = await newConversation(b.key, { tags: ["b"] });
    await settle(own.id);
    for (const q of ["", "?tag=a-only", "?address=%2B14155550190", "?identity=a-agent", "?status=open", "?channel=sms", "?limit=100"]) {
      const res = await call("GET", `/v1/conversations${q}`, { key: b.key });
      expect(res.status).toBe(200);
      const ids = res.json.data.map((c: { id: string }) => c.id);
      expect(ids, q).not.toContain(conv.id);
      expect(JSON.stringify(res.json), q).not.toContain("A's");
    }
    expect((await call("GET", "/v1/conversations", { key: b.key })).json.data.map((c: { id: string }) => c.id)).toEqual([own.id]);
    // A still sees its own.
    expect((await call("GET", "/v1/conversations?tag=a-only", { key: a.key })).json.data.map((c: { id: string }) => c.id)).toEqual([conv.id]);
  });

  it("a cursor from A's listing shows B nothing of A's", async () => {
    const a = await newAccount("A");
    const b = await newAccount("B");
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newConversation(a.key)).id);
    await settle(...ids);
    const page = await call("GET", "/v1/conversations?limit=1", { key: a.key });
    const cursor = page.json.next_cursor as string;
    expect(cursor).toBeTruthy();
    const res = await call("GET", `/v1/conversations?cursor=${encodeURIComponent(cursor)}`, { key: b.key });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([]);
  });

  it("B's unique_name claims and deletions do not touch A's conversation", async () => {
    const { a, b, conv } = await twoTenants();
    const mine = await call("POST", "/v1/conversations", { key: b.key, body: { unique_name: "a-secret" } });
    expect(mine.status).toBe(201);
    expect(mine.json.id).not.toBe(conv.id);
    problemOf(await call("DELETE", `/v1/conversations/${conv.id}`, { key: b.key }), 404);
    await settle(conv.id, mine.json.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversations WHERE id = ?", conv.id)).toBe(1);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key: a.key })).status).toBe(200);
    // A's name is still A's.
    problemOf(await call("POST", "/v1/conversations", { key: a.key, body: { unique_name: "a-secret" } }), 409);
  });

  it("replaying A's Idempotency-Key from account B is a 404, and reveals nothing of A's message", async () => {
    const { a, b, conv } = await twoTenants();
    const body = { body: "A's confidential message" };
    const sent = await call("POST", `/v1/conversations/${conv.id}/messages`, { key: a.key, body, headers: { "idempotency-key": "a-key-1" } });
    expect(sent.status).toBe(201);

    const sameBody = await call("POST", `/v1/conversations/${conv.id}/messages`, { key: b.key, body, headers: { "idempotency-key": "a-key-1" } });
    expect(sameBody.status).toBe(404);
    expect(JSON.stringify(sameBody.json)).not.toContain(sent.json.id);
    expect(JSON.stringify(sameBody.json)).not.toContain("confidential");

    // A different body must not reveal that the key exists there either (422 would).
    const otherBody = await call("POST", `/v1/conversations/${conv.id}/messages`, { key: b.key, body: { body: "probe" }, headers: { "idempotency-key": "a-key-1" } });
    expect(otherBody.status).toBe(404);
  });

  it("replaying A's Idempotency-Key for an update from account B is a 404 and does not return A's conversation", async () => {
    const { a, b, conv } = await twoTenants();
    const body = { friendly_name: "A's renamed conversation" };
    const updated = await call("PATCH", `/v1/conversations/${conv.id}`, { key: a.key, body, headers: { "idempotency-key": "u-key" } });
    expect(updated.status).toBe(200);
    const replay = await call("PATCH", `/v1/conversations/${conv.id}`, { key: b.key, body, headers: { "idempotency-key": "u-key" } });
    expect(replay.status).toBe(404);
    expect(JSON.stringify(replay.json)).not.toContain("A's");
  });

  it("replaying A's Idempotency-Key for a participant from account B is a 404", async () => {
    const { a, b, conv } = await twoTenants();
    const body = { kind: "bot", identity: "a-bot" };
    const added = await call("POST", `/v1/conversations/${conv.id}/participants`, { key: a.key, body, headers: { "idempotency-key": "p-key" } });
    expect(added.status).toBe(201);
    const replay = await call("POST", `/v1/conversations/${conv.id}/participants`, { key: b.key, body, headers: { "idempotency-key": "p-key" } });
    expect(replay.status).toBe(404);
    expect(JSON.stringify(replay.json)).not.toContain(added.json.id);
  });

  it("an id of A's message or participant used in B's own conversation is 404", async () => {
    const { b, part, msg } = await twoTenants();
    const own = await newConversation(b.key);
    await addParticipant(b.key, own.id, { kind: "agent", identity: "b-agent" });
    problemOf(await call("GET", `/v1/conversations/${own.id}/messages/${msg.id}`, { key: b.key }), 404);
    problemOf(await call("GET", `/v1/conversations/${own.id}/participants/${part.id}`, { key: b.key }), 404);
    problemOf(await call("DELETE", `/v1/conversations/${own.id}/participants/${part.id}`, { key: b.key }), 404);
    // A's participant id cannot author in B's conversation.
    problemOf(await call("POST", `/v1/conversations/${own.id}/messages`, { key: b.key, body: { body: "x", author: part.id } }), 422);
  });
});

describe("malformed ids", () => {
  it("are 404 problems, the same as unknown ones", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    for (const id of ["x", "conv_", "conv_123", "part_01JD5V7J3E9Q8M2K4N6P0R1S2T", "conv_01jd5v7j3e9q8m2k4n6p0r1s2t", "conv_01JD5V7J3E9Q8M2K4N6P0R1S2TX", "%20", "conv_01JD5V7J3E9Q8M2K4N6P0R1S2I"]) {
      problemOf(await call("GET", `/v1/conversations/${id}`, { key }), 404);
      problemOf(await call("GET", `/v1/conversations/${id}/messages`, { key }), 404);
      problemOf(await call("POST", `/v1/conversations/${id}/messages`, { key, body: { body: "x" } }), 404);
      problemOf(await call("DELETE", `/v1/conversations/${id}`, { key }), 404);
    }
    for (const id of ["x", "msg_", "msg_01JD5V7J3E9Q8M2K4N6P0R1S2T", c.id]) {
      problemOf(await call("GET", `/v1/conversations/${c.id}/messages/${id}`, { key }), 404);
      problemOf(await call("GET", `/v1/conversations/${c.id}/participants/${id}`, { key }), 404);
    }
  });
});
