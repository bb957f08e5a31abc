// The SDK's streams against a real `wrangler dev`: sockets cut mid-stream (a TCP proxy drops every
// connection while messages are being sent) resume from the last index with no gap and no
// duplicate; sends over the socket survive a drop and are stored once; typing, read receipts,
// presence and delivery updates arrive; keep-alive pings are answered; the account stream.
import { describe, expect, it } from "vitest";
import { PING_INTERVAL_MS as CONTRACT_PING_INTERVAL_MS } from "../../src/contract/frames";
import { Parley, PING_INTERVAL_MS, type Message, type ServerFrame } from "../../sdk/src/index";
import { range, sleep, tcpProxy, until, useParley } from "./sdk-fixtures";

const local = useParley("e2e-sdk-rt");
/** Quick reconnects, so a test does not sit out the default backoff. */
const FAST = { initialDelayMs: 50, maxDelayMs: 250 };

async function setup(name: string) {
  const { parley, key } = await local.account(name);
  const conversation = await parley.conversations.create({
    participants: [
      { kind: "agent", identity: "ada" },
      { kind: "customer", identity: "bob" },
    ],
  });
  const pid = (identity: string) => conversation.participants.find((p) => p.identity === identity)!.id;
  const token = async (identity: string) => (await parley.tokens.create({ identity, conversation_id: conversation.id })).token;
  return { parley, key, conversation, adaId: pid("ada"), bobId: pid("bob"), token };
}

describe("resuming across dropped sockets", () => {
  it("delivers every message exactly once and in order while the connection is cut mid-stream", async () => {
    const s = await setup("drops");
    const proxy = await tcpProxy(local.port());
    local.cleanup(proxy.close);
    const listener = new Parley({ token: await s.token("ada"), baseUrl: proxy.url, realtime: FAST });
    const stream = listener.conversations.connect(s.conversation.id);
    const seen: number[] = [];
    let reconnects = 0;
    stream.onMessage((m) => seen.push(m.index));
    stream.on("reconnecting", () => reconnects++);
    await stream.ready;

    let cut = 0;
    for (const i of range(0, 60)) {
      // REST sends go straight to the server; only the socket runs through the proxy.
      await s.conversation.messages.send({ author: "bob", body: `m${i}` });
      if (i % 15 === 7) cut += proxy.dropAll();
    }
    await until(() => seen.length >= 60, "60 messages on the stream");
    await sleep(300); // anything still in flight (a duplicate, say) would land now
    expect(cut).toBeGreaterThanOrEqual(4);
    expect(reconnects).toBeGreaterThanOrEqual(4);
    expect(seen).toEqual(range(0, 60));
    expect(stream.lastIndex).toBe(59);
    stream.close();
  });

  it("resends a socket send after a drop under the same client_id: it is acked once and stored once", async () => {
    const s = await setup("resend");
    const proxy = await tcpProxy(local.port());
    local.cleanup(proxy.close);
    const ada = new Parley({ token: await s.token("ada"), baseUrl: proxy.url, realtime: FAST }).conversations.connect(s.conversation.id, { lastIndex: -1 });
    const seen: Message[] = [];
    ada.onMessage((m) => seen.push(m));
    await ada.ready;
    let reopened = 0;
    ada.on("open", () => reopened++);

    const sent = ada.send({ body: "through the storm", client_id: "client-1" });
    proxy.dropAll();
    const message = await sent;
    await until(() => reopened >= 1 && seen.length >= 1, "reconnected with the message");
    await ada.send({ body: "after", client_id: "client-2" });
    expect(message).toMatchObject({ body: "through the storm", author: "ada", index: 0 });
    const stored = await s.conversation.messages.list().toArray();
    expect(stored.map((m) => m.body)).toEqual(["through the storm", "after"]);
    expect(seen.map((m) => m.index)).toEqual([0, 1]);
    ada.close();
  });
});

