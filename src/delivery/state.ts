/**
 * The delivery state of one message (DESIGN §3), as pure functions over the `delivery` object the
 * message carries: who it is owed to, how a send result or a receipt moves a recipient, and the
 * status across recipients. The conversation's Durable Object is the only writer; these say what
 * it writes.
 */
import type { ExternalChannel } from "../channels/registry";
import type { Delivery, DeliveryAttempt, DeliveryRecipient, DeliveryStatus } from "../contract/message";
import { LIMITS } from "../lib/limits";

/**
 * How far along a status is. Receipts arrive out of order and more than once (Twilio posts `sent`
 * after `delivered` now and then; Meta retries), so a recipient only ever moves forward.
 * `failed` and `undelivered` are final for the attempt that reported them.
 */
const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4, undelivered: 4 };

export const isFinal = (status: DeliveryStatus) => status === "failed" || status === "undelivered";

/** What is owed for a new message: one recipient each, queued. Null when nobody is reached outside the app. */
export function plan(recipients: { participant_id: string; channel: ExternalChannel; address: string }[], now: string): Delivery | null {
  if (recipients.length === 0) return null;
  const list = recipients.map((r): DeliveryRecipient => ({ ...r, status: "queued", provider_message_id: null, error_code: null, reason: null, segments: null, updated_at: now }));
  return { status: "queued", channel: list[0]!.channel, recipients: list, attempts: [] };
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

/** A send attempt's result, as the delivery consumer reports it. */
export type AttemptReport = Omit<DeliveryAttempt, "participant_id" | "channel"> & { segments?: number };

/** A provider's receipt for one recipient. */
export type ReceiptReport = { status: Exclude<DeliveryStatus, "queued">; provider_message_id: string; error_code: string | null; reason: string | null; at: string };

/** The delivery after an attempt; null if it changes nothing (the recipient is unknown). */
export function withAttempt(delivery: Delivery, participantId: string, attempt: AttemptReport): Delivery | null {
  const recipient = delivery.recipients.find((r) => r.participant_id === participantId);
  if (!recipient) return null;
  const { segments, ...entry } = attempt;
  let next: DeliveryRecipient = recipient;
  if (attempt.outcome === "accepted") {
    // A receipt can beat the send result here (the provider calls back before the consumer reports): keep the further status.
    next = { ...recipient, status: RANK[recipient.status] >= RANK.sent ? recipient.status : "sent", provider_message_id: attempt.provider_message_id, error_code: null, reason: null, segments: segments ?? null, updated_at: attempt.completed_at };
  } else if (attempt.outcome === "failed") {
    next = { ...recipient, status: "failed", error_code: attempt.error_code, reason: attempt.reason, updated_at: attempt.completed_at };
  }
  const attempts = [...delivery.attempts, { participant_id: participantId, channel: recipient.channel, ...entry }].slice(-LIMITS.deliveryAttemptsKept);
  return rebuild(delivery, participantId, next, attempts);
}

/**
 * The delivery after a receipt; null when it changes nothing: a recipient already further along,
 * a repeat, or a receipt for an earlier attempt's provider id.
 */
export function withReceipt(delivery: Delivery, participantId: string, receipt: ReceiptReport): Delivery | null {
  const recipient = delivery.recipients.find((r) => r.participant_id === participantId);
  if (!recipient) return null;
  if (recipient.provider_message_id !== null && recipient.provider_message_id !== receipt.provider_message_id) return null;
  if (isFinal(recipient.status) || RANK[receipt.status] <= RANK[recipient.status]) return null;
  const failed = isFinal(receipt.status);
  const next: DeliveryRecipient = {
    ...recipient,
    status: receipt.status,
    provider_message_id: receipt.provider_message_id,
    error_code: failed ? receipt.error_code : null,
    reason: failed ? receipt.reason : null,
    updated_at: receipt.at,
  };
  return rebuild(delivery, participantId, next, delivery.attempts);
}

function rebuild(delivery: Delivery, participantId: string, recipient: DeliveryRecipient, attempts: DeliveryAttempt[]): Delivery {
  const recipients = delivery.recipients.map((r) => (r.participant_id === participantId ? recipient : r));
  return { ...delivery, status: overall(recipients), recipients, attempts };
}
