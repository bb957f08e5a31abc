import { describe, expect, it } from "vitest";
import { call, env, newAccount, newConversation } from "./helpers";
import { newAgent, onlineAgent, participantsOf, route, routingUntil } from "./routing-fixtures";
import { connect, open } from "./ws";

/** Agents as a resource: CRUD, the presence socket and who may open it, routing's events. */
describe("agents", () => {
  it("creates, lists in pages, changes and deletes agents", async () => {
    const { key } = await newAccount();
    for (const identity of ["cy", "ada", "bo"]) await newAgent(key, { identity, skills: ["billing", "billing"], languages: ["EN"], name: identity.toUpperCase() });
    const first = await call("GET", "/v1/agents?limit=2", { key });
    expect(first.json.data.map((a: any) => a.identity)).toEqual(["ada", "bo"]);
    expect(first.json.data[0]).toMatchObject({ name: "ADA", skills: ["billing"], languages: ["en"], capacity: 5, status: "available", online: false, load: 0 });
    const rest = await call("GET", `/v1/agents?limit=2&cursor=${first.json.next_cursor}`, { key });
    expect(rest.json).toMatchObject({ data: [expect.objectContaining({ identity: "cy" })], next_cursor: null });
    expect((await call("GET", "/v1/agents?cursor=nonsense", { key })).status).toBe(400);

    const patched = await call("PATCH", "/v1/agents/bo", { key, body: { skills: ["Shipping"], capacity: 2, name: null } });
    expect(patched.json).toMatchObject({ identity: "bo", skills: ["shipping"], capacity: 2, name: null, languages: ["en"] });
    expect((await call("DELETE", "/v1/agents/bo", { key })).status).toBe(204);
    expect((await call("GET", "/v1/agents/bo", { key })).status).toBe(404);
    expect((await call("DELETE", "/v1/agents/bo", { key })).status).toBe(404);
  });

  it("a participant token opens only its own identity's socket; no credential is a 401", async () => {
    const { key } = await newAccount();
    await newAgent(key, { identity: "tok" });
    await newAgent(key, { identity: "other" });
    const token = (await call("POST", "/v1/tokens", { key, body: { identity: "tok" } })).json.token as string;
    const mine = await open("/v1/agents/tok/stream", { token });
    expect((await call("GET", "/v1/agents/tok", { key })).json.online).toBe(true);
    expect((await connect("/v1/agents/other/stream", { token })).status).toBe(404);
    expect((await connect("/v1/agents/tok/stream")).status).toBe(401);
    expect((await call("GET", "/v1/agents/other", { key })).json.online).toBe(false);
    mine.close();
  });

  it("deleting an agent closes its socket and frees its seats for the queue", async () => {
    const { key } = await newAccount();
    const leaving = await onlineAgent(key, { identity: "leaving", capacity: 1 });
    const conv = await newConversation(key);
    expect((await route(key, conv.id)).json.agent).toBe("leaving");
    const waiting = await newConversation(key);
    expect((await route(key, waiting.id)).json.status).toBe("queued");
    expect((await call("DELETE", "/v1/agents/leaving", { key })).status).toBe(204);
    expect((await leaving.socket.closed).code).toBe(4004);
    // Its conversation is no longer routing's; the queued one waits for someone else.
    expect((await call("GET", `/v1/conversations/${conv.id}/route`, { key })).status).toBe(404);
    await onlineAgent(key, { identity: "next" });
    await routingUntil(key, waiting.id, (r) => r.agent === "next" && r.participant_id !== null);
  });

  it("a queued conversation that is closed leaves the queue; a closed one cannot be routed", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key);
    expect((await route(key, conv.id)).json).toMatchObject({ status: "queued", position: 1 });
    await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "closed" } });
    for (let i = 0; i < 400 && (await call("GET", "/v1/routing/queue", { key })).json.data.length > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await call("GET", "/v1/routing/queue", { key })).json.data).toEqual([]);
    const refused = await route(key, conv.id);
    expect(refused.status).toBe(409);
    // An agent coming online now is given nothing.
    await onlineAgent(key, { identity: "idle" });
    expect((await call("GET", "/v1/agents/idle", { key })).json.load).toBe(0);
    expect(await participantsOf(key, conv.id)).toEqual([]);
  });

  it("routing decisions are events: conversation.queued, then conversation.assigned with the agent's participant", async () => {
    const { id: accountId, key } = await newAccount();
    const conv = await newConversation(key);
    await route(key, conv.id, { topic: "billing", priority: "high" });
    await onlineAgent(key, { identity: "evt", skills: ["billing"] });
    const assigned = await routingUntil(key, conv.id, (r) => r.participant_id !== null);
    const deadline = Date.now() + 10_000;
    let rows: { type: string; payload: string }[] = [];
    while (rows.length < 2 && Date.now() < deadline) {
      rows = (await env.DB.prepare("SELECT type, payload FROM events WHERE account_id = ? AND type IN ('conversation.queued', 'conversation.assigned') ORDER BY occurred_at").bind(accountId).all<{ type: string; payload: string }>()).results;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(rows.map((r) => r.type)).toEqual(["conversation.queued", "conversation.assigned"]);
    const queued = JSON.parse(rows[0]!.payload);
    expect(queued).toMatchObject({ conversation_id: conv.id, sequence: 0, data: { routing: { status: "queued", priority: "high", topics: ["billing"] } } });
    expect(JSON.parse(rows[1]!.payload).data.routing).toMatchObject({ status: "assigned", agent: "evt", participant_id: assigned.participant_id });
  });
});
