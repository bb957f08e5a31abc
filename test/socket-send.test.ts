import { evictDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { twoParticipants } from "./fixtures";
import { call, conversationStub, d1Number, newAccount, settle } from "./helpers";
import { connect } from "./ws";

// message.send: a participant's socket sends without an HTTP round trip, with the REST send's
// rules, an ack after the commit, and client_id as the idempotency key.

describe("sending over the socket", () => {
  it("acks the sender after the commit, in order; others and the sender's other sockets get message.added", async () => {
    const { key, convId, openAda, openBob, bobId } = await twoParticipants();
    const bob = await openBob({ ready: true });
    const bobAgain = await openBob({ ready: true });
    const ada = await openAda({ ready: true });
    for (const n of [1, 2, 3]) bob.send({ type: "message.send", client_id: `c-${n}`, body: `hello ${n}` });
    const acks = [await bob.next("message.ack"), await bob.next("message.ack"), await bob.next("message.ack")];
    expect(acks.map((a) => [a.client_id, a.message.index, a.message.body])).toEqual([["c-1", 0, "hello 1"], ["c-2", 1, "hello 2"], ["c-3", 2, "hello 3"]]);
    // The author is the socket's participant.
    expect(acks[0]!.message).toMatchObject({ participant_id: bobId, author: "bob", author_kind: "customer" });
    for (const client of [ada, bobAgain]) {
      const added = [await client.next("message.added"), await client.next("message.added"), await client.next("message.added")];
      expect(added.map((f) => f.message.id)).toEqual(acks.map((a) => a.message.id));
    }
    // The sending socket got its ack, not a second copy as message.added.
    expect(bob.frames.filter((f) => f.type === "message.added")).toHaveLength(0);
    // In REST history and in D1, once each.
    const history = (await call("GET", `/v1/conversations/${convId}/messages`, { key })).json.data;
    expect(history.map((m: { id: string }) => m.id)).toEqual(acks.map((a) => a.message.id));
    await settle(convId);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", convId)).toBe(3);
  });

  it("a resent client_id answers the first ack and stores nothing, across a reconnect and an eviction; another body under it is refused", async () => {
    const { key, convId, openBob } = await twoParticipants();
    let bob = await openBob({ ready: true });
    bob.send({ type: "message.send", client_id: "once", body: "only once" });
    const first = await bob.next("message.ack");
    bob.close();
    bob = await openBob({ ready: true });
    bob.send({ type: "message.send", client_id: "once", body: "only once" });
    expect((await bob.next("message.ack")).message).toEqual(first.message);

    bob.close();
    await evictDurableObject(conversationStub(convId));
    bob = await openBob({ ready: true });
    bob.send({ type: "message.send", client_id: "once", body: "only once" });
    expect((await bob.next("message.ack")).message.id).toBe(first.message.id);
    bob.send({ type: "message.send", client_id: "once", body: "something else" });
    const refused = await bob.next("error");
    expect(refused).toMatchObject({ code: "invalid", client_id: "once", problem: { status: 422 } });

    const history = (await call("GET", `/v1/conversations/${convId}/messages`, { key })).json.data;
    expect(history.map((m: { body: string }) => m.body)).toEqual(["only once"]);
    await settle(convId);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", convId)).toBe(1);
  });

  it("refusals carry the client_id and REST's problem: a bad field, a closed conversation, an observer", async () => {
    const { key, convId, stream, openBob } = await twoParticipants();
    const bob = await openBob({ ready: true });
    bob.send({ type: "message.send", client_id: "empty" });
    expect(await bob.next("error")).toMatchObject({ code: "invalid", client_id: "empty", problem: { status: 422, errors: [{ path: "body.body" }] } });
    bob.send({ type: "message.send", client_id: "big", body: "x".repeat(40_000) });
    expect(await bob.next("error")).toMatchObject({ client_id: "big", problem: { errors: [{ path: "body.body" }] } });
    bob.send({ type: "message.send", body: "no id" });
    expect((await bob.next("error")).code).toBe("bad_frame");

    expect((await call("PATCH", `/v1/conversations/${convId}`, { key, body: { status: "closed" } })).status).toBe(200);
    bob.send({ type: "message.send", client_id: "late", body: "anyone?" });
    expect(await bob.next("error")).toMatchObject({ code: "conflict", client_id: "late", problem: { status: 409 } });

    const observer = (await connect(stream, { key })).client!;
    await observer.next("ready");
    observer.send({ type: "message.send", client_id: "watcher", body: "hi" });
    expect(await observer.next("error")).toMatchObject({ code: "forbidden", client_id: "watcher" });
    expect((await call("GET", `/v1/conversations/${convId}`, { key })).json.message_count).toBe(0);
  });

  it("an upload named by media_id is resolved for the socket's account; later frames wait their turn", async () => {
    const { key, openBob } = await twoParticipants();
    const worker = (exports as unknown as { default: Fetcher }).default;
    const upload = await worker.fetch("http://parley.test/v1/media?filename=a.png", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "image/png" }, body: new Uint8Array([137, 80, 78, 71]) });
    const { id: mediaId } = (await upload.json()) as { id: string };
    const bob = await openBob({ ready: true });
    bob.send({ type: "message.send", client_id: "pic", media: [{ media_id: mediaId }] });
    bob.send({ type: "message.send", client_id: "after", body: "and a word" });
    const [pic, after] = [await bob.next("message.ack"), await bob.next("message.ack")];
    expect([pic.client_id, after.client_id]).toEqual(["pic", "after"]);
    expect([pic.message.index, after.message.index]).toEqual([0, 1]);
    expect(pic.message.media).toEqual([expect.objectContaining({ media_id: mediaId, content_type: "image/png", filename: "a.png", url: expect.stringContaining(`/media/${mediaId}?`) })]);

    const other = await newAccount();
    const foreign = (await (await worker.fetch("http://parley.test/v1/media", { method: "POST", headers: { authorization: `Bearer ${other.key}`, "content-type": "image/png" }, body: new Uint8Array([1]) })).json()) as { id: string };
    bob.send({ type: "message.send", client_id: "theirs", media: [{ media_id: foreign.id }] });
    expect(await bob.next("error")).toMatchObject({ client_id: "theirs", problem: { status: 404, errors: [{ path: "body.media[0].media_id" }] } });
  });

  it("a flood is rate-limited on its own socket, with an error for each refused message, while another socket's messages still go through", async () => {
    const { convId, openAda, openBob } = await twoParticipants();
    const bob = await openBob({ ready: true });
    const ada = await openAda({ ready: true });
    for (let i = 0; i < 100; i++) bob.send({ type: "message.send", client_id: `flood-${i}`, body: `flood ${i}` });
    ada.send({ type: "message.send", client_id: "calm", body: "I am still heard" });
    expect((await ada.next("message.ack", undefined, 10_000)).message.body).toBe("I am still heard");
    const deadline = Date.now() + 10_000;
    while (bob.frames.filter((f) => f.type === "message.ack" || (f.type === "error" && f.client_id?.startsWith("flood-"))).length < 100 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const acked = bob.frames.filter((f) => f.type === "message.ack").length;
    const limited = bob.frames.filter((f) => f.type === "error" && f.code === "rate_limited").length;
    expect(acked + limited).toBe(100);
    expect(limited).toBeGreaterThan(0);
    expect(acked).toBeGreaterThanOrEqual(60);
    await settle(convId);
  });
});
