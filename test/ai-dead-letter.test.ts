import { describe, expect, it } from "vitest";
import { failDeadDrafts } from "../src/ai/consumer";
import type { DraftJob } from "../src/ai/job";
import { call, env } from "./helpers";
import { aiAccount, customerConversation, customerSays, draftFor, handoffOf, waitFor } from "./fixtures/ai/setup";

/**
 * The DRAFTS queue's dead letters (src/ai/consumer.ts failDeadDrafts), fed a batch as the runtime
 * would after every try failed: a customer's message that got no draft hands its conversation to a
 * person, `draft_failed`, with its event; one that got a draft after all is left alone.
 */
function deadBatch(jobs: DraftJob[]) {
  const outcome = { acked: [] as string[], retried: [] as string[] };
  const messages = jobs.map((body, i) => ({
    id: `m${i}`, timestamp: new Date(), attempts: 11, body,
    ack: () => void outcome.acked.push(`m${i}`),
    retry: () => void outcome.retried.push(`m${i}`),
  }));
  return { batch: { queue: "parley-drafts-dlq", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<DraftJob>, outcome };
}

const eventTypes = async (conv: string) => (await env.DB.prepare("SELECT type FROM events WHERE conversation_id = ? ORDER BY sequence").bind(conv).all<{ type: string }>()).results.map((r) => r.type);

describe("DRAFTS dead letters", () => {
  it("hands the conversation to a person when a customer's message got no draft", async () => {
    const account = await aiAccount({}, "dlq-handoff");
    const conv = await customerConversation(account.key);
    // AI off for the conversation while the customer writes, so no draft is made of the message; then on again.
    expect((await call("PATCH", `/v1/conversations/${conv.id}/handoff`, { key: account.key, body: { ai_enabled: false } })).status).toBe(200);
    const m = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    expect((await call("PATCH", `/v1/conversations/${conv.id}/handoff`, { key: account.key, body: { ai_enabled: null } })).status).toBe(200);
    expect((await handoffOf(account.key, conv.id)).state).toBe("bot");

    const { batch, outcome } = deadBatch([{ v: 1, kind: "draft", account_id: account.id, conversation_id: conv.id, index: m.index }]);
    await failDeadDrafts(batch, env);
    expect(outcome).toEqual({ acked: ["m0"], retried: [] });
    expect(await handoffOf(account.key, conv.id)).toMatchObject({ state: "handoff_pending", reasons: ["draft_failed"] });
    await waitFor("handoff event in D1", () => eventTypes(conv.id), (t) => t.includes("handoff.requested"));
  }, 60_000);

  it("leaves a conversation whose message was drafted after all with the bot", async () => {
    const account = await aiAccount({}, "dlq-drafted");
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    await draftFor(account.key, conv.id, m.index);
    const { batch, outcome } = deadBatch([{ v: 1, kind: "draft", account_id: account.id, conversation_id: conv.id, index: m.index }]);
    await failDeadDrafts(batch, env);
    expect(outcome.acked).toEqual(["m0"]);
    expect(await handoffOf(account.key, conv.id)).toMatchObject({ state: "bot", reasons: [] });
  }, 60_000);
});
