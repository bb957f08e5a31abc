import { describe, expect, it } from "vitest";
import { addParticipant, call, d1Number, errorPaths, newAccount, newConversation, problemOf, send, settle, sleep } from "./helpers";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every conversation id the account's listing returns, following next_cursor to the end. */
async function listAll(key: string, query = "", limit = 100): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const sep = query ? "&" : "";
    const res = await call("GET", `/v1/conversations?${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { key });
    expect(res.status).toBe(200);
    ids.push(...res.json.data.map((c: { id: string }) => c.id));
    cursor = res.json.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error("listing never ended");
}

/** Creates conversations one after another with distinct activity times, and waits for D1. */
async function createSeveral(key: string, n: number, body: (i: number) => Record<string, unknown> = () => ({})) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await newConversation(key, body(i))).id);
    await sleep(3);
  }
  await settle(...ids);
  return ids;
}

describe("create", () => {
  it("creates with every field, participants and a first message in one call", async () => {
    const { key } = await newAccount();
    const res = await call("POST", "/v1/conversations", {
      key,
      body: {
        friendly_name: "Order 1042",
        unique_name: "order-1042",
        subject: "Where is my parcel?",
        channel: "whatsapp",
        tags: ["vip", "shipping"],
        attributes: { crm_id: "A-1042", nested: { n: 1 } },
        participants: [
          { kind: "customer", channel: "whatsapp", address: "+14155550100" },
          { kind: "agent", identity: "agent-ada" },
        ],
        message: { body: "Hello, your parcel is on its way", author: "agent-ada" },
      },
    });
    expect(res.status).toBe(201);
    const c = res.json;
    expect(c.id).toMatch(/^conv_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(c).toMatchObject({
      friendly_name: "Order 1042",
      unique_name: "order-1042",
      subject: "Where is my parcel?",
      channel: "whatsapp",
      status: "open",
      tags: ["vip", "shipping"],
      attributes: { crm_id: "A-1042", nested: { n: 1 } },
      message_count: 1,
      participant_count: 2,
    });
    expect(c.created_at).toMatch(ISO);
    expect(c.updated_at).toMatch(ISO);
    expect(c.last_activity_at).toMatch(ISO);
    expect(c.participants).toHaveLength(2);
    expect(c.participants[0]).toMatchObject({ kind: "customer", channel: "whatsapp", address: "+14155550100", identity: null, conversation_id: c.id });
    expect(c.participants[1]).toMatchObject({ kind: "agent", channel: "chat", address: null, identity: "agent-ada", conversation_id: c.id });
    for (const p of c.participants) expect(p.id).toMatch(/^part_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(c.message).toMatchObject({ index: 0, body: "Hello, your parcel is on its way", author: "agent-ada", author_kind: "agent", conversation_id: c.id });
    expect(c.message.id).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(c.last_message).toMatchObject({ id: c.message.id, index: 0, body: "Hello, your parcel is on its way" });

    // What the create call returned is what is stored.
    const got = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id: c.id, unique_name: "order-1042", message_count: 1, participant_count: 2, tags: ["vip", "shipping"] });
    const history = await call("GET", `/v1/conversations/${c.id}/messages`, { key });
    expect(history.json.data.map((m: { id: string }) => m.id)).toEqual([c.message.id]);
    const parts = await call("GET", `/v1/conversations/${c.id}/participants`, { key });
    expect(parts.json.data.map((p: { id: string }) => p.id)).toEqual(c.participants.map((p: { id: string }) => p.id));
  });

  it("creates an empty conversation with defaults", async () => {
    const { key } = await newAccount();
    const res = await call("POST", "/v1/conversations", { key, body: {} });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      unique_name: null,
      friendly_name: null,
      subject: null,
      channel: null,
      status: "open",
      tags: [],
      attributes: {},
      message_count: 0,
      participant_count: 0,
      last_message: null,
      participants: [],
      message: null,
    });
  });

  it("takes the channel of its first channel-bound participant when none is given", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, { participants: [{ kind: "agent", identity: "a" }, { kind: "customer", channel: "sms", address: "+14155550101" }] });
    expect(c.channel).toBe("sms");
  });
});

describe("get", () => {
  it("reports message_count, last_message and participant_count as they change", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const empty = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(empty.json).toMatchObject({ message_count: 0, participant_count: 0, last_message: null });

    await addParticipant(key, c.id, { kind: "customer", channel: "sms", address: "+14155550102" });
    await addParticipant(key, c.id, { kind: "agent", identity: "bob" });
    await send(key, c.id, { body: "first" });
    const last = await send(key, c.id, { body: "second", author: "bob" });

    const res = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(res.status).toBe(200);
    expect(res.json.message_count).toBe(2);
    expect(res.json.participant_count).toBe(2);
    expect(res.json.last_message).toMatchObject({ id: last.id, index: 1, author: "bob", body: "second" });
    expect(Date.parse(res.json.last_activity_at)).toBeGreaterThanOrEqual(Date.parse(c.last_activity_at));
  });

  it("is 404 for an unknown or malformed id", async () => {
    const { key } = await newAccount();
    problemOf(await call("GET", "/v1/conversations/conv_01JD5V7J3E9Q8M2K4N6P0R1S2T", { key }), 404);
    problemOf(await call("GET", "/v1/conversations/nope", { key }), 404);
  });
});

describe("update", () => {
  it("changes status, friendly_name, subject, tags and attributes", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, { friendly_name: "before", tags: ["a"], attributes: { x: 1 } });
    const res = await call("PATCH", `/v1/conversations/${c.id}`, {
      key,
      body: { status: "resolved", friendly_name: "after", subject: "s", tags: ["b", "c"], attributes: { y: 2 } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: c.id, status: "resolved", friendly_name: "after", subject: "s", tags: ["b", "c"], attributes: { y: 2 } });
    expect(Date.parse(res.json.updated_at)).toBeGreaterThanOrEqual(Date.parse(c.updated_at));

    const got = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(got.json).toMatchObject({ status: "resolved", friendly_name: "after", subject: "s", tags: ["b", "c"], attributes: { y: 2 } });

    // A partial patch leaves the other fields alone; null clears a nullable field.
    const partial = await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { friendly_name: null } });
    expect(partial.status).toBe(200);
    expect(partial.json).toMatchObject({ status: "resolved", friendly_name: null, subject: "s", tags: ["b", "c"] });

    // The D1 listing follows.
    await settle(c.id);
    const listed = await call("GET", "/v1/conversations?status=resolved", { key });
    expect(listed.json.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(listed.json.data[0]).toMatchObject({ friendly_name: null, tags: ["b", "c"] });
  });

  it("rejects an unknown status with 422 naming body.status and changes nothing", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, { friendly_name: "keep" });
    const p = problemOf(await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { status: "archived", friendly_name: "changed" } }), 422);
    expect(errorPaths(p)).toContain("body.status");
    const got = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(got.json).toMatchObject({ status: "open", friendly_name: "keep" });
  });
});

describe("delete", () => {
  it("deletes the conversation: later GETs are 404 and the D1 rows go after the drain", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, {
      participants: [{ kind: "customer", channel: "sms", address: "+14155550103" }, { kind: "agent", identity: "eve" }],
      message: { body: "one" },
    });
    await send(key, c.id, { body: "two" });
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversations WHERE id = ?", c.id)).toBe(1);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(2);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE conversation_id = ?", c.id)).toBe(2);

    const del = await call("DELETE", `/v1/conversations/${c.id}`, { key });
    expect(del.status).toBe(204);

    problemOf(await call("GET", `/v1/conversations/${c.id}`, { key }), 404);
    problemOf(await call("GET", `/v1/conversations/${c.id}/messages`, { key }), 404);
    problemOf(await call("GET", `/v1/conversations/${c.id}/participants`, { key }), 404);
    problemOf(await call("GET", `/v1/conversations/${c.id}/messages/${c.message.id}`, { key }), 404);
    problemOf(await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "three" } }), 404);
    problemOf(await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { status: "open" } }), 404);
    problemOf(await call("DELETE", `/v1/conversations/${c.id}`, { key }), 404);

    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversations WHERE id = ?", c.id)).toBe(0);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(0);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE conversation_id = ?", c.id)).toBe(0);
    expect(await listAll(key)).toEqual([]);
  });
});

describe("unique_name", () => {
  it("a duplicate is a 409 naming body.unique_name; the name is free again once the holder is deleted", async () => {
    const { key } = await newAccount();
    const first = await newConversation(key, { unique_name: "ticket-7" });
    const dup = problemOf(await call("POST", "/v1/conversations", { key, body: { unique_name: "ticket-7", friendly_name: "dup" } }), 409);
    expect(errorPaths(dup)).toEqual(["body.unique_name"]);
    expect(dup.detail).toContain("ticket-7");

    // The rejected create made nothing.
    await settle(first.id);
    expect(await listAll(key)).toEqual([first.id]);

    expect((await call("DELETE", `/v1/conversations/${first.id}`, { key })).status).toBe(204);
    // Reusable at once, without waiting for the drain...
    const second = await call("POST", "/v1/conversations", { key, body: { unique_name: "ticket-7" } });
    expect(second.status).toBe(201);
    expect(second.json.id).not.toBe(first.id);
    await settle(first.id, second.json.id);
    // ...and the new holder keeps it after the drain of the deletion.
    problemOf(await call("POST", "/v1/conversations", { key, body: { unique_name: "ticket-7" } }), 409);
    expect(await listAll(key)).toEqual([second.json.id]);
  });

  it("concurrent creates with one unique_name: exactly one wins, the rest are 409", async () => {
    const { key } = await newAccount();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call("POST", "/v1/conversations", { key, body: { unique_name: "contested", friendly_name: `try ${i}` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201), JSON.stringify(statuses)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const winners = results.filter((r) => r.status === 201).map((r) => r.json.id as string);
    await settle(...winners);
    const listed = await listAll(key);
    expect(listed).toHaveLength(1);
  });

  it("is unique per account: another account may use the same name", async () => {
    const a = await newAccount();
    const b = await newAccount();
    await newConversation(a.key, { unique_name: "shared-name" });
    const res = await call("POST", "/v1/conversations", { key: b.key, body: { unique_name: "shared-name" } });
    expect(res.status).toBe(201);
  });
});

describe("listing", () => {
  it("lists newest activity first, and a new message moves a conversation to the top", async () => {
    const { key } = await newAccount();
    const [c1, c2, c3] = await createSeveral(key, 3);
    expect(await listAll(key)).toEqual([c3, c2, c1]);
    await send(key, c1!, { body: "bump" });
    await settle(c1!);
    expect(await listAll(key)).toEqual([c1, c3, c2]);
    const res = await call("GET", "/v1/conversations", { key });
    expect(res.json.data[0]).toMatchObject({ id: c1, message_count: 1, last_message: { body: "bump" } });
  });

  it("filters by status, channel and tag", async () => {
    const { key } = await newAccount();
    const [sms, wa, chat] = await createSeveral(key, 3, (i) => [
      { channel: "sms", tags: ["vip", "billing"] },
      { channel: "whatsapp", tags: ["billing"] },
      { tags: [] },
    ][i]!);
    await call("PATCH", `/v1/conversations/${wa}`, { key, body: { status: "closed" } });
    await settle(wa!);

    expect(await listAll(key, "status=closed")).toEqual([wa]);
    expect((await listAll(key, "status=open")).sort()).toEqual([sms, chat].sort());
    expect(await listAll(key, "status=resolved")).toEqual([]);
    expect(await listAll(key, "channel=sms")).toEqual([sms]);
    expect(await listAll(key, "channel=whatsapp")).toEqual([wa]);
    expect(await listAll(key, "tag=vip")).toEqual([sms]);
    expect((await listAll(key, "tag=billing")).sort()).toEqual([sms, wa].sort());
    expect(await listAll(key, "tag=nope")).toEqual([]);
    expect(await listAll(key, "status=open&tag=billing")).toEqual([sms]);
  });

  it("filters by participant address and identity", async () => {
    const { key } = await newAccount();
    const [c1, c2, c3] = await createSeveral(key, 3, (i) => [
      { participants: [{ kind: "customer", channel: "sms", address: "+14155550110" }, { kind: "agent", identity: "ann" }] },
      { participants: [{ kind: "customer", channel: "email", address: "pat@example.com" }, { kind: "agent", identity: "ann" }] },
      { participants: [{ kind: "agent", identity: "ben" }] },
    ][i]!);
    expect(await listAll(key, "address=%2B14155550110")).toEqual([c1]);
    expect(await listAll(key, "address=pat%40example.com")).toEqual([c2]);
    expect(await listAll(key, "identity=ann")).toEqual([c2, c1]);
    expect(await listAll(key, "identity=ben")).toEqual([c3]);
    expect(await listAll(key, "identity=nobody")).toEqual([]);

    // A participant who leaves no longer matches.
    const parts = await call("GET", `/v1/conversations/${c1}/participants`, { key });
    const ann = parts.json.data.find((p: { identity: string | null }) => p.identity === "ann");
    expect((await call("DELETE", `/v1/conversations/${c1}/participants/${ann.id}`, { key })).status).toBe(204);
    await settle(c1!);
    expect(await listAll(key, "identity=ann")).toEqual([c2]);
  });

  it("filters by created_after and created_before", async () => {
    const { key } = await newAccount();
    const [c1] = await createSeveral(key, 1);
    await sleep(20);
    const between = new Date().toISOString();
    await sleep(20);
    const [c2] = await createSeveral(key, 1);
    expect(await listAll(key, `created_after=${encodeURIComponent(between)}`)).toEqual([c2]);
    expect(await listAll(key, `created_before=${encodeURIComponent(between)}`)).toEqual([c1]);
    expect(await listAll(key, "created_after=2000-01-01T00:00:00Z")).toEqual([c2, c1]);
    expect(await listAll(key, "created_before=2000-01-01T00:00:00Z")).toEqual([]);
    const bad = problemOf(await call("GET", "/v1/conversations?created_after=yesterday", { key }), 400);
    expect(errorPaths(bad)).toContain("query.created_after");
  });

  it("pages with limit and cursor: every row exactly once, in order", async () => {
    const { key } = await newAccount();
    const created = await createSeveral(key, 7);
    const newestFirst = [...created].reverse();

    const first = await call("GET", "/v1/conversations?limit=3", { key });
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(3);
    expect(typeof first.json.next_cursor).toBe("string");

    expect(await listAll(key, "", 3)).toEqual(newestFirst);
    expect(await listAll(key, "", 1)).toEqual(newestFirst);
    expect(await listAll(key, "", 7)).toEqual(newestFirst);
    // Exactly one full page leaves no next cursor.
    const all = await call("GET", "/v1/conversations?limit=7", { key });
    expect(all.json.next_cursor).toBeNull();
    // Default page size is 25.
    const dflt = await call("GET", "/v1/conversations", { key });
    expect(dflt.json.data).toHaveLength(7);
    expect(dflt.json.next_cursor).toBeNull();
  });

  it("pages stay consistent while new conversations are created between page fetches", async () => {
    const { key } = await newAccount();
    const created = await createSeveral(key, 7);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call("GET", `/v1/conversations?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { key });
      expect(res.status).toBe(200);
      seen.push(...res.json.data.map((c: { id: string }) => c.id));
      cursor = res.json.next_cursor;
      // Someone creates more conversations while we page.
      await createSeveral(key, 2);
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual([...created].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("limit over 100 is a 400 naming query.limit; a bad cursor is a 400", async () => {
    const { key } = await newAccount();
    const over = problemOf(await call("GET", "/v1/conversations?limit=101", { key }), 400);
    expect(errorPaths(over)).toContain("query.limit");
    const zero = problemOf(await call("GET", "/v1/conversations?limit=0", { key }), 400);
    expect(errorPaths(zero)).toContain("query.limit");
    const nan = problemOf(await call("GET", "/v1/conversations?limit=lots", { key }), 400);
    expect(errorPaths(nan)).toContain("query.limit");
    expect((await call("GET", "/v1/conversations?limit=100", { key })).status).toBe(200);

    for (const cursor of ["garbage", "eyJ4IjoxfQ", btoa(JSON.stringify(["x", 1])), "%%%"]) {
      const bad = problemOf(await call("GET", `/v1/conversations?cursor=${encodeURIComponent(cursor)}`, { key }), 400);
      expect(errorPaths(bad)).toContain("query.cursor");
    }
    const badStatus = problemOf(await call("GET", "/v1/conversations?status=gone", { key }), 400);
    expect(errorPaths(badStatus)).toContain("query.status");
  });
});
