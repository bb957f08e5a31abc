// A chat identity's inbox (`GET /v1/identities/{identity}/conversations`): its conversations, latest
// activity first, with unread counts; served from D1 (fed by the outbox), so reads poll briefly.
import { describe, expect, it } from "vitest";
import { call, newAccount, newConversation, problemOf, send, sleep } from "./helpers";

/** How long D1 may lag the conversations. */
const LAG_MS = 5_000;

type Entry = { id: string; participant_id: string; unread_count: unknown; last_read_index: number | null; last_activity_at: string };
type Reply = Awaited<ReturnType<typeof call>>;

async function eventually(ask: () => Promise<Reply>, done: (r: Reply) => boolean): Promise<Reply> {
  const deadline = Date.now() + LAG_MS;
  for (;;) {
    const r = await ask();
    if (done(r) || Date.now() > deadline) return r;
    await sleep(25);
  }
}

const inboxPath = (identity: string, query = "") => `/v1/identities/${identity}/conversations${query}`;
const summary = (r: Reply) => (r.status === 200 ? (r.json.data as Entry[]).map((e) => [e.id, e.unread_count]) : r.status);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A conversation with ada and bob; returns it with ada's participant id. */
async function pair(key: string, extra: Record<string, unknown> = {}) {
  const conv = await newConversation(key, {
    participants: [
      { kind: "agent", identity: "ada" },
      { kind: "customer", identity: "bob" },
    ],
    ...extra,
  });
  const ada = (conv.participants as { id: string; identity: string }[]).find((p) => p.identity === "ada")!;
  return { id: conv.id as string, adaId: ada.id };
}

describe("identity inbox", () => {
  it("lists the identity's conversations by latest activity, each with its participant_id and a numeric unread_count", async () => {
    const { key } = await newAccount();
    const c1 = await pair(key);
    await sleep(5);
    const c2 = await pair(key);
    await sleep(5);
    const c3 = await pair(key);
    await newConversation(key, { participants: [{ kind: "customer", identity: "bob" }] }); // not ada's
    await sleep(5);
    await send(key, c1.id, { body: "hello?", author: "bob" });
    await send(key, c1.id, { body: "anyone?", author: "bob" });
    await sleep(5);
    await send(key, c3.id, { body: "on it", author: "ada" });

    const ask = () => call("GET", inboxPath("ada"), { key });
    const expected = [
      [c3.id, 0],
      [c1.id, 2],
      [c2.id, 0],
    ];
    const r = await eventually(ask, (x) => same(summary(x), expected));
    expect(summary(r)).toEqual(expected);
    expect(r.json.next_cursor).toBeNull();
    const entries = r.json.data as Entry[];
    expect(entries.map((e) => e.participant_id)).toEqual([c3.adaId, c1.adaId, c2.adaId]);
    expect(entries.map((e) => e.last_read_index)).toEqual([0, null, null]);
    for (const e of entries) expect(typeof e.unread_count).toBe("number");
    const times = entries.map((e) => Date.parse(e.last_activity_at));
    expect(times).toEqual([...times].sort((x, y) => y - x));

    // Reading clears the count; a new message moves a conversation to the top, unread.
    expect((await call("POST", `/v1/conversations/${c1.id}/participants/${c1.adaId}/read`, { key, body: { last_read_index: 1 } })).status).toBe(200);
    await sleep(5);
    await send(key, c2.id, { body: "new question", author: "bob" });
    const after = [
      [c2.id, 1],
      [c3.id, 0],
      [c1.id, 0],
    ];
    expect(summary(await eventually(ask, (x) => same(summary(x), after)))).toEqual(after);
  });

  it("answers the identity's own token, 404 for another identity's token, 401 without credentials", async () => {
    const { key } = await newAccount();
    const c = await pair(key);
    await send(key, c.id, { body: "hi ada", author: "bob" });
    const token = async (identity: string, conversation_id?: string) =>
      (await call("POST", "/v1/tokens", { key, body: { identity, ...(conversation_id && { conversation_id }) } })).json.token as string;
    const adaToken = await token("ada");

    const withKey = await eventually(() => call("GET", inboxPath("ada"), { key }), (x) => same(summary(x), [[c.id, 1]]));
    expect(summary(withKey)).toEqual([[c.id, 1]]);
    const withToken = await call("GET", inboxPath("ada"), { key: adaToken });
    expect(withToken.status).toBe(200);
    expect(withToken.json).toEqual(withKey.json);
    // A token limited to one conversation is still ada's.
    expect((await call("GET", inboxPath("ada"), { key: await token("ada", c.id) })).status).toBe(200);

    problemOf(await call("GET", inboxPath("bob"), { key: adaToken }), 404);
    problemOf(await call("GET", inboxPath("ada"), { key: await token("bob") }), 404);
    problemOf(await call("GET", inboxPath("ada")), 401);
    problemOf(await call("GET", inboxPath("ada"), { key: "not-a-token" }), 401);
  });

  it("pages with limit and next_cursor, without gaps or repeats", async () => {
    const { key } = await newAccount();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.unshift((await pair(key)).id); // newest first
      await sleep(5);
    }
    await eventually(() => call("GET", inboxPath("ada"), { key }), (x) => x.status === 200 && x.json.data.length === 5);

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r: Reply = await call("GET", inboxPath("ada", `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`), { key });
      expect(r.status).toBe(200);
      sizes.push(r.json.data.length);
      seen.push(...(r.json.data as Entry[]).map((e) => e.id));
      cursor = r.json.next_cursor;
      if (cursor === null) break;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(ids);

    problemOf(await call("GET", inboxPath("ada", "?limit=0"), { key }), 400);
    problemOf(await call("GET", inboxPath("ada", "?limit=101"), { key }), 400);
    problemOf(await call("GET", inboxPath("ada", "?cursor=not-a-cursor"), { key }), 400);
  });

  it("lists only the caller's account, and drops conversations the identity left or that were deleted", async () => {
    const a = await newAccount("a");
    const b = await newAccount("b");
    const kept = await pair(a.key);
    const left = await pair(a.key);
    const deleted = await pair(a.key);
    const foreign = await pair(b.key); // B's ada is someone else
    const ask = () => call("GET", inboxPath("ada"), { key: a.key });
    await eventually(ask, (x) => x.status === 200 && x.json.data.length === 3);

    expect((await call("DELETE", `/v1/conversations/${left.id}/participants/${left.adaId}`, { key: a.key })).status).toBe(204);
    expect((await call("DELETE", `/v1/conversations/${deleted.id}`, { key: a.key })).status).toBe(204);
    const r = await eventually(ask, (x) => same(summary(x), [[kept.id, 0]]));
    expect(summary(r)).toEqual([[kept.id, 0]]);

    const forB = await eventually(() => call("GET", inboxPath("ada"), { key: b.key }), (x) => same(summary(x), [[foreign.id, 0]]));
    expect(summary(forB)).toEqual([[foreign.id, 0]]);
  });
});
