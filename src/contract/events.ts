import { z } from "@hono/zod-openapi";
import { Timestamp } from "./common";

/**
 * The event catalog: every change a conversation's outbox carries, as one envelope shape. Webhooks
 * (signed with Standard Webhooks), the account stream and the SDK's types are to share it.
 *
 * Nothing emits these yet: no webhook is sent and no stream carries this envelope today. This is
 * the catalog the later capabilities (webhooks, delivery, drafts, routing) emit, fixed here first
 * so they agree on names and envelope. Each capability fixes the `data` of the events it emits.
 */
export const EventType = z
  .enum([
    "conversation.created",
    "conversation.updated",
    "conversation.closed",
    "conversation.deleted",
    "participant.added",
    "participant.removed",
    "message.added",
    "message.updated",
    "message.deleted",
    "delivery.updated",
    "delivery.fallback",
    "draft.created",
    "draft.updated",
    "handoff.requested",
    "handoff.accepted",
  ])
  .openapi("EventType");
export type EventType = z.infer<typeof EventType>;

/** Named for the envelope, not `Event`, which would shadow the runtime's global Event class. */
export const EventEnvelope = z
  .object({
    id: z.string(),
    type: EventType,
    account_id: z.string(),
    conversation_id: z.string(),
    sequence: z
      .number()
      .int()
      .openapi({ description: "Increases with each event of the conversation: consumers order and deduplicate by it." }),
    occurred_at: Timestamp,
    data: z.record(z.string(), z.unknown()).openapi({ description: "What changed; its shape depends on `type`." }),
  })
  .openapi("Event");
export type EventEnvelope = z.infer<typeof EventEnvelope>;
