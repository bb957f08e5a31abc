// Resuming the conversation stream: a client that went away gets every message it missed, exactly
// once and in index order, before live ones; by ?last_index= on reconnect, or a `resume` frame.
import { describe, expect, it } from "vitest";
import { twoParticipants } from "./fixtures";
import { send } from "./helpers";
import { framesOf, indexesOf, until, type Client } from "./ws";

const TOTAL = 1000;
const CHUNK = 50;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The two-participant fixture, and sends that say in their bodies which message they are. */
async function setup() {
  const s = await twoParticipants();
  let sent = 0;
  return {
    ...s,
    sent: () => sent,
    /** Sends messages number `from` … `to - 1` (their bodies say which), CHUNK at a time. */
    async sendRange(from: number, to: number) {
      for (let i = from; i < to; i += CHUNK) {
        await Promise.all(range(i, Math.min(i + CHUNK, to)).map((n) => send(s.key, s.convId, { body: `n${n}`, author: "ada" })));
        sent += Math.min(CHUNK, to - i);
      }
    },
  };
}

/** What the client saw before it went away: the message.added indexes up to the moment it closed. */
async function readThenLeave(client: Client, atLeast: number): Promise<number[]> {
  await until(client, () => indexesOf(client).length >= atLeast, 20_000, `${atLeast} messages`);
  const seen = indexesOf(client);
  client.close();
  return seen;
}

/** Asserts a replay: after `ready`, exactly `expected` in order, then `resumed`, then `live`. */
function expectReplay(client: Client, expected: number[], through: number, live: number[] = []) {
  expect(client.frames[0]?.type).toBe("ready");
  const relevant = client.frames.filter((f) => f.type === "message.added" || f.type === "resumed");
  const resumedAt = relevant.findIndex((f) => f.type === "resumed");
  expect(resumedAt).toBe(expected.length);
  expect(relevant[resumedAt]).toEqual({ type: "resumed", last_index: through });
  const replayed = relevant.slice(0, resumedAt).map((f) => (f.type === "message.added" ? f.message.index : -1));
  expect(replayed).toEqual(expected);
  const after = relevant.slice(resumedAt + 1).map((f) => (f.type === "message.added" ? f.message.index : -1));
  expect(after).toEqual(live);
}