describe("live frames", () => {
  it("carries typing, read receipts, presence and delivery updates between a token client and a server client", async () => {
    const s = await setup("frames");
    const base = local.url();
    const ada = new Parley({ token: await s.token("ada"), baseUrl: base }).conversations.connect(s.conversation.id);
    const adaFrames: ServerFrame[] = [];
    for (const type of ["typing", "read.updated", "presence", "message.updated"] as const) ada.on(type, ((f: ServerFrame) => adaFrames.push(f)) as never);
    await ada.ready;
    // A server acts as bob with its API key.
    const bob = s.parley.conversations.connect(s.conversation.id, { identity: "bob" });
    const bobFrames: ServerFrame[] = [];
    bob.on("read.updated", (f) => bobFrames.push(f));
    const ready = new Promise<ServerFrame>((resolve) => bob.on("ready", resolve));
    await bob.ready;
    expect(await ready).toMatchObject({ type: "ready", participant: { id: s.bobId } });
    await until(() => adaFrames.some((f) => f.type === "presence" && f.participant_id === s.bobId && f.status === "online"), "bob online");

    bob.typing("started");
    await until(() => adaFrames.some((f) => f.type === "typing" && f.participant_id === s.bobId && f.state === "started"), "bob typing");

    const sent = await bob.send({ body: "hello ada" });
    ada.markRead(sent.index);
    await until(() => bobFrames.some((f) => f.type === "read.updated" && f.participant_id === s.adaId && f.last_read_index === sent.index), "ada's read receipt");

    // A customer on SMS in an account with no SMS channel: the delivery fails, and says so live.
    await s.conversation.participants.add({ kind: "customer", channel: "sms", address: "+14155550123" });
    const reply = await s.conversation.messages.send({ author: "ada", body: "we will text you" });
    await until(() => adaFrames.some((f) => f.type === "message.updated" && f.message.id === reply.id && f.message.delivery?.status === "failed"), "delivery failed, live");

    bob.close();
    await until(() => adaFrames.some((f) => f.type === "presence" && f.participant_id === s.bobId && f.status === "offline"), "bob offline");
    ada.close();
  });

  it("sends the keep-alive ping at the contract's interval by default, and the runtime answers it", async () => {
    expect(PING_INTERVAL_MS).toBe(CONTRACT_PING_INTERVAL_MS);
    const s = await setup("ping");
    const sent: string[] = [];
    const received: string[] = [];
    // An injected WebSocket (as Node 20 needs): this one records what goes over it.
    class Recording extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener("message", (e) => received.push(String(e.data)));
      }
      override send(data: string) {
        sent.push(data);
        super.send(data);
      }
    }
    const stream = new Parley({ token: await s.token("ada"), baseUrl: local.url(), WebSocket: Recording, realtime: { pingIntervalMs: 100 } }).conversations.connect(s.conversation.id);
    await stream.ready;
    await until(() => received.filter((t) => t === "pong").length >= 2, "two pongs");
    expect(sent.filter((t) => t === "ping").length).toBeGreaterThanOrEqual(2);
    stream.close();
  });

  it("tells a listener with onMessage(id, callback) each new message until unsubscribed", async () => {
    const s = await setup("listener");
    const bodies: string[] = [];
    const stop = s.parley.conversations.onMessage(s.conversation.id, (m) => bodies.push(m.body));
    // Until the socket is up a message is history, not news: wait for the stream to see one.
    await until(async () => {
      await s.conversation.messages.send({ author: "bob", body: "ping?" });
      await sleep(100);
      return bodies.length > 0;
    }, "the listener hears");
    await s.conversation.messages.send({ author: "bob", body: "last" });
    await until(() => bodies.includes("last"), "the last message");
    stop();
    expect(bodies.filter((b) => b === "last")).toHaveLength(1);
    expect(bodies.at(-1)).toBe("last");
  });
});

describe("account stream", () => {
  it("announces conversations created and messages added across the account", async () => {
    const { parley } = await local.account("account-stream");
    const stream = parley.stream.connect();
    const frames: string[] = [];
    stream.on("conversation.created", (f) => frames.push(`created ${f.conversation.id}`));
    stream.on("message.added", (f) => frames.push(`message ${f.conversation_id} ${f.message.body}`));
    await stream.ready;
    const conversation = await parley.conversations.create({ participants: [{ kind: "agent", identity: "ada" }], message: { author: "ada", body: "first" } });
    await until(() => frames.includes(`created ${conversation.id}`) && frames.includes(`message ${conversation.id} first`), "created and message frames");
    stream.close();
  });
});
