// The conversation WebSocket (`GET /v1/conversations/{id}/stream`): connecting and refusals,
// `ready`, live messages, typing, read receipts, bad input and hibernation.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { tokenSecret } from "../src/api/caller";
import { mintToken } from "../src/lib/tokens";
import { MAX_FRAME_BYTES, TYPING_THROTTLE_MS, TYPING_TTL_MS } from "../src/contract/frames";
import { call, conversationStub, env, newConversation, problemOf, send, sleep } from "./helpers";
import { mint, twoParticipants } from "./fixtures";
import { connect, framesOf, indexesOf, open, roundTrip, until, upgrade, type Client } from "./ws";

/** Asserts the upgrade was refused with a problem document, before any socket existed. */
async function expectRefused(res: Response, status: number) {
  expect(res.webSocket).toBeNull();
  const text = await res.text();
  problemOf({ status: res.status, headers: res.headers, json: JSON.parse(text) }, status);
}

const sendMany = (key: string, convId: string, n: number, body: (i: number) => Record<string, unknown> = (i) => ({ body: `m${i}` })) =>
  Promise.all(Array.from({ length: n }, (_, i) => send(key, convId, body(i))));

describe("connecting", () => {
  it("with an API key: an observer by default, a participant with ?identity=", async () => {
    const { conv, adaId, openAda, openObserver } = await twoParticipants();
    const observer = await openObserver();
    const r1 = await observer.next("ready");
    expect(r1).toMatchObject({ conversation_id: conv.id, participant: null, last_index: -1 });

    const ada = await openAda();
    const r2 = await ada.next("ready");
    expect(r2.participant).toMatchObject({ id: adaId, identity: "ada", online: true });
    observer.close();
    ada.close();
  });

  it("with a participant token as ?token=; ?identity= cannot make it someone else", async () => {
    const { bobId, openBob } = await twoParticipants();
    const bob = await openBob();
    expect((await bob.next("ready")).participant).toMatchObject({ id: bobId, identity: "bob" });

    const sneaky = await openBob({ query: "identity=ada" });
    expect((await sneaky.next("ready")).participant?.id).toBe(bobId);
    bob.close();
    sneaky.close();
  });

  it("with a participant token offered as a subprotocol; the 101 selects parley.v1", async () => {
    const { key, bobId, stream, bobToken } = await twoParticipants();
    const res = await connect(stream, { protocols: ["parley.v1", bobToken] });
    expect(res.status).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBe("parley.v1");
    const bob = res.client!;
    expect((await bob.next("ready")).participant?.id).toBe(bobId);
    bob.close();

    // A token that is not restricted to one conversation works too.
    const anywhere = await connect(stream, { protocols: ["parley.v1", await mint(key, "bob")] });
    expect(anywhere.status).toBe(101);
    expect((await anywhere.client!.next("ready")).participant?.id).toBe(bobId);
    anywhere.client!.close();
  });

  it("refuses missing, garbage, forged and expired credentials with 401 before upgrading", async () => {
    const { key, accountId, conv, stream } = await twoParticipants();
    const expired = await mintToken(await tokenSecret(env), { account_id: accountId, identity: "bob", conversations: [conv.id] }, -60);
    const forged = await mintToken("not-the-server-secret", { account_id: accountId, identity: "bob", conversations: [conv.id] }, 600);
    const valid = await mint(key, "bob", conv.id);
    const tampered = `${valid.slice(0, -4)}${valid.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;

    await expectRefused(await upgrade(stream), 401);
    await expectRefused(await upgrade(stream, { key: "sk_not_a_real_key" }), 401);
    for (const token of ["garbage", expired.token, forged.token, tampered]) {
      await expectRefused(await upgrade(stream, { token }), 401);
      await expectRefused(await upgrade(stream, { protocols: ["parley.v1", token] }), 401);
    }
    // A good token still gets in, so the refusals above were about the token.
    const ok = await connect(stream, { token: valid });
    expect(ok.status).toBe(101);
    ok.client!.close();
  });

  it("answers 404 for a token of another conversation, another account, or an identity not in the conversation", async () => {
    const a = await twoParticipants();
    const other = await newConversation(a.key, { participants: [{ kind: "customer", identity: "bob" }] });
    // The token names `other`, and bob is a participant of both conversations.
    await expectRefused(await upgrade(a.stream, { token: await mint(a.key, "bob", other.id) }), 404);

    // Account B has its own bob; B's token and B's key are strangers to A's conversation.
    const b = await twoParticipants();
    await expectRefused(await upgrade(a.stream, { token: await mint(b.key, "bob") }), 404);
    await expectRefused(await upgrade(a.stream, { token: await mint(b.key, "bob", a.conv.id) }), 404);
    await expectRefused(await upgrade(`${a.stream}?identity=bob`, { key: b.key }), 404);
    await expectRefused(await upgrade(a.stream, { key: b.key }), 404);

    // carol is not a participant, whether named by ?identity= or by her token.
    await expectRefused(await upgrade(`${a.stream}?identity=carol`, { key: a.key }), 404);
    await expectRefused(await upgrade(a.stream, { token: await mint(a.key, "carol") }), 404);
    await expectRefused(await upgrade(a.stream, { token: await mint(a.key, "carol", a.conv.id) }), 404);

    // An unknown conversation.
    await expectRefused(await upgrade("/v1/conversations/conv_01JD5V7J3E9Q8M2K4N6P0R1S2T/stream", { key: a.key }), 404);
  });

  it("answers a plain GET (no upgrade) with 400", async () => {
    const { key, stream } = await twoParticipants();
    problemOf(await call("GET", stream, { key }), 400);
    problemOf(await call("GET", "/v1/stream", { key }), 400);
  });

  it("mints tokens for at most 24 hours: ttl_seconds above 86400 is 422", async () => {
    const { key, conv } = await twoParticipants();
    problemOf(await call("POST", "/v1/tokens", { key, body: { identity: "bob", conversation_id: conv.id, ttl_seconds: 86_401 } }), 422);
    const max = await call("POST", "/v1/tokens", { key, body: { identity: "bob", conversation_id: conv.id, ttl_seconds: 86_400 } });
    expect(max.status).toBe(201);
    const lifetime = Date.parse(max.json.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(86_400_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(86_400_000 + 1_000);
  });
});

describe("ready", () => {
  it("carries the participant (with its unread count), the last index and who is online", async () => {
    const { key, conv, adaId, bobId, openAda, openBob } = await twoParticipants();
    await sendMany(key, conv.id, 3);
    const ada = await openAda();
    const r1 = await ada.next("ready");
    expect(r1.last_index).toBe(2);
    expect(r1.online).toEqual([adaId]);
    expect(r1.participant).toMatchObject({ id: adaId, unread_count: 3, last_read_index: null });

    const bob = await openBob();
    const r2 = await bob.next("ready");
    expect(r2.last_index).toBe(2);
    expect([...r2.online].sort()).toEqual([adaId, bobId].sort());
    expect(r2.participant?.id).toBe(bobId);
    // Nothing was replayed: without ?last_index the client starts from now.
    await roundTrip(bob);
    expect(framesOf(bob, "message.added")).toEqual([]);
    ada.close();
    bob.close();
  });
});

describe("message.added", () => {
  it("reaches every socket once per committed message, in index order", async () => {
    const { key, conv, stream, bobToken, openAda, openBob, openObserver } = await twoParticipants();
    const clients: Client[] = [
      await openAda(),
      await openBob(),
      (await connect(stream, { protocols: ["parley.v1", bobToken] })).client!,
      await openObserver(),
    ];
    for (const c of clients) await c.next("ready");

    const sent = await sendMany(key, conv.id, 20, (i) => ({ body: `hello ${i}`, ...(i % 2 === 0 && { author: "ada" }) }));
    const byIndex = new Map(sent.map((m) => [m.index as number, m]));
    expect([...byIndex.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    for (const c of clients) {
      await until(c, () => indexesOf(c).length >= 20, 5000, "20 messages");
      expect(indexesOf(c)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (const f of framesOf(c, "message.added")) {
        const rest = byIndex.get(f.message.index)!;
        expect(f.message).toMatchObject({ id: rest.id, conversation_id: conv.id, body: rest.body, author: rest.author });
      }
    }
    for (const c of clients) c.close();
  });

  it("is not sent for a send that was refused", async () => {
    const { key, conv, openAda } = await twoParticipants();
    const ada = await openAda();
    await ada.next("ready");
    problemOf(await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "x", author: "nobody" } }), 422);
    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "closed" } })).status).toBe(200);
    problemOf(await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "x" } }), 409);
    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "open" } })).status).toBe(200);
    const ok = await send(key, conv.id, { body: "the first real one" });
    const f = await ada.next("message.added");
    expect(f.message).toMatchObject({ id: ok.id, index: 0, body: "the first real one" });
    expect(framesOf(ada, "message.added")).toHaveLength(1);
    ada.close();
  });
});

describe("typing", () => {
  /** ada on one socket, bob on two. */
  async function typists() {
    const s = await twoParticipants();
    const ada = await s.openAda();
    const bob1 = await s.openBob();
    const bob2 = await s.openBob();
    for (const c of [ada, bob1, bob2]) await c.next("ready");
    /** Every socket has received everything broadcast before this point. */
    const barrier = async (...typed: Client[]) => {
      for (const c of typed) await roundTrip(c);
      const m = await send(s.key, s.conv.id, { body: "barrier" });
      for (const c of [ada, bob1, bob2]) await c.next("message.added", (f) => f.message.id === m.id);
    };
    return { ...s, ada, bob1, bob2, barrier, all: [ada, bob1, bob2] };
  }

  it("reaches the others with expires_at, never the typist's own sockets", async () => {
    const { adaId, bobId, ada, bob1, bob2, barrier, all } = await typists();
    const before = Date.now();
    bob1.send({ type: "typing", state: "started" });
    const t = await ada.next("typing");
    expect(t).toMatchObject({ participant_id: bobId, state: "started" });
    const expires = Date.parse(t.expires_at!);
    expect(expires).toBeGreaterThanOrEqual(before + TYPING_TTL_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + TYPING_TTL_MS + 1000);
    await barrier(bob1);
    expect(framesOf(bob1, "typing")).toEqual([]);
    expect(framesOf(bob2, "typing")).toEqual([]);

    // And the other way round.
    ada.send({ type: "typing", state: "started" });
    await barrier(ada);
    expect(framesOf(ada, "typing")).toHaveLength(1);
    for (const b of [bob1, bob2]) expect(framesOf(b, "typing").map((f) => f.participant_id)).toEqual([adaId]);
    for (const c of all) c.close();
  });

  it("sends at most one started per participant per 2 s, across all of its sockets; stopped always passes", async () => {
    const { bobId, ada, bob1, bob2, barrier, all } = await typists();
    for (let i = 0; i < 5; i++) bob1.send({ type: "typing", state: "started" });
    bob2.send({ type: "typing", state: "started" });
    await barrier(bob1, bob2);
    expect(framesOf(ada, "typing").map((f) => f.state)).toEqual(["started"]);

    bob1.send({ type: "typing", state: "stopped" });
    bob2.send({ type: "typing", state: "stopped" });
    await barrier(bob1, bob2);
    const typing = framesOf(ada, "typing");
    expect(typing.map((f) => f.state)).toEqual(["started", "stopped", "stopped"]);
    expect(typing.every((f) => f.participant_id === bobId)).toBe(true);
    expect(typing.slice(1).map((f) => f.expires_at)).toEqual([null, null]);
    for (const c of all) c.close();
  });

  it("lets started through again once the 2 s window has passed", async () => {
    const { ada, bob1, barrier, all } = await typists();
    bob1.send({ type: "typing", state: "started" });
    await ada.next("typing");
    await sleep(TYPING_THROTTLE_MS + 200);
    bob1.send({ type: "typing", state: "started" });
    bob1.send({ type: "typing", state: "started" });
    await barrier(bob1);
    expect(framesOf(ada, "typing").map((f) => f.state)).toEqual(["started", "started"]);
    for (const c of all) c.close();
  });

  it("does not let started/stopped toggling defeat the throttle (at most one started per 2 s)", async () => {
    const { ada, bob1, barrier, all } = await typists();
    for (let i = 0; i < 3; i++) {
      bob1.send({ type: "typing", state: "started" });
      bob1.send({ type: "typing", state: "stopped" });
    }
    await barrier(bob1);
    const states = framesOf(ada, "typing").map((f) => f.state);
    expect(states.filter((s) => s === "started")).toHaveLength(1);
    expect(states.filter((s) => s === "stopped")).toHaveLength(3);
    for (const c of all) c.close();
  });

  it("refuses typing from an observer socket", async () => {
    const { ada, barrier, all, openObserver } = await typists();
    const observer = await openObserver();
    await observer.next("ready");
    observer.send({ type: "typing", state: "started" });
    expect((await observer.next("error")).code).toBe("forbidden");
    await barrier();
    expect(framesOf(ada, "typing")).toEqual([]);
    for (const c of [...all, observer]) c.close();
  });
});

describe("read receipts", () => {
  it("a read frame moves the horizon forward only and broadcasts read.updated", async () => {
    const { key, conv, bobId, openBoth } = await twoParticipants();
    await sendMany(key, conv.id, 5);
    const { ada, bob } = await openBoth();

    bob.send({ type: "read", last_read_index: 2 });
    expect(await ada.next("read.updated")).toEqual({ type: "read.updated", participant_id: bobId, last_read_index: 2, unread_count: 2 });

    bob.send({ type: "read", last_read_index: 1 });
    bob.send({ type: "read", last_read_index: 2 });
    await roundTrip(bob);
    const bobNow = await call("GET", `/v1/conversations/${conv.id}/participants/${bobId}`, { key });
    expect(bobNow.json).toMatchObject({ last_read_index: 2, unread_count: 2 });

    bob.send({ type: "read", last_read_index: 4 });
    expect(await ada.next("read.updated")).toMatchObject({ participant_id: bobId, last_read_index: 4, unread_count: 0 });
    // Only the two forward moves were broadcast.
    expect(framesOf(ada, "read.updated").map((f) => f.last_read_index)).toEqual([2, 4]);
    ada.close();
    bob.close();
  });

  it("POST …/participants/{pid}/read moves it forward only, and the sockets hear of it", async () => {
    const { key, conv, bobId, openAda } = await twoParticipants();
    await sendMany(key, conv.id, 5);
    const ada = await openAda();
    await ada.next("ready");
    const read = (n: number) => call("POST", `/v1/conversations/${conv.id}/participants/${bobId}/read`, { key, body: { last_read_index: n } });

    const r1 = await read(3);
    expect(r1.status).toBe(200);
    expect(r1.json).toMatchObject({ id: bobId, last_read_index: 3, unread_count: 1 });
    expect(await ada.next("read.updated")).toMatchObject({ participant_id: bobId, last_read_index: 3, unread_count: 1 });

    const r2 = await read(0);
    expect(r2.status).toBe(200);
    expect(r2.json).toMatchObject({ last_read_index: 3, unread_count: 1 });
    const m = await send(key, conv.id, { body: "barrier" });
    await ada.next("message.added", (f) => f.message.id === m.id);
    expect(framesOf(ada, "read.updated")).toHaveLength(1);
    ada.close();
  });

  it("unread_count is always a number: 0 when nothing is unread, never null", async () => {
    const { key, conv, openBob } = await twoParticipants();
    const list = async () => (await call("GET", `/v1/conversations/${conv.id}/participants`, { key })).json.data as { unread_count: unknown; last_read_index: unknown }[];
    for (const p of await list()) expect(p).toMatchObject({ unread_count: 0, last_read_index: null });

    const bob = await openBob();
    const ready = await bob.next("ready");
    expect(ready.participant?.unread_count).toBe(0);

    await sendMany(key, conv.id, 2);
    for (const p of await list()) expect(p.unread_count).toBe(2);
    bob.close();
  });

  it("a read index past the last message is an error frame over WS and 422 over REST; nothing moves", async () => {
    const { key, conv, bobId, openBob } = await twoParticipants();
    const bob = await openBob();
    await bob.next("ready");
    bob.send({ type: "read", last_read_index: 0 }); // there are no messages yet
    const e1 = await bob.next("error");
    expect(e1.code).toBe("invalid");
    expect(bob.ws.readyState).toBe(WebSocket.OPEN);

    await sendMany(key, conv.id, 2);
    bob.send({ type: "read", last_read_index: 2 });
    expect((await bob.next("error")).code).toBe("invalid");
    problemOf(await call("POST", `/v1/conversations/${conv.id}/participants/${bobId}/read`, { key, body: { last_read_index: 2 } }), 422);
    const p = await call("GET", `/v1/conversations/${conv.id}/participants/${bobId}`, { key });
    expect(p.json).toMatchObject({ last_read_index: null, unread_count: 2 });

    // The socket still works.
    bob.send({ type: "read", last_read_index: 1 });
    expect(await bob.next("read.updated")).toMatchObject({ participant_id: bobId, last_read_index: 1, unread_count: 0 });
    bob.close();
  });
});

describe("bad input", () => {
  it("answers malformed, unknown and mistyped frames with bad_frame and keeps the socket open", async () => {
    const { key, conv, bobId, openBoth } = await twoParticipants();
    await sendMany(key, conv.id, 2);
    const { ada, bob } = await openBoth();
    const bad = [
      "{not json",
      "",
      "null",
      "[]",
      '"typing"',
      { type: "wave" },
      { state: "started" },
      { type: "typing", state: "maybe" },
      { type: "typing" },
      { type: "read", last_read_index: "1" },
      { type: "read", last_read_index: -1 },
      { type: "read", last_read_index: 0.5 },
      { type: "resume" },
    ];
    for (const frame of bad) bob.send(frame);
    await until(bob, () => framesOf(bob, "error").length >= bad.length, 5000, "an error per bad frame");
    await roundTrip(bob);
    const errors = framesOf(bob, "error");
    expect(errors).toHaveLength(bad.length + 1);
    expect(errors.every((e) => e.code === "bad_frame" && typeof e.message === "string")).toBe(true);
    expect(bob.ws.readyState).toBe(WebSocket.OPEN);
    // Nothing bad leaked to anyone else, and the horizon did not move.
    expect(framesOf(ada, "read.updated")).toEqual([]);
    expect(framesOf(ada, "error")).toEqual([]);

    bob.send({ type: "typing", state: "started" });
    expect(await ada.next("typing")).toMatchObject({ participant_id: bobId, state: "started" });
    bob.send({ type: "read", last_read_index: 1 });
    expect(await ada.next("read.updated")).toMatchObject({ participant_id: bobId, last_read_index: 1 });
    ada.close();
    bob.close();
  });

  it("closes the socket with 1009 for a frame over 64 KB, and processes one just under", async () => {
    const { key, conv, bobId, openBoth } = await twoParticipants();
    const { ada, bob } = await openBoth();

    // ~60 KB of UTF-8 (30 000 two-byte characters): fits, is processed (unknown keys are ignored).
    bob.send({ type: "typing", state: "started", note: "é".repeat(30_000) });
    expect(await ada.next("typing")).toMatchObject({ participant_id: bobId });

    bob.send({ type: "typing", state: "stopped", note: "x".repeat(MAX_FRAME_BYTES + 1) });
    const closed = await Promise.race([bob.closed, sleep(5000).then(() => null)]);
    expect(closed?.code).toBe(1009);
    // The oversized frame was not acted on, and ada's socket is fine.
    const m = await send(key, conv.id, { body: "still here" });
    await ada.next("message.added", (f) => f.message.id === m.id);
    expect(framesOf(ada, "typing").map((f) => f.state)).toEqual(["started"]);
    ada.close();
  });

  it("rate-limits a flood of typing frames: rate_limited to the flooder, at most one broadcast to others", async () => {
    const { key, conv, openBoth } = await twoParticipants();
    const { ada, bob } = await openBoth();
    for (let i = 0; i < 200; i++) bob.send({ type: "typing", state: "started" });
    expect((await bob.next("error", (e) => e.code === "rate_limited")).message).toBeTruthy();
    const m = await send(key, conv.id, { body: "barrier" });
    await ada.next("message.added", (f) => f.message.id === m.id);
    // The first frame of the flood is broadcast (others do see bob typing); the throttle and the
    // rate limit stop the other 199.
    expect(framesOf(ada, "typing").map((f) => f.state)).toEqual(["started"]);
    expect(bob.ws.readyState).toBe(WebSocket.OPEN);
    ada.close();
    bob.close();
  });

  it("rate-limits a flood of read frames without corrupting the read horizon", async () => {
    const { key, conv, bobId, openBoth } = await twoParticipants();
    await sendMany(key, conv.id, 30);
    const { ada, bob } = await openBoth();

    for (let i = 0; i < 200; i++) bob.send({ type: "read", last_read_index: Math.min(i, 29) });
    await bob.next("error", (e) => e.code === "rate_limited");
    const m = await send(key, conv.id, { body: "barrier" }); // index 30
    await ada.next("message.added", (f) => f.message.id === m.id);

    const reads = framesOf(ada, "read.updated");
    // The burst allowance of one socket (20 frames), not 200.
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThanOrEqual(20);
    const indexes = reads.map((r) => r.last_read_index);
    expect(indexes).toEqual([...indexes].sort((x, y) => x - y));
    const highest = indexes.at(-1)!;
    const p = await call("GET", `/v1/conversations/${conv.id}/participants/${bobId}`, { key });
    expect(p.json).toMatchObject({ last_read_index: highest, unread_count: 30 - highest });

    // After a pause the same socket is served again.
    await sleep(1200);
    bob.send({ type: "read", last_read_index: 30 });
    expect(await ada.next("read.updated", (f) => f.last_read_index === 30)).toMatchObject({ participant_id: bobId, unread_count: 0 });
    ada.close();
    bob.close();
  });
});

describe("membership and conversation changes", () => {
  it("tells sockets about updates and new participants, who can then connect", async () => {
    const { key, conv, stream, openAda } = await twoParticipants();
    const ada = await openAda();
    await ada.next("ready");
    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { friendly_name: "Refund" } })).status).toBe(200);
    expect((await ada.next("conversation.updated")).conversation).toMatchObject({ id: conv.id, friendly_name: "Refund" });

    const carol = await call("POST", `/v1/conversations/${conv.id}/participants`, { key, body: { kind: "agent", identity: "carol" } });
    expect(carol.status).toBe(201);
    expect((await ada.next("participant.added")).participant).toMatchObject({ id: carol.json.id, identity: "carol" });
    const c = await open(stream, { token: await mint(key, "carol", conv.id) });
    expect((await c.next("ready")).participant?.id).toBe(carol.json.id);
    ada.close();
    c.close();
  });

  it("removing a participant closes its sockets (4004), tells the others, and keeps it out", async () => {
    const { key, conv, bobId, stream, bobToken, openBoth } = await twoParticipants();
    const { ada, bob } = await openBoth();
    expect((await call("DELETE", `/v1/conversations/${conv.id}/participants/${bobId}`, { key })).status).toBe(204);
    expect((await Promise.race([bob.closed, sleep(5000).then(() => null)]))?.code).toBe(4004);
    expect(await ada.next("participant.removed")).toEqual({ type: "participant.removed", participant_id: bobId });
    await expectRefused(await upgrade(stream, { token: bobToken }), 404);
    ada.close();
  });

  it("deleting the conversation closes every socket (4004) and refuses new ones", async () => {
    const { key, conv, stream, openAda, openObserver } = await twoParticipants();
    const ada = await openAda();
    const observer = await openObserver();
    await ada.next("ready");
    await observer.next("ready");
    expect((await call("DELETE", `/v1/conversations/${conv.id}`, { key })).status).toBe(204);
    for (const c of [ada, observer]) expect((await Promise.race([c.closed, sleep(5000).then(() => null)]))?.code).toBe(4004);
    await expectRefused(await upgrade(stream, { key }), 404);
  });
});

describe("hibernation", () => {
  it("after eviction, sockets still get messages and frames keep their identities", async () => {
    const { key, conv, adaId, bobId, openAda, openBob, openObserver } = await twoParticipants();
    const ada = await openAda();
    await ada.next("ready");
    const bob = await openBob();
    await bob.next("ready");
    await ada.next("presence", (f) => f.participant_id === bobId && f.status === "online");

    await evictDurableObject(conversationStub(conv.id));

    const m = await send(key, conv.id, { body: "after the nap", author: "ada" });
    for (const c of [ada, bob]) expect((await c.next("message.added")).message).toMatchObject({ id: m.id, index: 0 });

    bob.send({ type: "typing", state: "started" });
    expect(await ada.next("typing")).toMatchObject({ participant_id: bobId, state: "started" });
    await roundTrip(bob);
    expect(framesOf(bob, "typing")).toEqual([]);

    await evictDurableObject(conversationStub(conv.id));
    bob.send({ type: "read", last_read_index: 0 });
    expect(await ada.next("read.updated")).toMatchObject({ participant_id: bobId, last_read_index: 0, unread_count: 0 });

    const online = await call("GET", `/v1/conversations/${conv.id}/participants/${bobId}`, { key });
    expect(online.json.online).toBe(true);
    const observer = await openObserver();
    expect([...(await observer.next("ready")).online].sort()).toEqual([adaId, bobId].sort());

    await evictDurableObject(conversationStub(conv.id));
    bob.close();
    expect(await ada.next("presence", (f) => f.status === "offline")).toMatchObject({ participant_id: bobId });
    ada.close();
    observer.close();
  });
});
