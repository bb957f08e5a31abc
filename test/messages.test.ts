import { describe, expect, it } from "vitest";
import { addParticipant, call, d1Number, errorPaths, newAccount, newConversation, problemOf, send, settle } from "./helpers";

const msgs = (c: { id: string }) => `/v1/conversations/${c.id}/messages`;
const count = async (key: string, c: { id: string }) => (await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count as number;

async function history(key: string, c: { id: string }, query = "") {
  const res = await call("GET", `${msgs(c)}${query ? `?${query}` : ""}`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { data: { id: string; index: number; body: string; created_at: string }[]; next_cursor: string | null };
}

describe("authors", () => {
  it("accepts a participant id, identity or address as author, and none means system", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const cust = await addParticipant(key, c.id, { kind: "customer", channel: "sms", address: "+14155550100" });
    const agent = await addParticipant(key, c.id, { kind: "agent", identity: "ada" });
    const bot = await addParticipant(key, c.id, { kind: "bot", identity: "botty" });

    const byId = await send(key, c.id, { body: "by id", author: agent.id });
    expect(byId).toMatchObject({ author: "ada", author_kind: "agent", participant_id: agent.id, index: 0 });
    const byIdentity = await send(key, c.id, { body: "by identity", author: "botty" });
    expect(byIdentity).toMatchObject({ author: "botty", author_kind: "bot", participant_id: bot.id, index: 1 });
    const byAddress = await send(key, c.id, { body: "by address", author: "+14155550100" });
    expect(byAddress).toMatchObject({ author: "+14155550100", author_kind: "customer", participant_id: cust.id, index: 2, channel: "sms" });
    const system = await send(key, c.id, { body: "no author" });
    expect(system).toMatchObject({ author: "system", author_kind: "system", participant_id: null, index: 3 });
  });

  it("an author who is not a participant is a 422 naming body.author and changes nothing", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await addParticipant(key, c.id, { kind: "agent", identity: "ada" });
    const other = await newConversation(key);
    const outsider = await addParticipant(key, other.id, { kind: "agent", identity: "outsider" });
    await send(key, c.id, { body: "zero" });

    for (const author of ["nobody", "+14155550199", "part_01JD5V7J3E9Q8M2K4N6P0R1S2T", outsider.id, "outsider"]) {
      const p = problemOf(await call("POST", msgs(c), { key, body: { body: "x", author } }), 422);
      expect(errorPaths(p), author).toEqual(["body.author"]);
    }
    expect(await count(key, c)).toBe(1);
    // No gap was left behind by the rejected sends.
    expect((await send(key, c.id, { body: "one", author: "ada" })).index).toBe(1);
  });
});

