import { describe, expect, it } from "vitest";
import { addParticipant, call, d1Number, errorPaths, newAccount, newConversation, problemOf, send, settle } from "./helpers";

const path = (c: { id: string }) => `/v1/conversations/${c.id}/participants`;

describe("adding participants", () => {
  it("adds customers on sms, mms, whatsapp (E.164), messenger (PSID), email, and a chat identity", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const cases = [
      { kind: "customer", channel: "sms", address: "+14155550100" },
      { kind: "customer", channel: "mms", address: "+447700900123" },
      { kind: "customer", channel: "whatsapp", address: "+5511912345678" },
      { kind: "customer", channel: "messenger", address: "1234567890123456" },
      { kind: "customer", channel: "email", address: "pat@example.com" },
      { kind: "agent", identity: "agent-ada" },
      { kind: "bot", channel: "chat", identity: "helper-bot", attributes: { model: "x" } },
    ];
    const added = [];
    for (const body of cases) {
      const res = await call("POST", path(c), { key, body });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      expect(res.json.id).toMatch(/^part_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(res.json).toMatchObject({
        conversation_id: c.id,
        kind: body.kind,
        channel: body.channel ?? "chat",
        address: body.address ?? null,
        identity: body.identity ?? null,
        attributes: body.attributes ?? {},
        last_read_index: null,
        unread_count: 0,
      });
      added.push(res.json);
    }
    const list = await call("GET", path(c), { key });
    expect(list.status).toBe(200);
    expect(list.json.data.map((p: { id: string }) => p.id)).toEqual(added.map((p) => p.id));
    const one = await call("GET", `${path(c)}/${added[3].id}`, { key });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: added[3].id, channel: "messenger", address: "1234567890123456" });
    const conv = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(conv.json.participant_count).toBe(cases.length);
    // The first channel-bound participant set the conversation's channel.
    expect(conv.json.channel).toBe("sms");

    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE conversation_id = ?", c.id)).toBe(cases.length);
  });

  it("rejects addresses that do not fit the channel with 422 naming body.address", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const bad = [
      { kind: "customer", channel: "sms", address: "4155550100" },
      { kind: "customer", channel: "sms", address: "+0155550100" },
      { kind: "customer", channel: "whatsapp", address: "+1 415 555 0100" },
      { kind: "customer", channel: "whatsapp", address: "pat@example.com" },
      { kind: "customer", channel: "messenger", address: "abc123" },
      { kind: "customer", channel: "email", address: "not-an-email" },
      { kind: "customer", channel: "email", address: "a b@example.com" },
      { kind: "customer", channel: "sms" },
    ];
    for (const body of bad) {
      const p = problemOf(await call("POST", path(c), { key, body }), 422);
      expect(errorPaths(p), JSON.stringify(body)).toContain("body.address");
    }
    // A chat participant needs an identity; an address without a channel is refused.
    expect(errorPaths(problemOf(await call("POST", path(c), { key, body: { kind: "agent" } }), 422))).toContain("body.identity");
    expect(errorPaths(problemOf(await call("POST", path(c), { key, body: { kind: "customer", address: "+14155550100" } }), 422))).toContain("body.channel");
    expect(errorPaths(problemOf(await call("POST", path(c), { key, body: { kind: "boss", identity: "x" } }), 422))).toContain("body.kind");
    expect(errorPaths(problemOf(await call("POST", path(c), { key, body: { kind: "agent", identity: "has space" } }), 422))).toContain("body.identity");

    const conv = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(conv.json.participant_count).toBe(0);
  });

  it("a duplicate address or identity in one conversation is a 409; other conversations may reuse them", async () => {
    const { key } = await newAccount();
    const c1 = await newConversation(key);
    const c2 = await newConversation(key);
    await addParticipant(key, c1.id, { kind: "customer", channel: "sms", address: "+14155550120" });
    await addParticipant(key, c1.id, { kind: "agent", identity: "sam" });

    const dupAddr = problemOf(await call("POST", path(c1), { key, body: { kind: "customer", channel: "sms", address: "+14155550120" } }), 409);
    expect(errorPaths(dupAddr)).toContain("body.address");
    const dupId = problemOf(await call("POST", path(c1), { key, body: { kind: "bot", identity: "sam" } }), 409);
    expect(errorPaths(dupId)).toContain("body.identity");
    expect((await call("GET", `/v1/conversations/${c1.id}`, { key })).json.participant_count).toBe(2);

    // Another conversation of the same account is fine.
    expect((await call("POST", path(c2), { key, body: { kind: "customer", channel: "sms", address: "+14155550120" } })).status).toBe(201);
    expect((await call("POST", path(c2), { key, body: { kind: "agent", identity: "sam" } })).status).toBe(201);
  });

  it("a duplicate inside one create call is a 409 that creates nothing", async () => {
    const { key } = await newAccount();
    const res = await call("POST", "/v1/conversations", {
      key,
      body: {
        unique_name: "dup-in-create",
        participants: [
          { kind: "customer", channel: "sms", address: "+14155550130" },
          { kind: "agent", identity: "x" },
          { kind: "customer", channel: "sms", address: "+14155550130" },
        ],
      },
    });
    const p = problemOf(res, 409);
    expect(errorPaths(p)).toContain("body.participants[2].address");
    // Nothing remains: the unique_name is free and the account has no conversation.
    const again = await call("POST", "/v1/conversations", { key, body: { unique_name: "dup-in-create" } });
    expect(again.status).toBe(201);
    await settle(again.json.id);
    const list = await call("GET", "/v1/conversations", { key });
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([again.json.id]);
  });

  it("allows at most 50 channel-bound participants: the 51st is a 422, chat identities still fit", async () => {
    const { key } = await newAccount();
    // The create call carries up to 50 participants.
    const participants = Array.from({ length: 50 }, (_, i) => ({ kind: "customer", channel: "sms", address: `+1415555${String(1000 + i)}` }));
    const c = await newConversation(key, { participants });
    expect(c.participants).toHaveLength(50);

    const p = problemOf(await call("POST", path(c), { key, body: { kind: "customer", channel: "email", address: "late@example.com" } }), 422);
    expect(errorPaths(p)).toContain("body.address");
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.participant_count).toBe(50);
    // A chat identity is not channel-bound.
    expect((await call("POST", path(c), { key, body: { kind: "agent", identity: "agent-51" } })).status).toBe(201);

    // Removing one frees a slot.
    const del = await call("DELETE", `${path(c)}/${c.participants[0].id}`, { key });
    expect(del.status).toBe(204);
    expect((await call("POST", path(c), { key, body: { kind: "customer", channel: "email", address: "late@example.com" } })).status).toBe(201);

    // More than 50 in one create call is refused up front.
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ kind: "agent", identity: `a${i}` }));
    const big = problemOf(await call("POST", "/v1/conversations", { key, body: { participants: tooMany } }), 422);
    expect(errorPaths(big)).toContain("body.participants");
  });

  it("allows at most 1,000 participants in all: the 1,001st is a 422", { timeout: 120_000 }, async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const BATCH = 50;
    for (let start = 0; start < 1000; start += BATCH) {
      const results = await Promise.all(
        Array.from({ length: BATCH }, (_, i) => call("POST", path(c), { key, body: { kind: "agent", identity: `agent-${start + i}` } })),
      );
      for (const r of results) expect(r.status).toBe(201);
    }
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.participant_count).toBe(1000);
    const p = problemOf(await call("POST", path(c), { key, body: { kind: "agent", identity: "agent-1000" } }), 422);
    expect(p.errors?.length).toBeGreaterThan(0);
    problemOf(await call("POST", path(c), { key, body: { kind: "customer", channel: "sms", address: "+14155550199" } }), 422);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.participant_count).toBe(1000);

    // The listing pages through all of them exactly once.
    const ids = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call("GET", `${path(c)}?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { key });
      expect(res.status).toBe(200);
      for (const p of res.json.data) ids.add(p.id);
      cursor = res.json.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(ids.size).toBe(1000);
    expect(pages).toBe(10);

    // All of them reach D1, each once.
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE conversation_id = ?", c.id)).toBe(1000);
    const listed = await call("GET", "/v1/conversations?identity=agent-999", { key });
    expect(listed.json.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(listed.json.data[0].participant_count).toBe(1000);
  });
});

describe("removing participants", () => {
  it("removes a participant: it is 404 afterwards, and a second remove is 404", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const p = await addParticipant(key, c.id, { kind: "customer", channel: "whatsapp", address: "+14155550140" });
    const keep = await addParticipant(key, c.id, { kind: "agent", identity: "keeper" });
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE id = ?", p.id)).toBe(1);

    expect((await call("DELETE", `${path(c)}/${p.id}`, { key })).status).toBe(204);
    problemOf(await call("GET", `${path(c)}/${p.id}`, { key }), 404);
    problemOf(await call("DELETE", `${path(c)}/${p.id}`, { key }), 404);
    problemOf(await call("POST", `${path(c)}/${p.id}/read`, { key, body: { last_read_index: 0 } }), 404);
    const list = await call("GET", path(c), { key });
    expect(list.json.data.map((x: { id: string }) => x.id)).toEqual([keep.id]);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.participant_count).toBe(1);
    // A removed participant can no longer author messages.
    const send = problemOf(await call("POST", `/v1/conversations/${c.id}/messages`, { key, body: { body: "x", author: "+14155550140" } }), 422);
    expect(errorPaths(send)).toContain("body.author");

    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE id = ?", p.id)).toBe(0);
    // The address may join again.
    expect((await call("POST", path(c), { key, body: { kind: "customer", channel: "whatsapp", address: "+14155550140" } })).status).toBe(201);
  });

  it("an unknown participant id is 404", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    problemOf(await call("GET", `${path(c)}/part_01JD5V7J3E9Q8M2K4N6P0R1S2T`, { key }), 404);
    problemOf(await call("DELETE", `${path(c)}/part_01JD5V7J3E9Q8M2K4N6P0R1S2T`, { key }), 404);
    problemOf(await call("DELETE", `${path(c)}/garbage`, { key }), 404);
  });
});

describe("read horizon", () => {
  it("moves forward only, and unread_count is a number that follows it", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const reader = await addParticipant(key, c.id, { kind: "customer", channel: "sms", address: "+14155550150" });
    const writer = await addParticipant(key, c.id, { kind: "agent", identity: "writer" });
    for (let i = 0; i < 5; i++) await send(key, c.id, { body: `m${i}`, author: "writer" });

    const get = async (id: string) => (await call("GET", `${path(c)}/${id}`, { key })).json;
    const before = await get(reader.id);
    expect(before.last_read_index).toBeNull();
    expect(before.unread_count).toBe(5);
    expect(typeof before.unread_count).toBe("number");
    // An author has read what it wrote.
    const w = await get(writer.id);
    expect(w.last_read_index).toBe(4);
    expect(w.unread_count).toBe(0);

    const r1 = await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: 2 } });
    expect(r1.status).toBe(200);
    expect(r1.json).toMatchObject({ id: reader.id, last_read_index: 2, unread_count: 2 });

    // Backwards is a no-op, not an error.
    const r2 = await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: 1 } });
    expect(r2.status).toBe(200);
    expect(r2.json).toMatchObject({ last_read_index: 2, unread_count: 2 });

    const r3 = await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: 4 } });
    expect(r3.json).toMatchObject({ last_read_index: 4, unread_count: 0 });

    // A new message makes one unread again.
    await send(key, c.id, { body: "m5", author: "writer" });
    expect(await get(reader.id)).toMatchObject({ last_read_index: 4, unread_count: 1 });
    const listed = await call("GET", path(c), { key });
    const row = listed.json.data.find((p: { id: string }) => p.id === reader.id);
    expect(row).toMatchObject({ last_read_index: 4, unread_count: 1 });
  });

  it("a past-the-end index is a 422 naming body.last_read_index and changes nothing", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const reader = await addParticipant(key, c.id, { kind: "agent", identity: "r" });
    // No messages yet: even index 0 is past the end.
    const empty = problemOf(await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: 0 } }), 422);
    expect(errorPaths(empty)).toContain("body.last_read_index");

    await send(key, c.id, { body: "a" });
    await send(key, c.id, { body: "b" });
    const p = problemOf(await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: 2 } }), 422);
    expect(errorPaths(p)).toContain("body.last_read_index");
    const neg = problemOf(await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: -1 } }), 422);
    expect(errorPaths(neg)).toContain("body.last_read_index");
    const str = problemOf(await call("POST", `${path(c)}/${reader.id}/read`, { key, body: { last_read_index: "1" } }), 422);
    expect(errorPaths(str)).toContain("body.last_read_index");
    const got = (await call("GET", `${path(c)}/${reader.id}`, { key })).json;
    expect(got).toMatchObject({ last_read_index: null, unread_count: 2 });
  });
});
