import { drizzle } from "drizzle-orm/d1";
import type { Routing } from "../contract/agent";
import type { EventEnvelope } from "../contract/events";
import { events } from "../db/schema";
import type { Env } from "../env";
import { newId } from "../lib/ids";
import { enqueueWebhooks } from "../webhooks/fanout";

/**
 * Routing's events (`conversation.queued`, `conversation.assigned`): decisions of the account's
 * RoutingDO, not changes of the conversation, so they do not go through the conversation's outbox
 * and carry no place in its sequence (`sequence` 0, as account events do; order them by
 * `occurred_at`). They are written to the RoutingDO's `pending_events` in the decision's own
 * transaction and carried from there to D1 and the webhooks, at least once (an event id repeated
 * is a no-op in D1 and a repeated `webhook-id` to receivers).
 */
export function routingEvent(type: "conversation.queued" | "conversation.assigned", accountId: string, routing: Routing, now: number): EventEnvelope {
  return {
    id: newId("event"),
    type,
    account_id: accountId,
    conversation_id: routing.conversation_id,
    sequence: 0,
    occurred_at: new Date(now).toISOString(),
    data: { routing },
  };
}

export async function publishEvents(env: Pick<Env, "DB" | "WEBHOOKS" | "WEBHOOKS_SLOW">, envelopes: EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await drizzle(env.DB)
    .insert(events)
    .values(
      envelopes.map((e) => ({
        id: e.id,
        accountId: e.account_id,
        conversationId: e.conversation_id ?? "",
        type: e.type,
        sequence: e.sequence,
        occurredAt: Date.parse(e.occurred_at),
        payload: JSON.stringify(e),
      })),
    )
    .onConflictDoNothing();
  await enqueueWebhooks(env, envelopes);
}
