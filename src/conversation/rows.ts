import type { Channel } from "../contract/common";
import type { Conversation, ConversationStatus } from "../contract/conversation";
import type { Message, MessagePreview } from "../contract/message";
import type { Participant, ParticipantKind } from "../contract/participant";
import { formatDuration } from "../lib/duration";

/** Rows of the DO's SQLite tables, and how each becomes the public resource. */

export type ConversationRow = {
  id: string;
  account_id: string;
  unique_name: string | null;
  friendly_name: string | null;
  subject: string | null;
  channel: Channel | null;
  status: ConversationStatus;
  tags: string;
  attributes: string;
  next_index: number;
  last_activity_at: number;
  /** Lifecycle timers in ms since the last activity; null when off. */
  inactive_after_ms: number | null;
  closed_after_ms: number | null;
  /** Retention periods of its own in ms (null: the account's), and its legal hold (0 or 1). */
  retention_messages_ms: number | null;
  retention_conversation_ms: number | null;
  legal_hold: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
};

export type ParticipantRow = {
  id: string;
  kind: ParticipantKind;
  channel: Channel;
  address: string | null;
  identity: string | null;
  attributes: string;
  last_read_index: number | null;
  last_seen_at: number | null;
  created_at: number;
  updated_at: number;
};

export type MessageRow = {
  idx: number;
  id: string;
  author: string;
  author_kind: Message["author_kind"];
  participant_id: string | null;
  body: string;
  media: string;
  channel: Channel;
  attributes: string;
  delivery: string | null;
  created_at: number;
  updated_at: number;
  /** Set when the message was deleted: its row stays as a tombstone (content erased) so indexes stay gapless. */
  deleted_at: number | null;
};

const iso = (ms: number) => new Date(ms).toISOString();
const PREVIEW_CHARS = 160;

export function renderMessage(conversationId: string, m: MessageRow): Message {
  return {
    id: m.id,
    conversation_id: conversationId,
    index: m.idx,
    author: m.author,
    author_kind: m.author_kind,
    participant_id: m.participant_id,
    body: m.body,
    media: JSON.parse(m.media) as Message["media"],
    channel: m.channel,
    attributes: JSON.parse(m.attributes) as Record<string, unknown>,
    created_at: iso(m.created_at),
    updated_at: iso(m.updated_at),
    delivery: m.delivery === null ? null : (JSON.parse(m.delivery) as Message["delivery"]),
    deleted_at: m.deleted_at === null ? null : iso(m.deleted_at),
  };
}

function renderPreview(m: MessageRow): MessagePreview {
  return { id: m.id, index: m.idx, author: m.author, body: m.body.slice(0, PREVIEW_CHARS), created_at: iso(m.created_at) };
}

export function unreadCount(nextIndex: number, lastReadIndex: number | null): number {
  return Math.max(0, nextIndex - 1 - (lastReadIndex ?? -1));
}

export function renderParticipant(conversationId: string, nextIndex: number, p: ParticipantRow, online: boolean): Participant {
  return {
    id: p.id,
    conversation_id: conversationId,
    kind: p.kind,
    channel: p.channel,
    address: p.address,
    identity: p.identity,
    attributes: JSON.parse(p.attributes) as Record<string, unknown>,
    last_read_index: p.last_read_index,
    unread_count: unreadCount(nextIndex, p.last_read_index),
    online,
    last_seen_at: online ? null : p.last_seen_at === null ? null : iso(p.last_seen_at),
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  };
}

export function renderConversation(
  c: ConversationRow,
  participantCount: number,
  last: MessageRow | undefined,
): Conversation {
  return {
    id: c.id,
    unique_name: c.unique_name,
    friendly_name: c.friendly_name,
    subject: c.subject,
    channel: c.channel,
    status: c.status,
    tags: JSON.parse(c.tags) as string[],
    attributes: JSON.parse(c.attributes) as Record<string, unknown>,
    message_count: c.next_index,
    participant_count: participantCount,
    last_message: last ? renderPreview(last) : null,
    last_activity_at: iso(c.last_activity_at),
    timers: {
      inactive_after: c.inactive_after_ms === null ? null : formatDuration(c.inactive_after_ms),
      closed_after: c.closed_after_ms === null ? null : formatDuration(c.closed_after_ms),
    },
    retention: {
      messages: c.retention_messages_ms === null ? null : formatDuration(c.retention_messages_ms),
      conversations: c.retention_conversation_ms === null ? null : formatDuration(c.retention_conversation_ms),
    },
    legal_hold: c.legal_hold === 1,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
  };
}
