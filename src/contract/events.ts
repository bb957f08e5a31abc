import { z } from "@hono/zod-openapi";
import { Timestamp } from "./common";

/**
 * The event catalog: every change a conversation's outbox carries, as one envelope shape. Webhooks
 * (signed with Standard Webhooks), the account stream and the SDK's types are to share it.
 *
 * Conversations emit the conversation, participant, message and delivery events (their `data`
 * below); drafts and handoffs come with their capabilities. Delivered to webhooks, and kept in D1.
 *
 * `data` by type:
 * - `conversation.created|updated|closed`: `{ conversation }`; `conversation.deleted`: `{ conversation_id }`
 * - `participant.added`: `{ participant }`; `participant.removed`: `{ participant_id }`
 * - `message.added|updated`: `{ message }`; `message.deleted`: `{ message }`, its tombstone (body
 *   empty, `deleted_at` set); reason `api` (DELETE) or `retention` (the retention job)
 * - `delivery.updated`: `{ message_id, message_index, recipient }` (one recipient's new status)
 * - `webhook.disabled`: `{ webhook_id, url, reason }`: an endpoint failing for 3 days was turned
 *   off; an account event (`conversation_id` null, `sequence` 0), sent to the account's other
 *   endpoints that take it
 * - `delivery.fallback`: `{ message_id, message_index, recipient, attempt }` (the recipient, now on
 *   its next channel, and the attempt that moved it on: outcome, code, reason)
 * - `conversation.queued|assigned`: `{ routing }` (src/contract/agent.ts): a conversation that
 *   needs a human waits in the account's queue, or has an agent (its participant added). Routing
 *   decisions, not conversation changes: `sequence` 0 like account events; order them by `occurred_at`
 * - `draft.created|updated`: `{ draft }` (an AI reply draft: its status, confidence, passages and history)
 * - `handoff.requested|accepted`: `{ handoff }` (who answers the conversation, and why it was handed off)
 * Resources are as they are when the event is carried (normally within a second of it).
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
    "webhook.disabled",
    "conversation.queued",
    "conversation.assigned",
  ])
  .openapi("EventType");
export type EventType = z.infer<typeof EventType>;

/** Why a conversation changed: an API call, a timer, a customer's inbound message, or the retention job. */
export const EventReason = z.enum(["api", "timer", "inbound", "retention"]).openapi("EventReason");
export type EventReason = z.infer<typeof EventReason>;

/** Named for the envelope, not `Event`, which would shadow the runtime's global Event class. */
export const EventEnvelope = z
  .object({
    id: z.string(),
    type: EventType,
    account_id: z.string(),
    conversation_id: z.string().nullable().openapi({ description: "Null for account events (`webhook.disabled`)." }),
    sequence: z
      .number()
      .int()
      .openapi({ description: "Increases with each event of the conversation: consumers order and deduplicate by it." }),
    occurred_at: Timestamp,
    reason: EventReason.optional().openapi({ description: "Conversation events: what made the change." }),
    data: z.record(z.string(), z.unknown()).openapi({ description: "What changed; its shape depends on `type`." }),
  })
  .openapi("Event");
export type EventEnvelope = z.infer<typeof EventEnvelope>;