describe("body, media and size rules", () => {
  it("needs a body or media: neither is a 422 and changes nothing", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    for (const body of [{}, { body: "" }, { media: [] }, { body: "", media: [] }, { attributes: { a: 1 } }]) {
      const p = problemOf(await call("POST", msgs(c), { key, body }), 422);
      expect(errorPaths(p), JSON.stringify(body)).toContain("body.body");
    }
    expect(await count(key, c)).toBe(0);

    const mediaOnly = await send(key, c.id, { media: [{ url: "https://example.com/cat.jpg", content_type: "image/jpeg", filename: "cat.jpg" }] });
    expect(mediaOnly).toMatchObject({ index: 0, body: "", media: [{ url: "https://example.com/cat.jpg", content_type: "image/jpeg", filename: "cat.jpg" }] });
    const both = await send(key, c.id, { body: "look", media: [{ url: "https://example.com/a.png", content_type: "image/png" }], attributes: { k: "v" } });
    expect(both).toMatchObject({ index: 1, body: "look", attributes: { k: "v" } });
  });

  it("rejects bad media with 422 naming the field", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const http = problemOf(await call("POST", msgs(c), { key, body: { media: [{ url: "http://example.com/a.jpg", content_type: "image/jpeg" }] } }), 422);
    expect(errorPaths(http)).toContain("body.media[0].url");
    const type = problemOf(await call("POST", msgs(c), { key, body: { body: "x", media: [{ url: "https://example.com/a.jpg", content_type: "jpeg" }] } }), 422);
    expect(errorPaths(type)).toContain("body.media[0].content_type");
    const many = Array.from({ length: 11 }, (_, i) => ({ url: `https://example.com/${i}.jpg`, content_type: "image/jpeg" }));
    expect(errorPaths(problemOf(await call("POST", msgs(c), { key, body: { media: many } }), 422))).toContain("body.media");
    expect(await count(key, c)).toBe(0);
  });

  it("a body over 32 KB is a 413 naming body.body; exactly 32 KB is fine", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const p = problemOf(await call("POST", msgs(c), { key, body: { body: "a".repeat(32 * 1024 + 1) } }), 413);
    expect(errorPaths(p)).toEqual(["body.body"]);
    // The limit is in bytes: 11,000 three-byte characters are 33,000 bytes.
    const wide = problemOf(await call("POST", msgs(c), { key, body: { body: "€".repeat(11_000) } }), 413);
    expect(errorPaths(wide)).toEqual(["body.body"]);
    expect(await count(key, c)).toBe(0);
    const exact = await send(key, c.id, { body: "a".repeat(32 * 1024) });
    expect(exact.body).toHaveLength(32 * 1024);
    expect(exact.index).toBe(0);
  });

  it("message attributes over 4 KB are a 413 naming body.attributes", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const p = problemOf(await call("POST", msgs(c), { key, body: { body: "x", attributes: { blob: "a".repeat(4 * 1024) } } }), 413);
    expect(errorPaths(p)).toContain("body.attributes");
    expect(await count(key, c)).toBe(0);
    const notObject = problemOf(await call("POST", msgs(c), { key, body: { body: "x", attributes: ["a"] } }), 422);
    expect(errorPaths(notObject)).toContain("body.attributes");
  });

  it("a conversation friendly_name over 256 characters is a 422 naming body.friendly_name", async () => {
    const { key } = await newAccount();
    const p = problemOf(await call("POST", "/v1/conversations", { key, body: { friendly_name: "n".repeat(257) } }), 422);
    expect(errorPaths(p)).toEqual(["body.friendly_name"]);
    const c = await newConversation(key, { friendly_name: "n".repeat(256) });
    const patch = problemOf(await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { friendly_name: "m".repeat(257) } }), 422);
    expect(errorPaths(patch)).toEqual(["body.friendly_name"]);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.friendly_name).toBe("n".repeat(256));
  });

  it("conversation attributes over 16 KB are a 413 naming body.attributes, on create and update", async () => {
    const { key } = await newAccount();
    const big = { blob: "a".repeat(16 * 1024) };
    const p = problemOf(await call("POST", "/v1/conversations", { key, body: { attributes: big } }), 413);
    expect(errorPaths(p)).toContain("body.attributes");
    const c = await newConversation(key, { attributes: { small: true } });
    const patch = problemOf(await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { attributes: big } }), 413);
    expect(errorPaths(patch)).toContain("body.attributes");
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.attributes).toEqual({ small: true });
    // A first message inside the create call obeys the message limits too.
    const first = problemOf(await call("POST", "/v1/conversations", { key, body: { message: { body: "a".repeat(32 * 1024 + 1) } } }), 413);
    expect(errorPaths(first)).toContain("body.message.body");
  });
});

describe("closed conversations", () => {
  it("refuses sends with 409 until reopened", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await send(key, c.id, { body: "before" });
    expect((await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { status: "closed" } })).status).toBe(200);
    problemOf(await call("POST", msgs(c), { key, body: { body: "while closed" } }), 409);
    expect(await count(key, c)).toBe(1);
    // A resolved conversation still takes messages; reopening lifts the block.
    expect((await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { status: "open" } })).status).toBe(200);
    expect((await send(key, c.id, { body: "after" })).index).toBe(1);
    expect((await call("PATCH", `/v1/conversations/${c.id}`, { key, body: { status: "resolved" } })).status).toBe(200);
    expect((await send(key, c.id, { body: "resolved" })).index).toBe(2);
  });
});

