// The account-wide stream (`GET /v1/stream`) for agent consoles: API keys only, and only the
// account's own conversation events, which arrive once the conversations' outboxes have drained.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AccountFrame } from "../src/contract/frames";
import { call, env, newAccount, newConversation, problemOf, send } from "./helpers";
import { connect, open, until, upgrade, type Client } from "./ws";

/** How long the outbox drain may take to reach the account stream. */
const LAG_MS = 5_000;

const framesOfConsole = (c: Client) => c.frames as unknown as AccountFrame[];

async function console_(key: string): Promise<Client> {
  const c = await open("/v1/stream", { key });
  await until(c, (f) => f.length > 0, LAG_MS, "ready");
  return c;
}

/** Waits for the first frame that matches, searching everything received so far. */
async function waitFor<T extends AccountFrame>(c: Client, match: (f: AccountFrame) => f is T, what: string): Promise<T>;
async function waitFor(c: Client, match: (f: AccountFrame) => boolean, what: string): Promise<AccountFrame>;
async function waitFor(c: Client, match: (f: AccountFrame) => boolean, what: string): Promise<AccountFrame> {
  await until(c, () => framesOfConsole(c).some(match), LAG_MS, what);
  return framesOfConsole(c).find(match)!;
}

/** The conversation ids a console has heard about, in any frame. */
function conversationIds(c: Client): string[] {
  return framesOfConsole(c).flatMap((f) => {
    if (f.type === "conversation.created" || f.type === "conversation.updated") return [f.conversation.id];
    if (f.type === "message.added" || f.type === "conversation.deleted") return [f.conversation_id];
    return [];
  });
}

