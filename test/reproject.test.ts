import { describe, expect, it } from "vitest";
import { reprojectDeadLetters } from "../src/projection/consumer";
import type { ProjectionPayload } from "../src/projection/payload";
import { addParticipant, call, d1Number, env, newAccount, newConversation, send, settle } from "./helpers";

// A projection that dead-lettered (D1 away for longer than the queue's retries) is carried again
// from its conversation, so what it named reaches D1 after all.

/** A dead-letter batch of these payloads, recording what the consumer acked and retried. */
function deadLetters(payloads: ProjectionPayload[]) {
  const acked: string[] = [];
  const retried: string[] = [];
  const messages = payloads.map((body, i) => ({
    id: `dead-${i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => void acked.push(`dead-${i}`),
    retry: () => void retried.push(`dead-${i}`),
  }));
  const batch = { queue: "parley-projection-dlq", messages, ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<ProjectionPayload>;
  return { batch, acked, retried };
}

const lostPayload = (accountId: string, conversationId: string, over: Partial<ProjectionPayload>): ProjectionPayload => ({
  v: 1,
  account_id: accountId,
  conversation_id: conversationId,
  version: 1,
  deleted: false,
  announce: null,
  conversation: null,
  participants: [],
  removed_participants: [],
  messages: [],
  ...over,
});

describe("dead-lettered projections", () => {
  it("are carried again from the conversation: lost messages and participants reach D1", async () => {
    const { id: accountId, key } = await newAccount();
    const c = await newConversation(key);
    const ada = await addParticipant(key, c.id, { kind: "agent", identity: "ada" });
    await send(key, c.id, { body: "zero" });
    const one = await send(key, c.id, { body: "one" });
    await settle(c.id);
    // As if the payload that carried these never arrived.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM messages WHERE id = ?").bind(one.id),
      env.DB.prepare("DELETE FROM conversation_participants WHERE id = ?").bind(ada.id),
    ]);
    const lost = lostPayload(accountId, c.id, {
      messages: [{ id: one.id, index: 1, created_at: 0, resource: one }],
      participants: [{ id: ada.id, kind: "agent", channel: "chat", address: null, identity: "ada", last_read_index: null }],
    });
    const { batch, acked, retried } = deadLetters([lost]);
    await reprojectDeadLetters(batch, env);
    expect({ acked, retried }).toEqual({ acked: ["dead-0"], retried: [] });
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE id = ?", one.id)).toBe(1);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE id = ?", ada.id)).toBe(1);
  });

  it("a lost deletion is carried again as the deletion, whatever the dead payload said", async () => {
    const { id: accountId, key } = await newAccount();
    const c = await newConversation(key);
    await send(key, c.id, { body: "bye" });
    await settle(c.id);
    expect((await call("DELETE", `/v1/conversations/${c.id}`, { key })).status).toBe(204);
    await settle(c.id);
    // As if the deletion never reached D1: the row is back and the tombstone gone.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM deleted_conversations WHERE id = ?").bind(c.id),
      env.DB.prepare("INSERT INTO conversations (id, account_id, status, tags, last_activity_at, created_at, version, resource) VALUES (?, ?, 'open', '[]', 0, 0, 1, '{}')").bind(c.id, accountId),
    ]);
    const { batch, acked } = deadLetters([lostPayload(accountId, c.id, { deleted: true })]);
    await reprojectDeadLetters(batch, env);
    expect(acked).toEqual(["dead-0"]);
    await settle(c.id);
    expect(await d1Number("SELECT count(*) AS n FROM conversations WHERE id = ?", c.id)).toBe(0);
    expect(await d1Number("SELECT count(*) AS n FROM deleted_conversations WHERE id = ?", c.id)).toBe(1);
  });
});
