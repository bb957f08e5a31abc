import { describe, expect, it } from "vitest";
import { bodies, connect } from "./channel-fixtures";
import { addParticipant, call, env, newAccount, newConversation, send, settle } from "./helpers";
import { deliveryOf, interceptProviders, jsonAnswer } from "./provider-intercept";

// Conversations emit the event catalog's events; the projection consumer keeps them in D1 in the
// same batch as the change, in sequence order per conversation, each once.

const provider = interceptProviders();

async function eventsOf(conversationId: string) {
  const { results } = await env.DB.prepare("SELECT id, type, sequence, payload FROM events WHERE conversation_id = ? ORDER BY sequence").bind(conversationId).all<{ id: string; type: string; sequence: number; payload: string }>();
  return results.map((r) => ({ ...r, envelope: JSON.parse(r.payload) }));
}

describe("events", () => {
  it("a conversation's life is a sequence of events in D1: created, participants, messages, updated, closed, deleted", async () => {
    const { id: accountId, key } = await newAccount();
    const conv = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }], message: { author: "ada", body: "first" } });
    const bob = await addParticipant(key, conv.id, { kind: "customer", identity: "bob" });
    await send(key, conv.id, { author: "bob", body: "second" });
    await call("DELETE", `/v1/conversations/${conv.id}/participants/${bob.id}`, { key });
    await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "closed" } });
    await settle(conv.id);

    const events = await eventsOf(conv.id);
    expect(events.map((e) => e.type)).toEqual([
      "conversation.created",
      "participant.added",
      "message.added",
      "participant.added",
      "message.added",
      "participant.removed",
      "conversation.updated",
      "conversation.closed",
    ]);
    const sequences = events.map((e) => e.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const [created, added, first] = events.map((e) => e.envelope);
    expect(added).toMatchObject({ type: "participant.added", account_id: accountId, conversation_id: conv.id, data: { participant: { identity: "ada" } } });
    expect(first).toMatchObject({ data: { message: { body: "first", index: 0 } } });
    expect(created).toMatchObject({ reason: "api", data: { conversation: { id: conv.id } } });
    expect(events.at(-1)!.envelope).toMatchObject({ type: "conversation.closed", data: { conversation: { status: "closed" } } });
    expect(events.find((e) => e.type === "participant.removed")!.envelope.data).toEqual({ participant_id: bob.id });

    // Deleted, the conversation's events go with it (their data held its messages), but the one that says so.
    expect((await call("DELETE", `/v1/conversations/${conv.id}`, { key })).status).toBe(204);
    await settle(conv.id);
    let after = await eventsOf(conv.id);
    for (let i = 0; i < 500 && after.map((e) => e.type).join() !== "conversation.deleted"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await eventsOf(conv.id);
    }
    expect(after.map((e) => e.envelope)).toEqual([expect.objectContaining({ type: "conversation.deleted", data: { conversation_id: conv.id } })]);
  });

  it("a delivery's steps are message.updated and delivery.updated events, with the recipient's status", async () => {
    const { key } = await newAccount();
    await connect(key, bodies.twilioSms("+14155550100"));
    const conv = await newConversation(key, { participants: [{ kind: "customer", channel: "sms", address: "+14155550142" }] });
    provider.answer = () => jsonAnswer(201, { sid: "SM" + "f".repeat(32), status: "queued" });
    const sent = await send(key, conv.id, { body: "hello" });
    await deliveryOf(key, conv.id, sent.id, (d) => d.status === "sent");
    await settle(conv.id);
    const events = await eventsOf(conv.id);
    const delivery = events.filter((e) => e.type === "delivery.updated").map((e) => e.envelope.data);
    expect(delivery).toEqual([{ message_id: sent.id, message_index: 0, recipient: expect.objectContaining({ status: "sent", provider_message_id: "SM" + "f".repeat(32) }) }]);
    expect(events.filter((e) => e.type === "message.updated")).toHaveLength(1);
  });
});
