import { formatBody, withMediaLinks } from "../../channels/outbound";
import { messageChannel, normalizeRef } from "../../channels/registry";
import type { Message, SendMessage } from "../../contract/message";
import { newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { err, ok, type Outcome } from "../../lib/problem";
import { reject, type ConversationCore, type Idempotency, type Tx } from "../core";
import { renderMessage, type ConversationRow, type MessageRow, type ParticipantRow } from "../rows";
import type { EventReason } from "../../contract/events";
import { rearm, setStatus } from "../lifecycle/lifecycle";
import { planDelivery, recordDeliveries, type SendDefaults } from "./delivery";
import { requestDraft } from "./drafts";
import { moveReadHorizon, type Page } from "./participants";

/** Messages: the ordered thread. */

export type MessageQuery = { order: "asc" | "desc"; after?: number; before?: number; limit: number; failedOnly?: boolean };

/** `origin`: the socket a `message.send` came from, which gets an ack instead of the broadcast. */
export function send(core: ConversationCore, accountId: string, input: SendMessage, idem?: Idempotency, origin?: WebSocket, defaults?: SendDefaults): Outcome<Message> {
  return core.mutate(accountId, idem, (conv, tx) => ok(insertMessage(core, tx, conv, input, "body", defaults), 201), origin);
}

export function list(core: ConversationCore, accountId: string, q: MessageQuery): Outcome<Page<Message>> {
  const conv = core.visible(accountId);
  if (!conv) return err(404, "conversation not found");
  const rows = core.store.messagesPage(q.after ?? -1, q.before ?? Number.MAX_SAFE_INTEGER, q.order, q.limit + 1, q.failedOnly === true);
  const data = rows.slice(0, q.limit).map((m) => renderMessage(conv.id, m));
  return ok({ data, next: rows.length > q.limit ? (data.at(-1)?.index ?? null) : null });
}

export function get(core: ConversationCore, accountId: string, messageId: string): Outcome<Message> {
  const conv = core.visible(accountId);
  const m = conv && core.store.messageById(messageId);
  return conv && m ? ok(renderMessage(conv.id, m)) : err(404, "message not found");
}

/**
 * Stores a message at the next index. Runs inside a change, with `conv` read in the same
 * transaction: it reads next_index and writes it back, and nothing awaits in between, so indexes
 * are gapless and unique without locks.
 */
export function insertMessage(core: ConversationCore, tx: Tx, conv: ConversationRow, input: SendMessage, path: string, defaults: SendDefaults = {}): Message {
  if (conv.status === "closed") reject(409, "the conversation is closed; reopen it to send", path);
  // An author may be named by id, identity or address, in any case an address has (Cust@Example.com).
  const author = input.author === undefined ? undefined : (core.store.participantByRef(input.author) ?? core.store.participantByRef(normalizeRef(input.author)));
  if (input.author !== undefined && !author) {
    reject(422, "author must be a participant id, identity or address of this conversation", `${path}.author`);
  }
  const delivery = planDelivery(core, author?.id ?? null, input.channels, tx.now, defaults, input.critical === true);
  const body = input.body ?? "";
  const media = input.media ?? [];
  // Any SMS in a recipient's order, a fallback included, must be able to carry it.
  if (delivery?.recipients.some((r) => r.channels.some((c) => c === "sms" || c === "mms"))) {
    const length = withMediaLinks({ body: formatBody("sms", body), media }).length;
    if (length > LIMITS.smsBodyChars) {
      reject(422, `an SMS carries at most ${LIMITS.smsBodyChars} characters (links to media included); this one is ${length}: shorten it, or send it on another channel`, `${path}.body`);
    }
  }
  return appendMessage(core, tx, conv, author, `${path}.author`, {
    body,
    media,
    channel: messageChannel(input.channels, author, conv.channel, delivery?.channel),
    attributes: input.attributes ?? {},
    delivery,
  });
}

/**
 * Appends a message at the next index, by `author` (none: `system`), and everything that goes with
 * it: the conversation's counters, outbox rows, the broadcast, the author's read horizon. Inside a
 * change, with `conv` read in the same transaction. `authorPath` names the author in errors.
 */
export function appendMessage(
  core: ConversationCore,
  tx: Tx,
  conv: ConversationRow,
  author: ParticipantRow | undefined,
  authorPath: string,
  content: Pick<Message, "body" | "media" | "channel" | "attributes" | "delivery">,
  /** What brought the message, for the conversation events it causes (an inactive one reopening). */
  reason: EventReason = "api",
): Message {
  const row: MessageRow = {
    idx: conv.next_index,
    id: newId("message"),
    author: author ? (author.identity ?? author.address ?? author.id) : "system",
    author_kind: author?.kind ?? "system",
    participant_id: author?.id ?? null,
    body: content.body,
    media: JSON.stringify(content.media),
    channel: content.channel,
    attributes: JSON.stringify(content.attributes),
    delivery: content.delivery ? JSON.stringify(content.delivery) : null,
    created_at: tx.now,
    updated_at: tx.now,
    deleted_at: null,
  };
  core.store.insertMessage(row);
  core.store.updateConversation({ next_index: row.idx + 1, last_activity_at: tx.now }, tx.now);
  // Activity: an inactive conversation is open again, a resolved one too when the customer writes.
  if (conv.status === "inactive" || (conv.status === "resolved" && author?.kind === "customer")) setStatus(core, tx, conv, "open", reason);
  if (conv.inactive_after_ms !== null || conv.closed_after_ms !== null) rearm(core, tx, { ...conv, status: "open", last_activity_at: tx.now });
  tx.record("message", String(row.idx));
  tx.record("conversation", conv.id);
  tx.event("message.added", String(row.idx));
  requestDraft(core, tx, author, row.idx);
  const message = renderMessage(conv.id, row);
  recordDeliveries(tx, message);
  tx.emit({ type: "message.added", message });
  // Authors have read what they wrote.
  if (author) moveReadHorizon(core, tx, { ...conv, next_index: row.idx + 1 }, author.id, row.idx, authorPath, false);
  return message;
}
