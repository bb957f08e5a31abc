import { isExternal, type Channel, type ExternalChannel } from "../../channels/registry";
import type { Delivery, Message } from "../../contract/message";
import { plan, withAttempt, withReceipt, withTimeout, type AddressOn, type AttemptReport, type Moved, type ReceiptReport } from "../../delivery/state";
import { LIMITS } from "../../lib/limits";
import { err, ok, type Outcome } from "../../lib/problem";
import type { ConversationCore, Tx } from "../core";
import { renderMessage, type ConversationRow, type MessageRow, type ParticipantRow } from "../rows";

/**
 * Outbound delivery, the conversation's side: who a new message is owed to and on which channels
 * in turn, and the calls the delivery consumer makes (src/delivery/consumer.ts): `claim` before it
 * calls the provider, `report` with the result, `receipt` for the provider's status callbacks and
 * `timeout` when a channel's wait for a delivered receipt is over. The message's `delivery` is
 * written only here, so every change is in order, in the outbox (D1 history, events) and on the
 * sockets; a recipient moving on to its next channel is a new `delivery` row, which the delivery
 * sink turns into the next send.
 */

/** Numbers reach a person on any of these; a PSID or an email address only on its own channel. */
const PHONE_CHANNELS: ReadonlySet<Channel> = new Set(["sms", "mms", "whatsapp"]);

/** Fallback defaults the Worker passes with a send: the account's order (`/v1/settings`). */
export type SendDefaults = { fallback_order?: readonly ExternalChannel[] | null };

type Recipient = ParticipantRow & { channel: ExternalChannel; address: string };

/** Where a participant is reached on a channel, as far as this conversation knows: their own address where it fits. */
const addressOn =
  (p: Pick<ParticipantRow, "channel" | "address">): AddressOn =>
  (channel) =>
    p.address !== null && (channel === p.channel || (PHONE_CHANNELS.has(channel) && PHONE_CHANNELS.has(p.channel))) ? p.address : null;

/**
 * A recipient's fallback order: the message's `channels`, else the account's `fallback_order`
 * (with the recipient's own channel at the end if it does not name it), else the channel the
 * recipient last wrote on if it reaches them (a WhatsApp customer who follows up by SMS is
 * answered by SMS), else the one they were added on; SMS last for a critical message.
 */
function orderFor(p: Recipient, requested: readonly Channel[] | undefined, defaults: SendDefaults, critical: boolean, lastWroteOn: Channel | undefined): ExternalChannel[] {
  const reaches = (c: Channel) => addressOn(p)(c as ExternalChannel) !== null;
  const own: ExternalChannel = lastWroteOn !== undefined && isExternal(lastWroteOn) && reaches(lastWroteOn) ? lastWroteOn : p.channel;
  const asked = requested?.filter(isExternal) ?? [];
  let order: ExternalChannel[] = asked.length > 0 ? [...asked] : defaults.fallback_order?.length ? [...defaults.fallback_order, own] : [own];
  if (critical) order.push("sms");
  order = order.filter((c, i) => order.indexOf(c) === i);
  return order;
}

/** What a new message by `authorId` owes: one delivery per channel-bound participant but the author. */
export function planDelivery(
  core: ConversationCore,
  authorId: string | null,
  requested: readonly Channel[] | undefined,
  now: number,
  defaults: SendDefaults = {},
  critical = false,
): Delivery | null {
  const recipients = core.store
    .externalRecipients(authorId)
    .filter((p): p is Recipient => isExternal(p.channel) && p.address !== null)
    .map((p) => ({ participant_id: p.id, channels: orderFor(p, requested, defaults, critical, core.store.lastMessageBy(p.id)?.channel), addressOn: addressOn(p) }));
  return plan(recipients, new Date(now).toISOString());
}

/** Records an outbox row per recipient, in the change that stored the message: the delivery sink queues each. */
export function recordDeliveries(tx: Tx, message: Message): void {
  for (const r of message.delivery?.recipients ?? []) tx.record("delivery", `${message.index}:${r.participant_id}:0`);
}

/** What the consumer needs to send one message to one recipient on one step of its order. */
export type DeliveryClaim =
  | {
      state: "send";
      /** Tries of this step so far, plus one. */
      attempt: number;
      message: Pick<Message, "id" | "index" | "body" | "media" | "attributes">;
      /** `address` null: look the participant's contact up for one on `channel`. */
      recipient: { participant_id: string; step: number; channel: ExternalChannel; address: string | null; home: { channel: ExternalChannel; address: string } };
      conversation: { id: string; subject: string | null; friendly_name: string | null };
      /** When the recipient last wrote (epoch ms), for Messenger's and WhatsApp's 24-hour window; null if never. */
      last_inbound_at: number | null;
      /** Email threading from the recipient's last email: its Message-ID, References chain and subject. */
      email_thread: EmailThread | null;
    }
  /** Nothing to send: already sent, failed, moved on, or the message or recipient is gone. */
  | { state: "settled" }
  /** Another consumer holds the claim (a redelivered queue message): try again later. */
  | { state: "busy" }
  /**
   * A consumer took this step and never reported (it stopped between the provider call and its
   * record): the provider may have it, so it is not sent again; its receipt is waited for.
   */
  | { state: "in_doubt"; channel: ExternalChannel }
  /** The recipient is online in chat: ask again in `seconds`, by when they may have read it there. */
  | { state: "defer"; seconds: number };

