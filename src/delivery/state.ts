/**
 * The delivery state of one message (DESIGN §3), as pure functions over the `delivery` object the
 * message carries: who it is owed to and on which channels in turn, how a send result, a receipt
 * or a timeout moves a recipient, and the status across recipients. The conversation's Durable
 * Object is the only writer; these say what it writes.
 *
 * Each recipient has a fallback order (`channels`) and is on one step of it. A step ends badly when
 * the provider refuses for good (or the last retry fails), when it is skipped (no address there,
 * WhatsApp's window closed with no template, opted out), when a failed or undelivered receipt
 * comes, or when no delivered receipt comes within the channel's timeout. The recipient then moves
 * on to the next channel, queued again; with no channel left, it ends failed (or, timed out after
 * being sent, stays sent: the provider may still deliver it).
 */
import type { ExternalChannel } from "../channels/registry";
import type { Delivery, DeliveryAttempt, DeliveryRecipient, DeliveryStatus } from "../contract/message";
import { LIMITS } from "../lib/limits";

/**
 * How far along a status is. Receipts arrive out of order and more than once (Twilio posts `sent`
 * after `delivered` now and then; Meta retries), so a recipient only ever moves forward on a step.
 */
const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4, undelivered: 4 };

const isFinal = (status: DeliveryStatus) => status === "failed" || status === "undelivered";

/** Where a recipient is reached on a channel, as far as the conversation knows (null: the consumer looks it up). */
export type AddressOn = (channel: ExternalChannel) => string | null;

/** What is owed for a new message: one recipient each, queued on the first channel of its order. Null when nobody is reached outside the app. */
export function plan(recipients: { participant_id: string; channels: ExternalChannel[]; addressOn: AddressOn }[], now: string): Delivery | null {
  if (recipients.length === 0) return null;
  const list = recipients.map((r): DeliveryRecipient => ({ ...fresh(r.channels, 0, r.addressOn, now), participant_id: r.participant_id }));
  return { status: "queued", channel: list[0]!.channel, recipients: list, attempts: [] };
}

function fresh(channels: ExternalChannel[], step: number, addressOn: AddressOn, now: string): Omit<DeliveryRecipient, "participant_id"> {
  const channel = channels[step]!;
  return { channels, step, channel, address: addressOn(channel), status: "queued", provider_message_id: null, error_code: null, reason: null, segments: null, updated_at: now };
}

/**
 * Across recipients: the one least far along among those not failed; failed (or undelivered) only
 * when all of them are. A failure of one recipient in a group is on that recipient.
 */
export function overall(recipients: readonly DeliveryRecipient[]): DeliveryStatus {
  const live = recipients.filter((r) => !isFinal(r.status));
  if (live.length === 0) return recipients.some((r) => r.status === "failed") ? "failed" : "undelivered";
  return live.reduce((least, r) => (RANK[r.status] < RANK[least] ? r.status : least), live[0]!.status);
}

/** A step's result, as the delivery consumer reports it (the address it used, when it looked one up). */
export type AttemptReport = Omit<DeliveryAttempt, "participant_id" | "channel" | "step" | "moved_on"> & { step: number; segments?: number; address?: string };

/** A provider's receipt for one recipient. */
export type ReceiptReport = { status: Exclude<DeliveryStatus, "queued">; provider_message_id: string; error_code: string | null; reason: string | null; at: string };

/** What a change did: the new delivery, and whether a recipient moved on to another channel (a new send is owed). */
export type Moved = { delivery: Delivery; advanced: { participant_id: string; step: number; from: ExternalChannel; to: ExternalChannel; reason: string } | null };

/**
 * The delivery after a step's result; null if it changes nothing (unknown recipient, or a report
 * for a step the recipient has left).
 */
export function withAttempt(delivery: Delivery, participantId: string, attempt: AttemptReport, addressOn: AddressOn): Moved | null {
  const recipient = delivery.recipients.find((r) => r.participant_id === participantId);
  if (!recipient || recipient.step !== attempt.step) return null;
  const { segments, address, step: _step, ...entry } = attempt;
  const logged = (moved: boolean): DeliveryAttempt => ({ participant_id: participantId, channel: recipient.channel, step: recipient.step, moved_on: moved, ...entry });
  const at = attempt.completed_at;
  switch (attempt.outcome) {
    case "accepted": {
      // A receipt can beat the send result here (the provider calls back before the consumer reports): keep the further status.
      const next = { ...recipient, address: address ?? recipient.address, status: RANK[recipient.status] >= RANK.sent ? recipient.status : ("sent" as const), provider_message_id: attempt.provider_message_id, error_code: null, reason: null, segments: segments ?? null, updated_at: at };
      return { delivery: rebuild(delivery, next, [logged(false)]), advanced: null };
    }
    case "retrying":
      return { delivery: rebuild(delivery, recipient, [logged(false)]), advanced: null };
    case "read_in_chat":
      return { delivery: rebuild(delivery, { ...recipient, status: "read", updated_at: at }, [logged(false)]), advanced: null };
    case "failed":
    case "skipped":
      return endStep(delivery, recipient, logged, attempt.error_code ?? attempt.outcome, { status: "failed", error_code: attempt.error_code, reason: attempt.reason }, at, addressOn);
    case "timed_out":
    case "unknown":
      // Sent as far as anyone knows: with nowhere left to go it stays as it is.
      return endStep(delivery, recipient, logged, attempt.outcome, null, at, addressOn);
  }
}

