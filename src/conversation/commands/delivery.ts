import { isExternal, type Channel, type ExternalChannel } from "../../channels/registry";
import type { Delivery, Message } from "../../contract/message";
import { plan, withAttempt, withReceipt, type AttemptReport, type ReceiptReport } from "../../delivery/state";
import { LIMITS } from "../../lib/limits";
import { err, ok, type Outcome } from "../../lib/problem";
import type { ConversationCore, Tx } from "../core";
import { renderMessage, type ConversationRow, type MessageRow, type ParticipantRow } from "../rows";

/**
 * Outbound delivery, the conversation's side: who a new message is owed to, and the three calls the
 * delivery consumer makes (src/delivery/consumer.ts): `claim` before it calls the provider, `report`
 * with the result, and `receipt` for the provider's status callbacks. The message's `delivery` is
 * written only here, so every change is in order, in the outbox (D1 history) and on the sockets.
 */

/** Numbers reach a person on any of these; a PSID or an email address only on its own channel. */
const PHONE_CHANNELS: ReadonlySet<Channel> = new Set(["sms", "mms", "whatsapp"]);

/**
 * The channel a recipient is sent on: the first of the message's `channels` that reaches their
 * address, else the one they last wrote on if it reaches them (a WhatsApp customer who follows up
 * by SMS is answered by SMS), else the channel they were added on. (Falling back along the list
 * is the delivery ledger's work, not this.)
 */
function recipientChannel(requested: readonly Channel[] | undefined, p: ParticipantRow & { channel: ExternalChannel }, lastWroteOn: Channel | undefined): ExternalChannel {
  const reaches = (c: Channel) => c === p.channel || (PHONE_CHANNELS.has(c) && PHONE_CHANNELS.has(p.channel));
  const chosen = requested?.find((c) => isExternal(c) && reaches(c)) ?? (lastWroteOn !== undefined && reaches(lastWroteOn) ? lastWroteOn : undefined);
  return chosen !== undefined && isExternal(chosen) ? chosen : p.channel;
}

/** What a new message by `authorId` owes: one delivery per channel-bound participant but the author. */
export function planDelivery(core: ConversationCore, authorId: string | null, requested: readonly Channel[] | undefined, now: number): Delivery | null {
  const recipients = core.store
    .externalRecipients(authorId)
    .filter((p): p is ParticipantRow & { channel: ExternalChannel; address: string } => isExternal(p.channel) && p.address !== null)
    .map((p) => ({ participant_id: p.id, channel: recipientChannel(requested, p, core.store.lastMessageBy(p.id)?.channel), address: p.address }));
  return plan(recipients, new Date(now).toISOString());
}

/** Records an outbox row per recipient, in the change that stored the message: the delivery sink queues each. */
export function recordDeliveries(tx: Tx, message: Message): void {
  for (const r of message.delivery?.recipients ?? []) tx.record("delivery", `${message.index}:${r.participant_id}`);
}

/** What the consumer needs to send one message to one recipient. */
export type DeliveryClaim =
  | {
      state: "send";
      /** 1 for the first try. */
      attempt: number;
      message: Pick<Message, "id" | "index" | "body" | "media" | "attributes">;
      recipient: { participant_id: string; channel: ExternalChannel; address: string };
      conversation: { id: string; subject: string | null; friendly_name: string | null };
      /** When the recipient last wrote (epoch ms), for Messenger's and WhatsApp's 24-hour window; null if never. */
      last_inbound_at: number | null;
      /** Email threading from the recipient's last email: its Message-ID, References chain and subject. */
      email_thread: EmailThread | null;
    }
  /** Nothing to send: already sent, failed, or the message or recipient is gone. */
  | { state: "settled" }
  /** Another consumer holds the claim (a redelivered queue message): try again later. */
  | { state: "busy" };