/**
 * Claims one step of a delivery for a send. The claim lasts LIMITS.deliveryClaimMs, or until
 * `report`. A recipient who has read the message in chat is not sent it at all; one who is online
 * in chat is given `graceMs` from the message to read it there first.
 */
export function claim(core: ConversationCore, accountId: string, index: number, participantId: string, step: number, graceMs = 0): Outcome<DeliveryClaim> {
  return core.mutate(accountId, undefined, (conv, tx): Outcome<DeliveryClaim> => {
    const row = core.store.messageByIndex(index);
    const delivery = row?.delivery ? (JSON.parse(row.delivery) as Delivery) : null;
    const recipient = delivery?.recipients.find((r) => r.participant_id === participantId);
    const participant = core.store.participantById(participantId);
    if (!row || !delivery || !recipient || recipient.step !== step || recipient.status !== "queued") return ok({ state: "settled" });
    if (participant && participant.last_read_index !== null && participant.last_read_index >= index) {
      const at = new Date(tx.now).toISOString();
      const read = withAttempt(delivery, participantId, { outcome: "read_in_chat", step, channel_id: null, provider: null, provider_message_id: null, error_code: null, reason: "read in chat before it was sent", started_at: at, completed_at: at }, addressOn(participant));
      if (read) writeDelivery(core, tx, conv, row, participantId, read);
      return ok({ state: "settled" });
    }
    const age = tx.now - row.created_at;
    if (graceMs > 0 && age < graceMs && core.room.isOnline(participantId)) return ok({ state: "defer", seconds: Math.ceil((graceMs - age) / 1000) });
    const held = core.store.deliveryClaim(index, participantId);
    if (held !== undefined && held > tx.now - LIMITS.deliveryClaimMs) return ok({ state: "busy" });
    if (held !== undefined) return ok({ state: "in_doubt", channel: recipient.channel });
    // A participant removed since keeps what was owed them; their home address is the one they had.
    const home = participant && isExternal(participant.channel) && participant.address !== null ? { channel: participant.channel, address: participant.address } : { channel: recipient.channels[0]!, address: recipient.address ?? "" };
    core.store.claimDelivery(index, participantId, tx.now);
    const message = renderMessage(conv.id, row);
    const last = core.store.lastMessageBy(participantId);
    return ok({
      state: "send",
      attempt: delivery.attempts.filter((a) => a.participant_id === participantId && a.step === step).length + 1,
      message: { id: message.id, index, body: message.body, media: message.media, attributes: message.attributes },
      recipient: { participant_id: participantId, step, channel: recipient.channel, address: recipient.address, home },
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

/** Records a step's result and releases the claim. */
export function report(core: ConversationCore, accountId: string, index: number, participantId: string, attempt: AttemptReport): Outcome<Message | null> {
  return updateDelivery(core, accountId, index, participantId, (d, at) => withAttempt(d, participantId, attempt, at), true);
}

/** Applies a provider's receipt; a repeat or one for a recipient already further along changes nothing. */
export function receipt(core: ConversationCore, accountId: string, index: number, participantId: string, r: ReceiptReport): Outcome<Message | null> {
  return updateDelivery(core, accountId, index, participantId, (d, at) => withReceipt(d, participantId, r, at), false);
}

/** A channel's wait for a delivered receipt (or for an attempt of unknown outcome) is over. */
export function timeout(core: ConversationCore, accountId: string, index: number, participantId: string, step: number): Outcome<Message | null> {
  return updateDelivery(core, accountId, index, participantId, (d, at, now) => withTimeout(d, participantId, step, new Date(now).toISOString(), at), true);
}

function updateDelivery(
  core: ConversationCore,
  accountId: string,
  index: number,
  participantId: string,
  next: (d: Delivery, at: AddressOn, now: number) => Moved | null,
  release: boolean,
): Outcome<Message | null> {
  return core.mutate(accountId, undefined, (conv: ConversationRow, tx): Outcome<Message | null> => {
    const row = core.store.messageByIndex(index);
    if (!row) return err(404, "message not found");
    const participant = core.store.participantById(participantId);
    const changed = row.delivery === null ? null : next(JSON.parse(row.delivery) as Delivery, participant ? addressOn(participant) : () => null, tx.now);
    // A report ends its try; moving on ends the step (the next step's send claims afresh).
    if (release || changed?.advanced) core.store.releaseDelivery(index, participantId);
    if (!changed) return ok(null);
    return ok(writeDelivery(core, tx, conv, row, participantId, changed));
  });
}

/** Writes a changed delivery with all that goes with it: the outbox, the events, the frame, and the next send when the recipient moved on. */
function writeDelivery(core: ConversationCore, tx: Tx, conv: ConversationRow, row: MessageRow, participantId: string, changed: Moved): Message {
  const index = row.idx;
  core.store.setDelivery(index, JSON.stringify(changed.delivery), tx.now);
  tx.record("message", String(index));
  tx.event("message.updated", String(index));
  tx.event("delivery.updated", `${index}:${participantId}`);
  if (changed.advanced) {
    // The next channel is a new send: the delivery sink queues it.
    tx.record("delivery", `${index}:${participantId}:${changed.advanced.step}`);
    tx.event("delivery.fallback", `${index}:${participantId}`);
  }
  const message = renderMessage(conv.id, { ...row, delivery: JSON.stringify(changed.delivery), updated_at: tx.now });
  tx.emit({ type: "message.updated", message });
  return message;
}