/**
 * The delivery after a receipt; null when it changes nothing: a recipient already further along,
 * a repeat, or a receipt for an earlier step's provider id. A failed or undelivered receipt moves
 * the recipient on to its next channel.
 */
export function withReceipt(delivery: Delivery, participantId: string, receipt: ReceiptReport, addressOn: AddressOn): Moved | null {
  const recipient = delivery.recipients.find((r) => r.participant_id === participantId);
  if (!recipient) return null;
  if (recipient.provider_message_id !== null && recipient.provider_message_id !== receipt.provider_message_id) return null;
  if (isFinal(recipient.status) || RANK[receipt.status] <= RANK[recipient.status]) return null;
  if (isFinal(receipt.status)) {
    const logged = (moved: boolean): DeliveryAttempt => ({
      participant_id: participantId,
      channel: recipient.channel,
      step: recipient.step,
      channel_id: null,
      provider: null,
      provider_message_id: receipt.provider_message_id,
      outcome: "failed",
      moved_on: moved,
      error_code: receipt.error_code,
      reason: receipt.reason ?? `the provider reported it ${receipt.status}`,
      started_at: receipt.at,
      completed_at: receipt.at,
    });
    return endStep(delivery, { ...recipient, provider_message_id: receipt.provider_message_id }, logged, receipt.error_code ?? receipt.status, { status: receipt.status, error_code: receipt.error_code, reason: receipt.reason }, receipt.at, addressOn);
  }
  const next: DeliveryRecipient = { ...recipient, status: receipt.status, provider_message_id: receipt.provider_message_id, error_code: null, reason: null, updated_at: receipt.at };
  return { delivery: rebuild(delivery, next, []), advanced: null };
}

/**
 * A channel's timeout passed for `step`: a recipient still on it without a delivered receipt moves
 * on (timed out, or for an attempt of unknown outcome, waited out). Null when it got there.
 */
export function withTimeout(delivery: Delivery, participantId: string, step: number, at: string, addressOn: AddressOn): Moved | null {
  const recipient = delivery.recipients.find((r) => r.participant_id === participantId);
  if (!recipient || recipient.step !== step || isFinal(recipient.status) || RANK[recipient.status] >= RANK.delivered) return null;
  const logged = (moved: boolean): DeliveryAttempt => ({
    participant_id: participantId,
    channel: recipient.channel,
    step,
    channel_id: null,
    provider: null,
    provider_message_id: recipient.provider_message_id,
    outcome: "timed_out",
    moved_on: moved,
    error_code: "receipt_timeout",
    reason: recipient.status === "queued" ? "no outcome of the send was recorded within the channel's timeout" : "no delivered receipt within the channel's timeout",
    started_at: at,
    completed_at: at,
  });
  return endStep(delivery, recipient, logged, "receipt_timeout", null, at, addressOn);
}

/**
 * Ends the recipient's current step: on to the next channel of its order when there is one,
 * else `ending` (null: as it is).
 */
function endStep(
  delivery: Delivery,
  recipient: DeliveryRecipient,
  logged: (moved: boolean) => DeliveryAttempt,
  reason: string,
  ending: Pick<DeliveryRecipient, "status" | "error_code" | "reason"> | null,
  at: string,
  addressOn: AddressOn,
): Moved {
  const step = recipient.step + 1;
  if (step < recipient.channels.length) {
    const next: DeliveryRecipient = { ...fresh(recipient.channels, step, addressOn, at), participant_id: recipient.participant_id };
    return { delivery: rebuild(delivery, next, [logged(true)]), advanced: { participant_id: recipient.participant_id, step, from: recipient.channel, to: next.channel, reason } };
  }
  const next = ending ? { ...recipient, ...ending, updated_at: at } : recipient;
  return { delivery: rebuild(delivery, next, [logged(false)]), advanced: null };
}

function rebuild(delivery: Delivery, recipient: DeliveryRecipient, logged: DeliveryAttempt[]): Delivery {
  const recipients = delivery.recipients.map((r) => (r.participant_id === recipient.participant_id ? recipient : r));
  const attempts = [...delivery.attempts, ...logged].slice(-LIMITS.deliveryAttemptsKept);
  return { ...delivery, status: overall(recipients), channel: recipients[0]!.channel, recipients, attempts };
}