describe("history", () => {
  it("is oldest first by default, newest first with order=desc, and windows with after_index/before_index", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const sent = [];
    for (let i = 0; i < 10; i++) sent.push(await send(key, c.id, { body: `m${i}` }));

    const asc = await history(key, c);
    expect(asc.data.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(asc.data.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    expect(asc.next_cursor).toBeNull();
    expect((await history(key, c, "order=desc")).data.map((m) => m.index)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect((await history(key, c, "after_index=6")).data.map((m) => m.index)).toEqual([7, 8, 9]);
    expect((await history(key, c, "before_index=3")).data.map((m) => m.index)).toEqual([0, 1, 2]);
    expect((await history(key, c, "after_index=2&before_index=6")).data.map((m) => m.index)).toEqual([3, 4, 5]);
    expect((await history(key, c, "order=desc&after_index=2&before_index=6")).data.map((m) => m.index)).toEqual([5, 4, 3]);
    expect((await history(key, c, "order=desc&before_index=3")).data.map((m) => m.index)).toEqual([2, 1, 0]);
    expect((await history(key, c, "after_index=9")).data).toEqual([]);
    // The latest two, newest first, as a chat UI opens a thread.
    expect((await history(key, c, "order=desc&limit=2")).data.map((m) => m.body)).toEqual(["m9", "m8"]);

    problemOf(await call("GET", `${msgs(c)}?order=sideways`, { key }), 400);
    expect(errorPaths(problemOf(await call("GET", `${msgs(c)}?after_index=-1`, { key }), 400))).toContain("query.after_index");
    expect(errorPaths(problemOf(await call("GET", `${msgs(c)}?limit=101`, { key }), 400))).toContain("query.limit");
    expect(errorPaths(problemOf(await call("GET", `${msgs(c)}?cursor=bogus`, { key }), 400))).toContain("query.cursor");
  });

  it("pages with a cursor in both directions: every message once, in order", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    for (let i = 0; i < 11; i++) await send(key, c.id, { body: `m${i}` });

    for (const [order, expected] of [
      ["asc", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
      ["desc", [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
    ] as const) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await history(key, c, `order=${order}&limit=4${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.data.length).toBeLessThanOrEqual(4);
        seen.push(...page.data.map((m) => m.index));
        cursor = page.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
    }

    // A cursor combined with a window keeps the window.
    const first = await history(key, c, "after_index=2&before_index=9&limit=3");
    expect(first.data.map((m) => m.index)).toEqual([3, 4, 5]);
    const second = await history(key, c, `after_index=2&before_index=9&limit=3&cursor=${first.next_cursor}`);
    expect(second.data.map((m) => m.index)).toEqual([6, 7, 8]);
    expect(second.next_cursor).toBeNull();
  });

  it("GET one message returns it with its delivery; unknown ids are 404", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await addParticipant(key, c.id, { kind: "customer", channel: "whatsapp", address: "+14155550111" });
    await addParticipant(key, c.id, { kind: "agent", identity: "ada" });
    const m = await send(key, c.id, { body: "hello", author: "ada", attributes: { a: 1 } });
    const res = await call("GET", `${msgs(c)}/${m.id}`, { key });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(m);
    expect(res.json).toMatchObject({ id: m.id, conversation_id: c.id, index: 0, body: "hello", author: "ada", attributes: { a: 1 } });
    expect(res.json.delivery).toMatchObject({ status: "queued", channel: "whatsapp" });
    expect(Array.isArray(res.json.delivery.attempts)).toBe(true);

    problemOf(await call("GET", `${msgs(c)}/msg_01JD5V7J3E9Q8M2K4N6P0R1S2T`, { key }), 404);
    problemOf(await call("GET", `${msgs(c)}/garbage`, { key }), 404);
    // A message id of another conversation is not found through this one.
    const other = await newConversation(key);
    problemOf(await call("GET", `/v1/conversations/${other.id}/messages/${m.id}`, { key }), 404);
  });
});

describe("ordering", () => {
  it("200 concurrent sends get indexes 0–199 exactly once, in commit order", { timeout: 60_000 }, async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call("POST", msgs(c), { key, body: { body: `concurrent ${i}` } })));
    for (const r of results) expect(r.status).toBe(201);
    const sent = results.map((r) => r.json as { id: string; index: number; body: string; created_at: string });

    const indexes = sent.map((m) => m.index).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(new Set(sent.map((m) => m.id)).size).toBe(200);
    expect(await count(key, c)).toBe(200);

    // History returns them in index order, each with the id its send returned.
    const page1 = await history(key, c, "limit=100");
    const page2 = await history(key, c, `limit=100&cursor=${page1.next_cursor}`);
    expect(page2.next_cursor).toBeNull();
    const all = [...page1.data, ...page2.data];
    expect(all.map((m) => m.index)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const byIndex = new Map(sent.map((m) => [m.index, m]));
    for (const m of all) {
      expect(m.id).toBe(byIndex.get(m.index)!.id);
      expect(m.body).toBe(byIndex.get(m.index)!.body);
    }

    // created_at never goes backwards along the index.
    for (let i = 1; i < all.length; i++) {
      expect(Date.parse(all[i]!.created_at), `created_at at index ${i}`).toBeGreaterThanOrEqual(Date.parse(all[i - 1]!.created_at));
    }
    // D1 got each exactly once.
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(200);
    expect(await d1Number("SELECT count(DISTINCT idx) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(200);
    expect(await d1Number("SELECT max(idx) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(199);
  });

  it("message ids (ULIDs) sort in commit order, even when many share a millisecond", { timeout: 60_000 }, async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call("POST", msgs(c), { key, body: { body: `burst ${i}` } })));
    for (const r of results) expect(r.status).toBe(201);
    const byIndex = results.map((r) => r.json as { id: string; index: number }).sort((a, b) => a.index - b.index);
    const ids = byIndex.map((m) => m.id);
    const sortedIds = [...ids].sort();
    const firstOutOfOrder = ids.findIndex((id, i) => id !== sortedIds[i]);
    expect(firstOutOfOrder, `id order diverges from index order at index ${firstOutOfOrder}`).toBe(-1);
  });
});

describe("rejected input changes nothing", () => {
  it("message_count and the next index are unchanged after rejected sends", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await send(key, c.id, { body: "zero" });
    const rejected = [
      call("POST", msgs(c), { key, body: {} }),
      call("POST", msgs(c), { key, body: { body: "x", author: "ghost" } }),
      call("POST", msgs(c), { key, body: { body: "a".repeat(40_000) } }),
      call("POST", msgs(c), { key, body: { body: "x", channels: ["carrier-pigeon"] } }),
      call("POST", msgs(c), { key, body: { body: 42 } }),
    ];
    for (const r of await Promise.all(rejected)) expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await count(key, c)).toBe(1);
    expect((await history(key, c)).data.map((m) => m.body)).toEqual(["zero"]);
    expect((await send(key, c.id, { body: "one" })).index).toBe(1);
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", c.id)).toBe(2);
  });

  it("a create with a bad third participant creates nothing", async () => {
    const { key } = await newAccount();
    const bad = await call("POST", "/v1/conversations", {
      key,
      body: {
        unique_name: "bad-third",
        participants: [
          { kind: "customer", channel: "sms", address: "+14155550160" },
          { kind: "agent", identity: "ok" },
          { kind: "customer", channel: "sms", address: "555-0160" },
        ],
        message: { body: "hello" },
      },
    });
    const p = problemOf(bad, 422);
    expect(errorPaths(p)).toEqual(["body.participants[2].address"]);

    // A third participant that only the Durable Object can reject (an author it does not know) rolls back too.
    const lateReject = await call("POST", "/v1/conversations", {
      key,
      body: {
        unique_name: "bad-third",
        participants: [{ kind: "customer", channel: "sms", address: "+14155550160" }, { kind: "agent", identity: "ok" }, { kind: "bot", identity: "b" }],
        message: { body: "hello", author: "not-a-participant" },
      },
    });
    expect(errorPaths(problemOf(lateReject, 422))).toEqual(["body.message.author"]);

    const list = await call("GET", "/v1/conversations", { key });
    expect(list.json.data).toEqual([]);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE address = ?", "+14155550160")).toBe(0);
    const created = await newConversation(key, { unique_name: "bad-third" });
    expect(created.participant_count).toBe(0);
    expect(created.message_count).toBe(0);
  });
});
