import { conversation } from "../api/http";
import type { InboundReceipt, InboundWatermark } from "../channels/inbound";
import { holdEarlyReceipt, outboundById, outboundToAddress, takeEarlyReceipts, type OutboundRow } from "../db/queries/outbound";
import type { Env } from "../env";
import type { ReceiptReport } from "./state";

/** Messenger watermarks cover what was sent to the person this far back at most, this many messages. */
const WATERMARK_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
const WATERMARK_MESSAGES = 50;
/** Our send time is taken after Meta's own, when its answer arrives: a watermark at Meta's time must still cover it. */
const WATERMARK_SLACK_MS = 5_000;

/**
 * Receipts from a provider's webhook, for the account whose channel it came on: each finds its
 * send by provider id (outbound_messages) and goes to that conversation, which applies it only if
 * it moves the recipient forward. A receipt that beats its send's record is held (early_receipts)
 * and applied by the consumer once it records the send.
 */
export async function applyReceipts(env: Env, accountId: string, events: readonly (InboundReceipt | InboundWatermark)[]): Promise<void> {
  for (const event of events) {
    if (event.kind === "watermark") await applyWatermark(env, accountId, event);
    else await applyReceipt(env, accountId, event);
  }
}

async function applyReceipt(env: Env, accountId: string, r: InboundReceipt): Promise<void> {
  let sent = await outboundById(env.DB, accountId, r.provider, r.provider_message_id);
  if (!sent) {
    // Held first, looked up again after: the consumer records the send first and reads these
    // after, so whichever of the two comes second sees the other.
    const failure = r.status === "failed" || r.status === "undelivered" ? r.error : undefined;
    await holdEarlyReceipt(env.DB, { provider: r.provider, providerMessageId: r.provider_message_id, status: r.status, accountId, errorCode: failure?.code ?? null, reason: failure?.message ?? null, at: r.at });
    sent = await outboundById(env.DB, accountId, r.provider, r.provider_message_id);
    if (!sent) return;
    await applyEarlyReceipts(env, r.provider, r.provider_message_id);
    return;
  }
  const failure = r.status === "failed" || r.status === "undelivered" ? r.error : undefined;
  await tell(env, sent, { status: r.status, provider_message_id: r.provider_message_id, error_code: failure?.code ?? null, reason: failure?.message ?? null, at: new Date(r.at).toISOString() });
}

/** Applies, and forgets, the receipts held for a send that is now recorded. */
export async function applyEarlyReceipts(env: Env, provider: string, providerMessageId: string): Promise<void> {
  const held = await takeEarlyReceipts(env.DB, provider, providerMessageId);
  for (const h of held) {
    const sent = await outboundById(env.DB, h.accountId, provider, providerMessageId);
    if (!sent) continue;
    await tell(env, sent, { status: h.status as ReceiptReport["status"], provider_message_id: providerMessageId, error_code: h.errorCode, reason: h.reason, at: new Date(h.at).toISOString() });
  }
}

/** "Everything sent to this person before the watermark": each such send, latest first. */
async function applyWatermark(env: Env, accountId: string, w: InboundWatermark): Promise<void> {
  const sends = await outboundToAddress(env.DB, accountId, w.channel, w.from, w.watermark - WATERMARK_LOOKBACK_MS, w.watermark + WATERMARK_SLACK_MS, WATERMARK_MESSAGES);
  for (const sent of sends) {
    await tell(env, sent, { status: w.status, provider_message_id: sent.providerMessageId, error_code: null, reason: null, at: new Date(w.at).toISOString() });
  }
}

async function tell(env: Env, sent: OutboundRow, receipt: ReceiptReport): Promise<void> {
  const outcome = await conversation(env, sent.conversationId).applyReceipt(sent.accountId, sent.messageIndex, sent.participantId, receipt);
  // 404: the conversation or message is gone; nothing is left to update.
  if (!outcome.ok && outcome.problem.status !== 404) throw new Error(`receipt for ${receipt.provider_message_id}: ${outcome.problem.status} ${outcome.problem.detail}`);
}
