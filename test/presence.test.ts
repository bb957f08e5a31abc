// Presence on the conversation stream: online on a participant's first socket, offline when its
// last one goes (closed, or swept for silence), mirrored by the REST participant; ping/pong.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { STALE_AFTER_MS, type SocketAttachment } from "../src/conversation/sockets/room";
import { twoParticipants } from "./fixtures";
import { call, conversationStub, send, sleep } from "./helpers";
import { framesOf, roundTrip, until, type Client } from "./ws";

/** The two-participant fixture; ada and bob's sockets open once their ready has arrived. */
async function setup() {
  const s = await twoParticipants();
  return {
    ...s,
    openAda: () => s.openAda({ ready: true }),
    openBob: () => s.openBob({ ready: true }),
    participant: async (id: string) => (await call("GET", `/v1/conversations/${s.convId}/participants/${id}`, { key: s.key })).json,
    /** Every socket has received everything broadcast before this point. */
    barrier: async (...clients: Client[]) => {
      const m = await send(s.key, s.convId, { body: "barrier" });
      for (const c of clients) await c.next("message.added", (f) => f.message.id === m.id);
    },
  };
}

const presenceOf = (c: Client, participantId: string) => framesOf(c, "presence").filter((f) => f.participant_id === participantId);

describe("presence", () => {
  it("goes online to others on a participant's first socket only, and offline only when its last socket closes", async () => {
    const s = await setup();
    const ada = await s.openAda();
    expect(await s.participant(s.bobId)).toMatchObject({ online: false, last_seen_at: null });

    const bob1 = await s.openBob();
    const online = await ada.next("presence");
    expect(online).toMatchObject({ participant_id: s.bobId, status: "online" });
    expect(Number.isNaN(Date.parse(online.last_seen_at))).toBe(false);
    expect(await s.participant(s.bobId)).toMatchObject({ online: true, last_seen_at: null });

    const bob2 = await s.openBob();
    await s.barrier(ada, bob1, bob2);
    expect(presenceOf(ada, s.bobId).map((f) => f.status)).toEqual(["online"]);
    // Nobody is told about themselves coming online.
    expect(presenceOf(bob1, s.bobId)).toEqual([]);
    expect(presenceOf(bob2, s.bobId)).toEqual([]);

    bob1.close();
    await bob1.closed;
    await sleep(50);
    await s.barrier(ada, bob2);
    expect(presenceOf(ada, s.bobId).map((f) => f.status)).toEqual(["online"]);
    expect(await s.participant(s.bobId)).toMatchObject({ online: true });

    const before = Date.now();
    bob2.close();
    const offline = await ada.next("presence", (f) => f.status === "offline");
    expect(offline.participant_id).toBe(s.bobId);
    const seen = Date.parse(offline.last_seen_at);
    expect(seen).toBeGreaterThanOrEqual(before - 1000);
    expect(seen).toBeLessThanOrEqual(Date.now() + 1000);
    const after = await s.participant(s.bobId);
    expect(after).toMatchObject({ online: false, last_seen_at: offline.last_seen_at });

    // ada is still online, as REST and a newcomer's ready agree.
    expect(await s.participant(s.adaId)).toMatchObject({ online: true, last_seen_at: null });
    const again = await s.openBob();
    expect(again.frames[0]).toMatchObject({ type: "ready" });
    expect([...(again.frames[0] as { online: string[] }).online].sort()).toEqual([s.adaId, s.bobId].sort());
    expect(await ada.next("presence", (f) => f.status === "online")).toMatchObject({ participant_id: s.bobId });
    // Coming back online clears last_seen_at in the REST view.
    expect(await s.participant(s.bobId)).toMatchObject({ online: true, last_seen_at: null });
    await s.barrier(ada);
    expect(presenceOf(ada, s.bobId).map((f) => f.status)).toEqual(["online", "offline", "online"]);
    again.close();
    ada.close();
  });

  it("says nothing about observer sockets (API key without an identity)", async () => {
    const s = await setup();
    const ada = await s.openAda();
    const observer = await s.openObserver();
    const ready = await observer.next("ready");
    expect(ready.online).toEqual([s.adaId]);
    observer.close();
    await observer.closed;
    await sleep(50);
    await s.barrier(ada);
    expect(framesOf(ada, "presence")).toEqual([]);
    ada.close();
  });

  it("answers the text ping with pong, without the object treating it as a frame", async () => {
    const s = await setup();
    const ada = await s.openAda();
    ada.send("ping");
    await until(ada, () => ada.texts.includes("pong"), 5000, "pong");
    await roundTrip(ada);
    // Only the barrier's own frame was an error: "ping" never reached the frame parser.
    expect(framesOf(ada, "error")).toHaveLength(1);
    ada.close();
  });

  /** ada pings, bob goes silent; then the DO's sweep runs at a moment when only bob is stale. */
  async function sweepBob() {
    const s = await setup();
    const ada = await s.openAda();
    const bob = await s.openBob();
    await ada.next("presence", (f) => f.status === "online");
    await sleep(150);
    // ada keeps pinging, bob has gone silent (lid closed, no close frame).
    ada.send("ping");
    await until(ada, () => ada.texts.includes("pong"), 5000, "pong");

    const at = await runInDurableObject(conversationStub(s.convId), (instance, state) => {
      const [adaSocket] = state.getWebSockets(`p:${s.adaId}`);
      const [bobSocket] = state.getWebSockets(`p:${s.bobId}`);
      const pinged = state.getWebSocketAutoResponseTimestamp(adaSocket!)?.getTime();
      const bobConnected = (bobSocket!.deserializeAttachment() as SocketAttachment).parley.connectedAt;
      if (pinged === undefined) throw new Error("the runtime did not record ada's ping");
      // A moment at which bob has been silent for longer than STALE_AFTER_MS, but ada has not.
      const now = pinged + STALE_AFTER_MS - 20;
      if (now - bobConnected < STALE_AFTER_MS) throw new Error("ping too close to bob's connect to tell them apart");
      // What the alarm does every minute while sockets are connected.
      (instance as unknown as { live: { sweep(now: number): void } }).live.sweep(now);
      return now;
    });
    return { ...s, ada, bob, at };
  }

  it("sweeps a vanished socket: closed with 1001, others see offline, REST shows it; a pinging socket survives", async () => {
    const s = await sweepBob();
    const { ada, bob } = s;
    expect((await Promise.race([bob.closed, sleep(5000).then(() => null)]))?.code).toBe(1001);
    const offline = await ada.next("presence", (f) => f.status === "offline");
    expect(offline).toMatchObject({ participant_id: s.bobId, last_seen_at: new Date(s.at).toISOString() });
    expect(ada.ws.readyState).toBe(WebSocket.OPEN);
    // (The sweep ran at a made-up future moment; what follows it may stamp the real one.)
    const gone = await s.participant(s.bobId);
    expect(gone.online).toBe(false);
    expect(typeof gone.last_seen_at).toBe("string");
    expect(await s.participant(s.adaId)).toMatchObject({ online: true });
    // ada's socket still works.
    await s.barrier(ada);
    ada.close();
  });

  it("announces a swept participant offline once, not again when the swept socket's close completes", async () => {
    const s = await sweepBob();
    const { ada, bob } = s;
    await bob.closed;
    await ada.next("presence", (f) => f.status === "offline");
    await sleep(100);
    await s.barrier(ada);
    expect(presenceOf(ada, s.bobId).map((f) => f.status)).toEqual(["online", "offline"]);
    ada.close();
  });

  it("keeps a liveness alarm while sockets are connected, and its sweep leaves live sockets alone", async () => {
    const s = await setup();
    const ada = await s.openAda();
    const bob = await s.openBob();
    await ada.next("presence", (f) => f.status === "online");
    const stub = conversationStub(s.convId);
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await s.barrier(ada, bob);
    expect(ada.ws.readyState).toBe(WebSocket.OPEN);
    expect(bob.ws.readyState).toBe(WebSocket.OPEN);
    expect(presenceOf(ada, s.bobId).map((f) => f.status)).toEqual(["online"]);
    // Still scheduled for the next sweep.
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
    ada.close();
    bob.close();
  });
});