/** Claims one delivery for a send. The claim lasts LIMITS.deliveryClaimMs, or until `report`. */
export function claim(core: ConversationCore, accountId: string, index: number, participantId: string): Outcome<DeliveryClaim> {
  return core.mutate(accountId, undefined, (conv, tx): Outcome<DeliveryClaim> => {
    const row = core.store.messageByIndex(index);
    const delivery = row?.delivery ? (JSON.parse(row.delivery) as Delivery) : null;
    const recipient = delivery?.recipients.find((r) => r.participant_id === participantId);
    if (!row || !delivery || !recipient || recipient.status !== "queued") return ok({ state: "settled" });
    const held = core.store.deliveryClaim(index, participantId);
    if (held !== undefined && held > tx.now - LIMITS.deliveryClaimMs) return ok({ state: "busy" });
    core.store.claimDelivery(index, participantId, tx.now);
    const message = renderMessage(conv.id, row);
    const last = core.store.lastMessageBy(participantId);
    return ok({
      state: "send",
      attempt: delivery.attempts.filter((a) => a.participant_id === participantId).length + 1,
      message: { id: message.id, index, body: message.body, media: message.media, attributes: message.attributes },
      recipient: { participant_id: participantId, channel: recipient.channel, address: recipient.address },
      conversation: { id: conv.id, subject: conv.subject, friendly_name: conv.friendly_name },
      last_inbound_at: last?.created_at ?? null,
      email_thread: emailThread(last),
    });
  });
}

type EmailThread = { in_reply_to: string; references: string[]; subject: string | null };

/** The Message-ID, References and subject of a recipient's last message, when it came by email. */
function emailThread(last: MessageRow | undefined): EmailThread | null {
  if (!last || last.channel !== "email") return null;
  const inbound = (JSON.parse(last.attributes) as { inbound?: { provider_message_id?: unknown; references?: unknown; subject?: unknown } }).inbound;
  if (typeof inbound?.provider_message_id !== "string") return null;
  const references = Array.isArray(inbound.references) ? inbound.references.filter((r): r is string => typeof r === "string") : [];
  const subject = typeof inbound.subject === "string" && inbound.subject.trim() !== "" ? inbound.subject : null;
  return { in_reply_to: inbound.provider_message_id, references: [...references, inbound.provider_message_id], subject };
}

/** Records a send attempt's result and releases the claim. */
export function report(core: ConversationCore, accountId: string, index: number, participantId: string, attempt: AttemptReport): Outcome<Message | null> {
  return updateDelivery(core, accountId, index, participantId, (d) => withAttempt(d, participantId, attempt), true);
}

/** Applies a provider's receipt; a repeat or one for a recipient already further along changes nothing. */
export function receipt(core: ConversationCore, accountId: string, index: number, participantId: string, r: ReceiptReport): Outcome<Message | null> {
  return updateDelivery(core, accountId, index, participantId, (d) => withReceipt(d, participantId, r), false);
}

function updateDelivery(
  core: ConversationCore,
  accountId: string,
  index: number,
  participantId: string,
  next: (d: Delivery) => Delivery | null,
  release: boolean,
): Outcome<Message | null> {
  return core.mutate(accountId, undefined, (conv: ConversationRow, tx): Outcome<Message | null> => {
    const row = core.store.messageByIndex(index);
    if (!row) return err(404, "message not found");
    if (release) core.store.releaseDelivery(index, participantId);
    const changed = row.delivery === null ? null : next(JSON.parse(row.delivery) as Delivery);
    if (!changed) return ok(null);
    core.store.setDelivery(index, JSON.stringify(changed), tx.now);
    tx.record("message", String(index));
    tx.event("message.updated", String(index));
    tx.event("delivery.updated", `${index}:${participantId}`);
    const message = renderMessage(conv.id, { ...row, delivery: JSON.stringify(changed), updated_at: tx.now });
    tx.emit({ type: "message.updated", message });
    return ok(message);
  });
}
