/**
 * What a conversation's `d1` outbox sink puts on the PROJECTION queue: a snapshot of everything an
 * outbox pass said changed, read from the Durable Object when the pass ran. Queue messages are not
 * ordered and may arrive twice, so every row carries `version`, the last outbox sequence number the
 * pass covered (monotonic per conversation): D1 keeps a row only when its version is newer, and a
 * deleted conversation leaves a tombstone that older snapshots cannot get past.
 */
import type { Conversation } from "../contract/conversation";
import type { EventReason, EventType } from "../contract/events";
import type { Message } from "../contract/message";

export type ProjectionPayload = {
  v: 1;
  account_id: string;
  conversation_id: string;
  version: number;
  /** The conversation was deleted: D1 forgets it, and keeps a tombstone. */
  deleted: boolean;
  /** What the account stream announces of the conversation itself (messages are announced apart). */
  announce: "created" | "updated" | null;
  /** The conversation's listing row; null in a deletion and in the extra payloads of a large pass. */
  conversation: ListingProjection | null;
  /** Participants added or changed since the last pass (their current state). */
  participants: ParticipantProjection[];
  /** Participants removed since the last pass. */
  removed_participants: string[];
  /** Messages added or changed since the last pass. */
  messages: MessageProjection[];
  /**
   * The events of the pass (src/contract/events.ts), in sequence order. A message or delivery
   * event names its message by index instead of carrying it: the message is in this payload's
   * `messages`, and the consumer takes it from there (so a message is not sent twice). Absent in
   * payloads queued before events existed, and in those the dead-letter path makes again.
   */
  events?: PayloadEvent[];
};

export type PayloadEvent = {
  id: string;
  type: EventType;
  sequence: number;
  /** Epoch ms. */
  occurred_at: number;
  reason?: EventReason;
  /** Conversation and participant events: their `data`. */
  data?: Record<string, unknown>;
  /** Message and delivery events: the message, in this payload's `messages`. */
  message_index?: number;
  /** Delivery events: the recipient. */
  participant_id?: string;
};

export type ListingProjection = {
  status: string;
  channel: string | null;
  tags: string[];
  last_activity_at: number;
  created_at: number;
  message_count: number;
  /** Its own retention periods in ms (null: the account's) and legal hold; absent in payloads queued before retention existed. */
  retention_messages_ms?: number | null;
  retention_conversation_ms?: number | null;
  legal_hold?: boolean;
  /** The Conversation resource as the DO rendered it; D1 stores it as JSON text. */
  resource: Conversation;
};

export type ParticipantProjection = {
  id: string;
  kind: string;
  channel: string;
  address: string | null;
  identity: string | null;
  last_read_index: number | null;
};

export type MessageProjection = {
  id: string;
  index: number;
  created_at: number;
  /** The Message resource as the DO rendered it; D1 stores it as JSON text and reads `body` out of it. */
  resource: Message;
};
