// End to end, real time: a real `wrangler dev` with its own fresh state, and Node's own WebSocket
// client (a browser-like client: it cannot set headers, so it authenticates with participant
// tokens, as a subprotocol or as ?token=).
import { describe, expect, it } from "vitest";
import { useLocalServer } from "./local";
import type { ServerFrame } from "../../src/contract/frames";

const local = useLocalServer("e2e-rt");
const ADMIN_TOKEN = local.adminToken;
const api = local.api;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** A real WebSocket client that records every frame. */
type Socket = {
  ws: WebSocket;
  frames: ServerFrame[];
  texts: string[];
  closed: Promise<{ code: number; reason: string }>;
  until(done: (frames: ServerFrame[]) => boolean, what: string, ms?: number): Promise<void>;
  of<T extends ServerFrame["type"]>(type: T): Extract<ServerFrame, { type: T }>[];
  indexes(): number[];
  send(frame: unknown): void;
  /** Everything sent before this has been processed by the server and its answers have arrived. */
  roundTrip(): Promise<void>;
};

/** Opens a socket; resolves once it is open (and ready has arrived), rejects if the server refuses. */
function openSocket(path: string, protocols?: string[]): Promise<Socket> {
  const url = `${local.url().replace(/^http/, "ws")}${path}`;
  const ws = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
  const frames: ServerFrame[] = [];
  const texts: string[] = [];
  ws.addEventListener("message", (event) => {
    const text = String(event.data);
    texts.push(text);
    try {
      frames.push(JSON.parse(text) as ServerFrame);
    } catch {
      // "pong"
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  const socket: Socket = {
    ws,
    frames,
    texts,
    closed,
    async until(done, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!done(frames)) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (got ${frames.map((f) => f.type).join(",")})`);
        await sleep(10);
      }
    },
    of: (type) => frames.filter((f) => f.type === type) as never,
    indexes: () => socket.of("message.added").map((f) => f.message.index),
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    async roundTrip() {
      const before = socket.of("error").length;
      socket.send({ type: "barrier" });
      await socket.until(() => socket.of("error").length > before, "barrier");
    },
  };
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => {
      socket
        .until((f) => f.some((x) => x.type === "ready"), "ready")
        .then(() => resolve(socket), reject);
    });
    ws.addEventListener("error", () => reject(new Error(`WebSocket to ${path} failed`)));
  });
}

async function setup() {
  const acct = await api("POST", "/v1/accounts", { key: ADMIN_TOKEN, body: { name: "realtime" } });
  expect(acct.status).toBe(201);
  const key = acct.body.api_key.key as string;
  const conv = await api("POST", "/v1/conversations", {
    key,
    body: { participants: [{ kind: "agent", identity: "ada" }, { kind: "customer", identity: "bob" }] },
  });
  expect(conv.status).toBe(201);
  const id = conv.body.id as string;
  const pid = (identity: string) => (conv.body.participants as { id: string; identity: string }[]).find((p) => p.identity === identity)!.id;
  const token = async (identity: string) => {
    const t = await api("POST", "/v1/tokens", { key, body: { identity, conversation_id: id } });
    expect(t.status).toBe(201);
    return t.body.token as string;
  };
  const sendOne = async (body: string, author?: string) => {
    const r = await api("POST", `/v1/conversations/${id}/messages`, { key, body: { body, ...(author && { author }) } });
    expect(r.status).toBe(201);
    return r.body as { id: string; index: number };
  };
  return { key, id, adaId: pid("ada"), bobId: pid("bob"), stream: `/v1/conversations/${id}/stream`, token, sendOne };
}

describe("conversation stream over a real server", () => {
  it("delivers messages in order to both participants, keeps typing from echoing, and reports presence", async () => {
    const s = await setup();
    const ada = await openSocket(s.stream, ["parley.v1", await s.token("ada")]);
    expect(ada.ws.protocol).toBe("parley.v1");
    expect(ada.frames[0]).toMatchObject({ type: "ready", conversation_id: s.id, last_index: -1, participant: { id: s.adaId } });

    const bob = await openSocket(`${s.stream}?token=${await s.token("bob")}`);
    expect(bob.frames[0]).toMatchObject({ type: "ready", participant: { id: s.bobId } });
    await ada.until((f) => f.some((x) => x.type === "presence" && x.participant_id === s.bobId && x.status === "online"), "bob online");

    const sent = await Promise.all(range(0, 10).map((i) => s.sendOne(`m${i}`, i % 2 ? "bob" : "ada")));
    expect(sent.map((m) => m.index).sort((x, y) => x - y)).toEqual(range(0, 10));
    for (const c of [ada, bob]) {
      await c.until(() => c.indexes().length >= 10, "10 messages");
      expect(c.indexes()).toEqual(range(0, 10));
    }

    bob.send({ type: "typing", state: "started" });
    await ada.until((f) => f.some((x) => x.type === "typing"), "typing");
    expect(ada.of("typing")[0]).toMatchObject({ participant_id: s.bobId, state: "started" });
    await bob.roundTrip();
    expect(bob.of("typing")).toEqual([]);

    bob.ws.close(1000, "bye");
    await ada.until((f) => f.some((x) => x.type === "presence" && x.status === "offline"), "bob offline");
    expect(ada.of("presence").filter((p) => p.status === "offline")[0]).toMatchObject({ participant_id: s.bobId });
    const p = await api("GET", `/v1/conversations/${s.id}/participants/${s.bobId}`, { key: s.key });
    expect(p.body).toMatchObject({ online: false, last_seen_at: expect.any(String) });
    ada.ws.close();
  });

  it("loses nothing across a reconnect with ?last_index=, even with sends in flight", async () => {
    const s = await setup();
    const token = await s.token("bob");
    const bob = await openSocket(s.stream, ["parley.v1", token]);
    for (const i of range(0, 20)) await s.sendOne(`m${i}`, "ada");
    await bob.until(() => bob.indexes().length >= 20, "first 20");
    const seen = bob.indexes();
    bob.ws.close(1000, "going through a tunnel");
    await bob.closed;

    // More arrive while bob is away, and more while he reconnects.
    await Promise.all(range(20, 40).map((i) => s.sendOne(`m${i}`, "ada")));
    const [back] = await Promise.all([
      openSocket(`${s.stream}?last_index=${seen.at(-1)}`, ["parley.v1", token]),
      Promise.all(range(40, 60).map((i) => s.sendOne(`m${i}`, "ada"))),
    ]);
    await back.until(() => back.indexes().length >= 40, "the rest");
    expect([...seen, ...back.indexes()]).toEqual(range(0, 60));
    expect(back.of("resumed")).toHaveLength(1);

    const live = await s.sendOne("live", "ada");
    await back.until(() => back.indexes().includes(live.index), "a live message");
    expect(back.indexes().at(-1)).toBe(60);
    back.ws.close();
  });

  it("answers ping with pong, and refuses a bad token before the upgrade", async () => {
    const s = await setup();
    const ada = await openSocket(s.stream, ["parley.v1", await s.token("ada")]);
    ada.send("ping");
    const deadline = Date.now() + 5_000;
    while (!ada.texts.includes("pong") && Date.now() < deadline) await sleep(10);
    expect(ada.texts).toContain("pong");
    ada.ws.close();

    await expect(openSocket(`${s.stream}?token=garbage`)).rejects.toThrow();
    await expect(openSocket(s.stream, ["parley.v1", "garbage"])).rejects.toThrow();
    const plain = await api("GET", `${s.stream}?token=${await s.token("ada")}`);
    expect(plain.status).toBe(400);
    expect(plain.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const bad = await api("GET", `${s.stream}?token=garbage`);
    expect(bad.status).toBe(401);
  });

  it("message.send over the socket: acked after the commit, fanned out, in REST history once, and a resend after a reconnect stores nothing", async () => {
    const s = await setup();
    const ada = await openSocket(s.stream, ["parley.v1", await s.token("ada")]);
    let bob = await openSocket(s.stream, ["parley.v1", await s.token("bob")]);
    for (let i = 0; i < 20; i++) bob.send({ type: "message.send", client_id: `b-${i}`, body: `socket ${i}` });
    await bob.until((f) => f.filter((x) => x.type === "message.ack").length === 20, "20 acks");
    expect(bob.of("message.ack").map((a) => a.client_id)).toEqual(Array.from({ length: 20 }, (_, i) => `b-${i}`));
    await ada.until((f) => f.filter((x) => x.type === "message.added").length === 20, "20 message.added");
    expect(ada.indexes()).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(ada.of("message.added").map((f) => f.message.author)).toEqual(Array(20).fill("bob"));

    bob.ws.close();
    bob = await openSocket(s.stream, ["parley.v1", await s.token("bob")]);
    bob.send({ type: "message.send", client_id: "b-3", body: "socket 3" });
    await bob.until((f) => f.some((x) => x.type === "message.ack"), "the replayed ack");
    expect(bob.of("message.ack")[0]!.message.index).toBe(3);
    const history = await api("GET", `/v1/conversations/${s.id}/messages?limit=100`, { key: s.key });
    expect(history.body.data.map((m: { body: string }) => m.body)).toEqual(Array.from({ length: 20 }, (_, i) => `socket ${i}`));
    ada.ws.close();
    bob.ws.close();
  });
});
