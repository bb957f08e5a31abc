import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expire } from "../src/conversation/commands/drafts";
import type { ConversationDO } from "../src/conversation/conversation-do";
import { call, conversationStub, env, newAccount } from "./helpers";
import { aiAccount, customerConversation, customerSays, draftFor, handoffOf, waitFor } from "./fixtures/ai/setup";
import { open, until } from "./ws";

/**
 * Drafts end to end in the Workers runtime: a customer's message goes through the conversation's
 * outbox, the DRAFTS queue and its consumer (retrieval, the offline engine, the gates), back into
 * the conversation as an auto-sent reply, a draft for review, or nothing.
 */
const messages = async (key: string, conv: string) => (await call("GET", `/v1/conversations/${conv}/messages`, { key })).json.data as any[];
const eventTypes = async (conv: string) => (await env.DB.prepare("SELECT type FROM events WHERE conversation_id = ? ORDER BY sequence").bind(conv).all<{ type: string }>()).results.map((r) => r.type);

describe("drafts", () => {
  it("auto-sends a confident answer as the bot, through normal delivery, with a frame and events", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    const socket = await open(`/v1/conversations/${conv.id}/stream`, { key: account.key });
    const m = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    const created = await socket.next("draft.created", undefined, 20_000);
    expect(created.draft.message_id).toBe(m.id);
    const d = await draftFor(account.key, conv.id, m.index);
    expect(d).toMatchObject({ status: "sent", gate: "auto_send", engine: "offline", fallback: null });
    expect(d.confidence).toBeGreaterThanOrEqual(0.8);
    expect(d.passages[0].heading).toBe("How long does standard shipping take?");
    expect(d.history.map((h: any) => h.action)).toEqual(["created", "sent"]);
    const history = await messages(account.key, conv.id);
    const reply = history.find((x) => x.id === d.reply_message_id);
    expect(reply).toMatchObject({ author_kind: "bot", author: "parley-bot", index: m.index + 1, attributes: { parley: { draft_id: d.id } } });
    expect(reply.body).toContain("3 to 5 business days");
    // The bot joined to say it; the customer's socket saw the reply like any message.
    await until(socket, (frames) => frames.some((f) => f.type === "message.added" && f.message.id === reply.id), 10_000, "the reply's frame");
    await waitFor("events in D1", () => eventTypes(conv.id), (t) => t.includes("draft.created"));
    socket.close();
  }, 60_000);

  it("queues a middling answer for review: approve with an edit, recorded with who, what and when", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    await call("POST", `/v1/conversations/${conv.id}/participants`, { key: account.key, body: { kind: "agent", identity: "ada" } });
    const m = await customerSays(account.key, conv.id, "the tracking code shows nothing");
    const d = await draftFor(account.key, conv.id, m.index);
    expect(d).toMatchObject({ status: "pending", gate: "review", reply_message_id: null });
    expect(d.confidence).toBeGreaterThanOrEqual(0.45);
    expect(d.confidence).toBeLessThan(0.8);
    expect(Date.parse(d.expires_at)).toBeGreaterThan(Date.now());
    expect((await messages(account.key, conv.id)).length).toBe(1);
    const queue = (await call("GET", "/v1/drafts?status=pending", { key: account.key })).json.data;
    expect(queue.map((x: any) => x.id)).toContain(d.id);

    const edited = "Tracking numbers take up to a day to show. If yours still shows nothing tomorrow, reply here and we will chase the carrier.";
    const approved = await call("POST", `/v1/drafts/${d.id}/approve`, { key: account.key, body: { agent: "ada", body: edited } });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: "approved", body: edited, expires_at: null });
    expect(approved.json.history.at(-1)).toMatchObject({ action: "approved", by: "ada", edited: true, body_before: d.body, body_after: edited });
    const reply = (await messages(account.key, conv.id)).find((x) => x.id === approved.json.reply_message_id);
    // Ada is an agent of the conversation: she sends it.
    expect(reply).toMatchObject({ body: edited, author: "ada", author_kind: "agent", attributes: { parley: { draft_id: d.id, approved_by: "ada" } } });
    // Reviewed once: a second approval or a rejection is a 409, and changes nothing.
    expect((await call("POST", `/v1/drafts/${d.id}/approve`, { key: account.key, body: { agent: "ada" } })).status).toBe(409);
    expect((await call("POST", `/v1/drafts/${d.id}/reject`, { key: account.key, body: { agent: "ada" } })).status).toBe(409);
    await waitFor("the queue", async () => (await call("GET", "/v1/drafts?status=pending", { key: account.key })).json.data.map((x: any) => x.id), (ids) => !ids.includes(d.id));
    await waitFor("events", () => eventTypes(conv.id), (t) => t.includes("draft.updated"));
  }, 60_000);

  it("rejects a draft (nothing sent) and expires one nobody reviewed", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "can I use two codes at once");
    const d = await draftFor(account.key, conv.id, m.index);
    expect(d.status).toBe("pending");
    const rejected = await call("POST", `/v1/drafts/${d.id}/reject`, { key: account.key, body: { agent: "bob", reason: "codes changed last week" } });
    expect(rejected.json).toMatchObject({ status: "rejected", reply_message_id: null });
    expect(rejected.json.history.at(-1)).toMatchObject({ action: "rejected", by: "bob", reason: "codes changed last week" });
    expect((await messages(account.key, conv.id)).length).toBe(1);

    const m2 = await customerSays(account.key, conv.id, "my card got declined twice");
    const d2 = await draftFor(account.key, conv.id, m2.index);
    expect(d2.status).toBe("pending");
    // The alarm's drafts duty, run as at a time past the draft's expiry.
    await runInDurableObject(conversationStub(conv.id), (instance: ConversationDO) => {
      expire((instance as unknown as { core: Parameters<typeof expire>[0] }).core, Date.parse(d2.expires_at) + 1);
    });
    const expired = (await call("GET", `/v1/drafts/${d2.id}`, { key: account.key })).json;
    expect(expired).toMatchObject({ status: "expired", expires_at: null });
    expect(expired.history.at(-1)).toMatchObject({ action: "expired", by: "system" });
    expect((await call("POST", `/v1/drafts/${d2.id}/approve`, { key: account.key, body: { agent: "bob" } })).status).toBe(409);
  }, 60_000);

  it("sends nothing below the review threshold, and hands off after repeated low confidence", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    const m1 = await customerSays(account.key, conv.id, "What's the weather like in Berlin today?");
    expect(await draftFor(account.key, conv.id, m1.index)).toMatchObject({ status: "discarded", gate: "none" });
    expect((await handoffOf(account.key, conv.id)).state).toBe("bot");
    const m2 = await customerSays(account.key, conv.id, "Can you recommend a good pizza place nearby?");
    expect(await draftFor(account.key, conv.id, m2.index)).toMatchObject({ status: "discarded" });
    const h = await handoffOf(account.key, conv.id);
    expect(h).toMatchObject({ state: "handoff_pending", reasons: ["low_confidence"] });
    expect((await messages(account.key, conv.id)).every((x) => x.author_kind === "customer")).toBe(true);
    await waitFor("events", () => eventTypes(conv.id), (t) => t.includes("handoff.requested"));
  }, 60_000);

  it("hands off at once when the customer asks for a person, and the agent who accepts takes over until resolved", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "Can I speak to a real person please?");
    const d = await draftFor(account.key, conv.id, m.index);
    expect(d.escalation).toContain("human_requested");
    expect(await handoffOf(account.key, conv.id)).toMatchObject({ state: "handoff_pending", reasons: ["human_requested"] });

    const accepted = await call("POST", `/v1/conversations/${conv.id}/handoff/accept`, { key: account.key, body: { agent: "ada" } });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ state: "agent_active", agent: "ada" });
    const participants = (await call("GET", `/v1/conversations/${conv.id}/participants`, { key: account.key })).json.data;
    expect(participants.find((p: any) => p.identity === "ada")).toMatchObject({ kind: "agent" });
    expect((await call("POST", `/v1/conversations/${conv.id}/handoff/accept`, { key: account.key, body: { agent: "bob" } })).status).toBe(409);

    // With a person on it, even a confident answer waits for review instead of going out.
    const m2 = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    const d2 = await draftFor(account.key, conv.id, m2.index);
    expect(d2).toMatchObject({ status: "pending", gate: "review" });
    expect(d2.confidence).toBeGreaterThanOrEqual(0.8);
    expect((await messages(account.key, conv.id)).some((x) => x.author_kind === "bot")).toBe(false);

    // Resolving hands it back: the next confident answer is sent by the bot, in the same conversation.
    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key: account.key, body: { status: "resolved" } })).status).toBe(200);
    expect(await handoffOf(account.key, conv.id)).toMatchObject({ state: "bot", agent: null, reasons: [] });
    const m3 = await customerSays(account.key, conv.id, "How do I reset my password?");
    const d3 = await draftFor(account.key, conv.id, m3.index);
    expect(d3.status).toBe("sent");
    const all = await messages(account.key, conv.id);
    expect(all.map((x) => x.index)).toEqual([...all.keys()]);
    expect(all.at(-1)).toMatchObject({ author_kind: "bot", conversation_id: conv.id });
    await waitFor("events", () => eventTypes(conv.id), (t) => t.includes("handoff.accepted"));
  }, 60_000);

  it("drafts nothing where AI is off, for the account or for the conversation", async () => {
    const off = await newAccount("ai-off");
    const c1 = await customerConversation(off.key);
    const account = await aiAccount();
    const c2 = await customerConversation(account.key);
    const patched = await call("PATCH", `/v1/conversations/${c2.id}/handoff`, { key: account.key, body: { ai_enabled: false } });
    expect(patched.json).toMatchObject({ ai_enabled: false, state: "bot" });
    await customerSays(off.key, c1.id, "How long does standard shipping take?");
    await customerSays(account.key, c2.id, "How long does standard shipping take?");
    // A third conversation of the AI account as the witness that drafting ran meanwhile.
    const c3 = await customerConversation(account.key);
    const m3 = await customerSays(account.key, c3.id, "How long does standard shipping take?");
    await draftFor(account.key, c3.id, m3.index);
    expect((await call("GET", `/v1/drafts?conversation_id=${c1.id}`, { key: off.key })).json.data).toEqual([]);
    expect((await call("GET", `/v1/drafts?conversation_id=${c2.id}`, { key: account.key })).json.data).toEqual([]);
  }, 60_000);

  it("keeps drafts to their account: another account's draft id is a 404, and bad input names the field", async () => {
    const account = await aiAccount();
    const other = await newAccount("other");
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "the tracking code shows nothing");
    const d = await draftFor(account.key, conv.id, m.index);
    expect((await call("GET", `/v1/drafts/${d.id}`, { key: other.key })).status).toBe(404);
    expect((await call("POST", `/v1/drafts/${d.id}/approve`, { key: other.key, body: { agent: "x" } })).status).toBe(404);
    expect((await call("GET", "/v1/drafts", { key: other.key })).json.data).toEqual([]);
    expect((await call("GET", "/v1/drafts/drf_nonsense", { key: account.key })).status).toBe(404);
    const bad = await call("POST", `/v1/drafts/${d.id}/approve`, { key: account.key, body: { agent: "has space" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("body.agent");
    expect((await call("GET", `/v1/drafts/${d.id}`, { key: account.key })).json.status).toBe("pending");
  }, 60_000);
});