describe("account stream", () => {
  it("opens with an API key and says ready with the account id", async () => {
    const { id, key } = await newAccount();
    const c = await open("/v1/stream", { key });
    await until(c, (f) => f.length > 0, LAG_MS, "ready");
    expect(framesOfConsole(c)[0]).toEqual({ type: "ready", account_id: id });
    // It is read-only: anything sent is answered with an error, and the socket stays up.
    c.send({ type: "typing", state: "started" });
    await until(c, (f) => f.some((x) => x.type === "error"), LAG_MS, "error");
    expect(c.frames.find((f) => f.type === "error")).toMatchObject({ code: "bad_frame" });
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.close();
  });

  it("opens from a browser with the API key offered as a subprotocol (browsers set no headers on a WebSocket); the 101 selects parley.v1", async () => {
    const { id, key } = await newAccount();
    const res = await connect("/v1/stream", { protocols: ["parley.v1", key] });
    expect(res.status).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBe("parley.v1");
    await until(res.client!, (f) => f.length > 0, LAG_MS, "ready");
    expect(framesOfConsole(res.client!)[0]).toEqual({ type: "ready", account_id: id });
    res.client!.close();
    // Only the key: no protocol to select, none in the answer.
    const plain = await connect("/v1/stream", { key });
    expect(plain.headers.get("sec-websocket-protocol")).toBeNull();
    plain.client!.close();
  });

  it("refuses participant tokens and missing or bad credentials with 401, and a plain GET with 400", async () => {
    const { key } = await newAccount();
    await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }] });
    const token = (await call("POST", "/v1/tokens", { key, body: { identity: "ada" } })).json.token as string;
    const refusals = [
      await upgrade("/v1/stream", { headers: { authorization: `Bearer ${token}` } }),
      await upgrade("/v1/stream", { token }),
      await upgrade("/v1/stream", { protocols: ["parley.v1", token] }),
      await upgrade("/v1/stream"),
      await upgrade("/v1/stream", { key: "sk_not_a_real_key" }),
    ];
    for (const res of refusals) {
      expect(res.webSocket).toBeNull();
      problemOf({ status: res.status, headers: res.headers, json: await res.json() }, 401);
    }
    problemOf(await call("GET", "/v1/stream", { key }), 400);
  });

  it("tells consoles about created conversations, added messages and updates", async () => {
    const { key } = await newAccount();
    const one = await console_(key);
    const two = await console_(key);

    const conv = await newConversation(key, { friendly_name: "Order 1", participants: [{ kind: "agent", identity: "ada" }] });
    for (const c of [one, two]) {
      const created = await waitFor(c, (f) => f.type === "conversation.created" && f.conversation.id === conv.id, "conversation.created");
      expect(created).toMatchObject({ conversation: { id: conv.id, friendly_name: "Order 1", status: "open" } });
    }

    const m = await send(key, conv.id, { body: "Where is my order?", author: "ada" });
    for (const c of [one, two]) {
      const added = await waitFor(c, (f) => f.type === "message.added" && f.message.id === m.id, "message.added");
      expect(added).toEqual({
        type: "message.added",
        conversation_id: conv.id,
        message: { id: m.id, index: 0, author: "ada", author_kind: "agent", body: "Where is my order?", created_at: m.created_at },
      });
    }

    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { friendly_name: "Order 1 (late)" } })).status).toBe(200);
    const updated = await waitFor(
      one,
      (f) => f.type === "conversation.updated" && f.conversation.id === conv.id && f.conversation.friendly_name === "Order 1 (late)",
      "conversation.updated with the new name",
    );
    expect(updated).toMatchObject({ conversation: { message_count: 1 } });

    // Events for one conversation arrive in the order they happened.
    const kinds = framesOfConsole(one)
      .filter((f) => f.type !== "ready")
      .map((f) => (f.type === "conversation.updated" && f.conversation.friendly_name === "Order 1 (late)" ? "renamed" : f.type));
    expect(kinds.indexOf("conversation.created")).toBeLessThan(kinds.indexOf("message.added"));
    expect(kinds.indexOf("message.added")).toBeLessThan(kinds.indexOf("renamed"));

    expect((await call("DELETE", `/v1/conversations/${conv.id}`, { key })).status).toBe(204);
    await waitFor(one, (f) => f.type === "conversation.deleted" && f.conversation_id === conv.id, "conversation.deleted");
    one.close();
    two.close();
  });

  it("never carries another account's events", async () => {
    const a = await newAccount("a");
    const b = await newAccount("b");
    const consoleA = await console_(a.key);
    const consoleB = await console_(b.key);

    const convA = await newConversation(a.key, { participants: [{ kind: "agent", identity: "ada" }] });
    const mA = await send(a.key, convA.id, { body: "for A only", author: "ada" });
    await waitFor(consoleA, (f) => f.type === "message.added" && f.message.id === mA.id, "A's message on A's console");

    // Once B's own later events have reached B's console, A's would have too, had they been sent there.
    const convB = await newConversation(b.key, { participants: [{ kind: "agent", identity: "ada" }] });
    const mB = await send(b.key, convB.id, { body: "for B only", author: "ada" });
    await waitFor(consoleB, (f) => f.type === "message.added" && f.message.id === mB.id, "B's message on B's console");
    await waitFor(consoleA, (f) => f.type === "conversation.updated" || f.type === "message.added", "anything");

    expect(new Set(conversationIds(consoleB))).toEqual(new Set([convB.id]));
    expect(new Set(conversationIds(consoleA))).toEqual(new Set([convA.id]));
    expect(JSON.stringify(consoleB.frames)).not.toContain("for A only");
    expect(JSON.stringify(consoleA.frames)).not.toContain("for B only");
    consoleA.close();
    consoleB.close();
  });

  it("keeps delivering after the hub has been evicted (hibernated sockets)", async () => {
    const { id, key } = await newAccount();
    const c = await console_(key);
    await evictDurableObject(env.ACCOUNT_HUB.get(env.ACCOUNT_HUB.idFromName(id)));
    const conv = await newConversation(key);
    await waitFor(c, (f) => f.type === "conversation.created" && f.conversation.id === conv.id, "conversation.created after eviction");
    c.close();
  });
});
