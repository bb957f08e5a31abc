import { describe, expect, it } from "vitest";
import { runInDurableObject } from "cloudflare:test";
import type { ConversationDO } from "../src/conversation/conversation-do";
import { call, conversationStub, newAccount, newConversation } from "./helpers";
import { conversationSaying, onlineAgent, participantsOf, route, routingUntil } from "./routing-fixtures";

/** Routing conversations to agents: each test has its own account (storage is shared within the file). */
describe("routing", () => {
  it("routes by skill: the agent with the topic gets the conversation and appears in it as an agent participant", async () => {
    const { key } = await newAccount();
    const billing = await onlineAgent(key, { identity: "ada", skills: ["billing"], languages: ["en"] });
    const shipping = await onlineAgent(key, { identity: "bob", skills: ["Shipping"], languages: ["en"] });
    const conv = await newConversation(key);

    const res = await route(key, conv.id, { topic: "shipping", language: "en" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: "assigned", agent: "bob", topics: ["shipping"], position: null });
    expect(res.json.participant_id).toMatch(/^part_/);
    const people = await participantsOf(key, conv.id);
    expect(people).toEqual([expect.objectContaining({ id: res.json.participant_id, kind: "agent", identity: "bob" })]);
    // The agent's console hears of it on its socket; the other agent does not.
    const frame = await waitText(shipping.socket.texts, "conversation.assigned");
    expect(JSON.parse(frame).routing).toMatchObject({ conversation_id: conv.id, agent: "bob" });
    expect(billing.socket.texts.some((t) => t.includes("conversation.assigned"))).toBe(false);
    expect((await call("GET", "/v1/agents/bob", { key })).json).toMatchObject({ load: 1, online: true, skills: ["shipping"] });
    // Asking again answers the same assignment.
    const again = await route(key, conv.id, { topic: "shipping" });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ agent: "bob", participant_id: res.json.participant_id });
  });

  it("an agent already in the conversation is taken as added: no second participant", async () => {
    const { key } = await newAccount();
    await onlineAgent(key, { identity: "already" });
    const conv = await newConversation(key, { participants: [{ kind: "agent", identity: "already" }] });
    const existing = conv.participants[0].id;
    const res = await route(key, conv.id);
    expect(res.json).toMatchObject({ status: "assigned", agent: "already", participant_id: existing });
    expect((await participantsOf(key, conv.id)).map((p) => p.id)).toEqual([existing]);
  });

  it("takes the topic from the conversation's tags that are some agent's skill", async () => {
    const { key } = await newAccount();
    await onlineAgent(key, { identity: "gen", skills: ["general"] });
    await onlineAgent(key, { identity: "ref", skills: ["refunds"] });
    const conv = await newConversation(key, { tags: ["vip", "Refunds"] });
    const res = await route(key, conv.id);
    expect(res.json).toMatchObject({ status: "assigned", agent: "ref", topics: ["refunds"] });
  });

  it("routes by the customer's language, detected offline from what they wrote", async () => {
    const { key } = await newAccount();
    await onlineAgent(key, { identity: "en-agent", languages: ["en"] });
    await onlineAgent(key, { identity: "es-agent", languages: ["es"] });
    const spanish = await conversationSaying(key, "Hola, no puedo entrar a mi cuenta y quiero ayuda con el pedido");
    const english = await conversationSaying(key, "Hi, I can't get into my account, please help with my order");
    expect((await route(key, spanish.id)).json).toMatchObject({ status: "assigned", agent: "es-agent", language: "es" });
    expect((await route(key, english.id)).json).toMatchObject({ status: "assigned", agent: "en-agent", language: "en" });
    // Nobody speaks French: it waits.
    const french = await conversationSaying(key, "Bonjour, je ne peux pas accéder à mon compte, merci de votre aide");
    expect((await route(key, french.id)).json).toMatchObject({ status: "queued", language: "fr", agent: null, position: 1 });
  });

  it("never goes over capacity: the next conversation waits in the queue, visibly, and is assigned when a seat frees", async () => {
    const { key } = await newAccount();
    await onlineAgent(key, { identity: "solo", capacity: 1 });
    const first = await newConversation(key);
    const second = await newConversation(key);
    const third = await newConversation(key);
    expect((await route(key, first.id)).json).toMatchObject({ status: "assigned", agent: "solo" });
    expect((await route(key, second.id, { priority: "normal" })).json).toMatchObject({ status: "queued", position: 1 });
    // Higher priority goes first, whatever the time waited.
    expect((await route(key, third.id, { priority: "urgent" })).json).toMatchObject({ status: "queued", position: 1 });
    const queue = await call("GET", "/v1/routing/queue", { key });
    expect(queue.json.data.map((r: any) => [r.conversation_id, r.position, r.priority])).toEqual([
      [third.id, 1, "urgent"],
      [second.id, 2, "normal"],
    ]);
    expect(queue.json.data.every((r: any) => r.waiting_ms >= 0 && r.status === "queued")).toBe(true);
    expect((await call("GET", "/v1/agents/solo", { key })).json.load).toBe(1);

    // Resolving the first frees the seat: the urgent one takes it, the other keeps waiting.
    expect((await call("PATCH", `/v1/conversations/${first.id}`, { key, body: { status: "resolved" } })).status).toBe(200);
    const assigned = await routingUntil(key, third.id, (r) => r.status === "assigned" && r.participant_id !== null);
    expect(assigned).toMatchObject({ agent: "solo", position: null });
    expect((await participantsOf(key, third.id)).map((p) => p.identity)).toEqual(["solo"]);
    expect((await call("GET", `/v1/conversations/${second.id}/route`, { key })).json).toMatchObject({ status: "queued", position: 1 });
    expect((await call("GET", `/v1/conversations/${first.id}/route`, { key })).status).toBe(404);

    // The agent leaving the conversation frees the seat too.
    const leave = await call("DELETE", `/v1/conversations/${third.id}/participants/${assigned.participant_id}`, { key });
    expect(leave.status).toBe(204);
    await routingUntil(key, second.id, (r) => r.status === "assigned" && r.participant_id !== null);
    expect((await call("GET", "/v1/agents/solo", { key })).json.load).toBe(1);
  });

  it("a race for the last free seat: two conversations at once, exactly one assigned and the other queued", async () => {
    const { key } = await newAccount();
    await onlineAgent(key, { identity: "last-seat", capacity: 2 });
    const warm = await newConversation(key);
    expect((await route(key, warm.id)).json.status).toBe("assigned");
    const [a, b] = [await newConversation(key), await newConversation(key)];
    const results = await Promise.all([route(key, a.id), route(key, b.id)]);
    expect(results.map((r) => r.json.status).sort()).toEqual(["assigned", "queued"]);
    expect((await call("GET", "/v1/agents/last-seat", { key })).json).toMatchObject({ load: 2, capacity: 2 });
    const winner = results.find((r) => r.json.status === "assigned")!.json.conversation_id;
    const loser = winner === a.id ? b.id : a.id;
    expect((await participantsOf(key, winner)).map((p) => p.identity)).toEqual(["last-seat"]);
    expect(await participantsOf(key, loser)).toEqual([]);
  });

  it("a conversation that refuses its agent (closed before its release arrived) gives the seat back: none is leaked", async () => {
    const { key } = await newAccount();
    const doomed = await newConversation(key);
    const after = await newConversation(key);
    expect((await route(key, doomed.id)).json.status).toBe("queued");
    expect((await route(key, after.id)).json.status).toBe("queued");
    // Its outbox held back, the closing never reaches routing: routing still has it queued.
    await runInDurableObject(conversationStub(doomed.id), (instance: ConversationDO) => {
      instance.outbox.mode = "manual";
    });
    expect((await call("PATCH", `/v1/conversations/${doomed.id}`, { key, body: { status: "closed" } })).status).toBe(200);
    // The one seat goes to the closed conversation first (it waited longest); its add is refused
    // (409, closed), so the seat comes back and goes to the next in the queue.
    await onlineAgent(key, { identity: "one-seat", capacity: 1 });
    const served = await routingUntil(key, after.id, (r) => r.status === "assigned" && r.participant_id !== null);
    expect(served.agent).toBe("one-seat");
    expect((await call("GET", `/v1/conversations/${doomed.id}/route`, { key })).status).toBe(404);
    expect((await call("GET", "/v1/agents/one-seat", { key })).json.load).toBe(1);
  });

  it("an agent who is not online, or not available, takes nothing until it is", async () => {
    const { key } = await newAccount();
    const created = await call("POST", "/v1/agents", { key, body: { identity: "late", skills: ["billing"] } });
    expect(created.json).toMatchObject({ online: false, status: "available", load: 0, capacity: 5 });
    const conv = await newConversation(key);
    expect((await route(key, conv.id, { topic: "billing" })).json.status).toBe("queued");
    // Coming online serves the queue.
    const { open } = await import("./ws");
    const socket = await open("/v1/agents/late/stream", { key });
    expect(JSON.parse(await waitText(socket.texts, '"ready"'))).toEqual({ type: "ready", identity: "late" });
    await routingUntil(key, conv.id, (r) => r.status === "assigned" && r.agent === "late");

    // Away: keeps what it has, takes nothing new; available again serves the queue.
    await call("PATCH", "/v1/agents/late", { key, body: { status: "away" } });
    const next = await newConversation(key);
    expect((await route(key, next.id, { topic: "billing" })).json.status).toBe("queued");
    const back = await call("PATCH", "/v1/agents/late", { key, body: { status: "available" } });
    expect(back.json).toMatchObject({ status: "available", load: 2 });
    expect((await call("GET", `/v1/conversations/${next.id}/route`, { key })).json.status).toBe("assigned");
  });

  it("a foreign agent, a foreign conversation and an unknown one are 404s", async () => {
    const mine = await newAccount();
    const theirs = await newAccount();
    await onlineAgent(theirs.key, { identity: "theirs" });
    const theirConv = await newConversation(theirs.key);
    expect((await call("GET", "/v1/agents/theirs", { key: mine.key })).status).toBe(404);
    expect((await call("PATCH", "/v1/agents/theirs", { key: mine.key, body: { capacity: 1 } })).status).toBe(404);
    expect((await call("DELETE", "/v1/agents/theirs", { key: mine.key })).status).toBe(404);
    expect((await call("GET", "/v1/agents", { key: mine.key })).json.data).toEqual([]);
    expect((await route(mine.key, theirConv.id)).status).toBe(404);
    expect((await route(mine.key, "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T")).status).toBe(404);
    expect((await call("GET", `/v1/conversations/${theirConv.id}/route`, { key: mine.key })).status).toBe(404);
    const { connect } = await import("./ws");
    expect((await connect("/v1/agents/theirs/stream", { key: mine.key })).status).toBe(404);
    // Their agent is untouched.
    expect((await call("GET", "/v1/agents/theirs", { key: theirs.key })).json.capacity).toBe(5);
  });

  it("bad input is a 422 naming the field, and changes nothing", async () => {
    const { key } = await newAccount();
    const cases: [string, Record<string, unknown>, string][] = [
      ["/v1/agents", { identity: "x", capacity: -1 }, "body.capacity"],
      ["/v1/agents", { identity: "x", languages: ["english"] }, "body.languages[0]"],
      ["/v1/agents", { identity: "x", status: "busy" }, "body.status"],
      ["/v1/agents", { identity: "has space" }, "body.identity"],
      ["/v1/agents", { identity: "x", surprise: 1 }, "body"],
    ];
    for (const [path, body, field] of cases) {
      const res = await call("POST", path, { key, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.errors.map((e: any) => e.path)).toContain(field);
    }
    expect((await call("GET", "/v1/agents", { key })).json.data).toEqual([]);
    await call("POST", "/v1/agents", { key, body: { identity: "dup" } });
    const dup = await call("POST", "/v1/agents", { key, body: { identity: "dup" } });
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0].path).toBe("body.identity");
    const conv = await newConversation(key);
    const bad = await route(key, conv.id, { priority: "asap" });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("body.priority");
    expect((await route(key, conv.id, { language: "xyz" })).json.errors[0].path).toBe("body.language");
    expect((await call("GET", `/v1/conversations/${conv.id}/route`, { key })).status).toBe(404);
    expect((await call("PATCH", "/v1/agents/dup", { key, body: { capacity: 1000 } })).json.errors[0].path).toBe("body.capacity");
  });
});

async function waitText(texts: string[], needle: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = texts.find((t) => t.includes(needle));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${needle} among ${texts.length} texts`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