describe("resume", { timeout: 30_000 }, () => {
  it("reconnecting with ?last_index= delivers every missed message once, in order, then live ones", async () => {
    const s = await setup();
    const bob = await s.openBob();
    await bob.next("ready");
    // bob reads about 500 of the first 600 and goes away while they are still being sent ...
    const sending = s.sendRange(0, 600);
    const seen = await readThenLeave(bob, 500);
    expect(seen).toEqual(range(0, seen.length));
    await sending;
    // ... and the rest go out while he is away.
    await s.sendRange(600, TOTAL);
    const last = seen.at(-1)!;

    const back = await s.openBob({ query: `last_index=${last}` });
    const ready = await back.next("ready");
    expect(ready.last_index).toBe(TOTAL - 1);
    await back.next("resumed");
    await s.sendRange(TOTAL, TOTAL + 5);
    await until(back, () => indexesOf(back).length >= TOTAL - 1 - last + 5, 10_000, "replay and live");
    expectReplay(back, range(last + 1, TOTAL), TOTAL - 1, range(TOTAL, TOTAL + 5));

    const all = [...seen, ...indexesOf(back)];
    expect(all).toEqual(range(0, TOTAL + 5));
    // The replayed messages are the real ones, not placeholders.
    const m = framesOf(back, "message.added").find((f) => f.message.index === TOTAL - 1)!;
    expect(m.message.body).toBe(`n${TOTAL - 1}`);
    back.close();
  });

  it("connecting and then sending a resume frame delivers the same, once, in order, before live ones", async () => {
    const s = await setup();
    const bob = await s.openBob();
    await bob.next("ready");
    const sending = s.sendRange(0, 600);
    const seen = await readThenLeave(bob, 500);
    await sending;
    await s.sendRange(600, TOTAL);
    const last = seen.at(-1)!;

    const back = await s.openBob();
    back.send({ type: "resume", last_index: last });
    expect(await back.next("resumed")).toEqual({ type: "resumed", last_index: TOTAL - 1 });
    await s.sendRange(TOTAL, TOTAL + 5);
    await until(back, () => indexesOf(back).length >= TOTAL - 1 - last + 5, 10_000, "replay and live");
    expectReplay(back, range(last + 1, TOTAL), TOTAL - 1, range(TOTAL, TOTAL + 5));
    expect([...seen, ...indexesOf(back)]).toEqual(range(0, TOTAL + 5));
    back.close();
  });

  it("keeps order and loses nothing when sends continue while the client reconnects with ?last_index=", async () => {
    const s = await setup();
    const bob = await s.openBob();
    await bob.next("ready");
    const first = s.sendRange(0, 300);
    const seen = await readThenLeave(bob, 250);
    await first;
    const last = seen.at(-1)!;

    // Reconnect while a chunk of sends is in flight, and keep sending after.
    let back: Client | undefined;
    await Promise.all([
      s.openBob({ query: `last_index=${last}` }).then((c) => (back = c)),
      s.sendRange(300, 300 + CHUNK),
    ]);
    const sentAtReconnect = s.sent();
    await s.sendRange(300 + CHUNK, TOTAL);
    expect(sentAtReconnect).toBeLessThan(TOTAL);
    const client = back!;
    await until(client, () => indexesOf(client).length >= TOTAL - 1 - last, 20_000, "everything after the reconnect");

    expect([...seen, ...indexesOf(client)]).toEqual(range(0, TOTAL));
    // Exactly one `resumed`, after the replay and before anything live it did not replay.
    const resumed = framesOf(client, "resumed");
    expect(resumed).toHaveLength(1);
    const through = resumed[0]!.last_index;
    const relevant = client.frames.filter((f) => f.type === "message.added" || f.type === "resumed");
    const split = relevant.findIndex((f) => f.type === "resumed");
    expect(relevant.slice(0, split).every((f) => f.type === "message.added" && f.message.index <= through)).toBe(true);
    expect(relevant.slice(split + 1).every((f) => f.type === "message.added" && f.message.index > through)).toBe(true);
    client.close();
  });

  it("a resume frame sent while messages keep arriving still delivers each one exactly once", async () => {
    const s = await setup();
    await s.sendRange(0, 200);
    const last = 99;
    let back: Client | undefined;
    await Promise.all([
      s.openBob().then((c) => {
        back = c;
        c.send({ type: "resume", last_index: last });
      }),
      s.sendRange(200, 400),
    ]);
    const client = back!;
    await until(client, () => indexesOf(client).length >= 400 - 1 - last, 20_000, "everything after the resume");
    // (Order is only promised for ?last_index=: live messages committed between the upgrade and the
    // resume frame may overtake the replay. Nothing may be lost or repeated either way.)
    expect([...indexesOf(client)].sort((x, y) => x - y)).toEqual(range(last + 1, 400));
    expect(framesOf(client, "resumed")).toHaveLength(1);
    client.close();
  });

  it("replays everything from ?last_index=-1 or resume -1, and nothing when already up to date", async () => {
    const s = await setup();
    await s.sendRange(0, 10);
    const fromStart = await s.openBob({ query: "last_index=-1" });
    await fromStart.next("resumed");
    expectReplay(fromStart, range(0, 10), 9);

    const byFrame = await s.openBob();
    await byFrame.next("ready");
    byFrame.send({ type: "resume", last_index: -1 });
    await byFrame.next("resumed");
    expectReplay(byFrame, range(0, 10), 9);

    const upToDate = await s.openBob({ query: "last_index=9" });
    expect(await upToDate.next("resumed")).toEqual({ type: "resumed", last_index: 9 });
    expect(framesOf(upToDate, "message.added")).toEqual([]);

    // A last index from the future (a confused client) replays nothing rather than failing.
    const ahead = await s.openBob({ query: "last_index=500" });
    expect(await ahead.next("resumed")).toEqual({ type: "resumed", last_index: 9 });
    expect(framesOf(ahead, "message.added")).toEqual([]);
    for (const c of [fromStart, byFrame, upToDate, ahead]) c.close();
  });

  it("resumes a connection once: a second resume frame is an error, not a second replay", async () => {
    const s = await setup();
    await s.sendRange(0, 5);
    const client = await s.openBob();
    await client.next("ready");
    client.send({ type: "resume", last_index: -1 });
    await client.next("resumed");
    client.send({ type: "resume", last_index: -1 });
    expect((await client.next("error")).code).toBe("invalid");
    expectReplay(client, range(0, 5), 4);
    expect(framesOf(client, "resumed")).toHaveLength(1);
    client.close();
  });
});
