import { conversation } from "../api/http";
import { channelForDelivery, UnreadableCredentials, type LoadedChannel } from "../channels/connections";
import type { Fetch } from "../channels/outbound";
import { isOptedOut } from "../channels/opt-out";
import { contactAddressOn } from "../db/queries/contact-addresses";
import { recordOutbound } from "../db/queries/outbound";
import { settingsOf } from "../settings/cached";
import { providerMedia } from "../media/messages";
import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { compose, withinWindow } from "./compose";
import type { DeliveryJob } from "./job";
import { applyEarlyReceipts } from "./receipts";
import { sendThrough } from "./send";
import type { AttemptReport } from "./state";

export const isDeliveries = (queue: string) => queue.endsWith("-delivery");
export const isDeadDeliveries = (queue: string) => queue.endsWith("-delivery-dlq");

/**
 * Transient failures back off 2 s, 8 s, 32 s, 2 min, 8½ min, then 15 min (about an hour over the
 * eight sends), or longer when the provider's Retry-After says so: a blip costs seconds, an
 * outage is waited out.
 */
const retryDelaySeconds = (attempts: number, retryAfter = 0) => {
  const base = Math.min(900, 2 * 4 ** Math.max(0, Math.min(attempts, 6) - 1));
  // ±20% jitter, so the sends a provider outage held back do not all come back in the same second.
  return Math.max(retryAfter, Math.round(base * (0.8 + Math.random() * 0.4)));
};

/**
 * The DELIVERY queue's consumer: each job sends one message to one recipient on one step of its
 * fallback order (or, `kind: "timeout"`, checks that the step's delivered receipt came). The
 * conversation is asked first (`claim`): it says what to send, or that there is nothing to
 * (already sent, moved on, deleted), that another consumer holds the send (a redelivered job),
 * that the last consumer died mid-send (`in_doubt`: waited out, not resent), or that the recipient
 * is online in chat (`defer`). The result goes back to the conversation (`report`), which writes it
 * on the message, moves the recipient on when the step ended badly, and streams `message.updated`.
 *
 * Transient failures (5xx, 429, network) are retried with backoff up to LIMITS.deliveryAttempts
 * sends; a permanent refusal, or the last failed retry, ends the step with the provider's code.
 * A step is skipped without a provider call when the recipient has no address there, the account
 * no such channel, the number opted out, or WhatsApp's window is closed with no template. Jobs
 * run concurrently: one slow provider does not hold back another's sends.
 */
export async function consumeDeliveries(batch: MessageBatch<DeliveryJob>, env: Env, fetch: Fetch = globalThis.fetch): Promise<void> {
  await Promise.all(
    batch.messages.map((message) =>
      deliverOne(message, env, fetch).catch((error: unknown) => {
        // D1 or the conversation unreachable mid-send: the claim lapses and the job comes back.
        console.error(`delivery ${message.body.message_id} to ${message.body.participant_id} failed; retrying:`, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }),
    ),
  );
}

async function deliverOne(queued: Message<DeliveryJob>, env: Env, fetch: Fetch): Promise<void> {
  const job = queued.body;
  const step = job.step ?? 0;
  const stub = conversation(env, job.conversation_id);
  if (job.kind === "timeout") {
    // The channel's wait is over: a recipient still on this step without a delivered receipt moves on.
    const outcome = await stub.deliveryTimeout(job.account_id, job.index, job.participant_id, step);
    if (!outcome.ok && outcome.problem.status !== 404) throw new Error(`delivery timeout of ${job.message_id}: ${outcome.problem.detail}`);
    return queued.ack();
  }
  const settings = await settingsOf(env, job.account_id);
  let claimed: Awaited<ReturnType<typeof stub.claimDelivery>>;
  try {
    claimed = await stub.claimDelivery(job.account_id, job.index, job.participant_id, step, settings.chat_grace_seconds * 1000);
  } catch (error) {
    console.error(`delivery ${job.message_id} to ${job.participant_id}: the conversation did not answer; retrying:`, error);
    return queued.retry({ delaySeconds: retryDelaySeconds(queued.attempts) });
  }
  // A 404: the conversation was deleted since; nobody is owed anything.
  if (!claimed.ok || claimed.value.state === "settled") return queued.ack();
  if (claimed.value.state === "busy") return queued.retry({ delaySeconds: LIMITS.deliveryClaimMs / 1000 });
  // Online in chat: the same job comes back once the grace is over (a delay, not a timer in the conversation).
  if (claimed.value.state === "defer") return queued.retry({ delaySeconds: claimed.value.seconds });
  if (claimed.value.state === "in_doubt") {
    // Not sent again blindly: the provider may have it. Its receipt is waited for until the
    // channel's timeout (else LIMITS.unknownOutcomeWaitSeconds), then the recipient moves on.
    await scheduleTimeout(env, job, step, settings.delivery_timeouts[claimed.value.channel] ?? LIMITS.unknownOutcomeWaitSeconds);
    return queued.ack();
  }
  const claim = claimed.value;
  const { recipient } = claim;

  const startedAt = new Date().toISOString();
  const report = async (attempt: Omit<AttemptReport, "started_at" | "completed_at" | "step">) => {
    // The claim stands until this lands: keep trying, so a hiccup does not let a second consumer send again.
    await persistently(() => stub.reportDelivery(job.account_id, job.index, job.participant_id, { ...attempt, step, started_at: startedAt, completed_at: new Date().toISOString() }));
  };
  const skip = (code: string, reason: string, channel_id: string | null = null) =>
    report({ outcome: "skipped", channel_id, provider: null, provider_message_id: null, error_code: code, reason });

  // The participant's own address where it fits the channel, else their contact's on it.
  const address = recipient.address ?? (await contactAddressOn(env.DB, job.account_id, recipient.home, recipient.channel));
  if (address === undefined) {
    await skip("no_address", `the recipient has no ${recipient.channel} address (neither theirs nor their contact's)`);
    return queued.ack();
  }
  let channel: LoadedChannel | null;
  try {
    channel = await channelForDelivery(env, job.account_id, recipient.channel);
  } catch (error) {
    if (!(error instanceof UnreadableCredentials)) throw error;
    await report({ outcome: "failed", channel_id: error.channelId, provider: null, provider_message_id: null, error_code: "channel_credentials_unreadable", reason: "the channel's stored credentials cannot be read on this deployment; send them again with PATCH /v1/channels/{id}" });
    return queued.ack();
  }
  if (!channel) {
    await skip("channel_not_connected", `the account has no ${recipient.channel} channel (POST /v1/channels)`);
    return queued.ack();
  }
  if ((recipient.channel === "sms" || recipient.channel === "mms") && (await isOptedOut(env.DB, job.account_id, address))) {
    await skip("opted_out", "the number replied STOP to this business's messages (START opts back in)", channel.id);
    return queued.ack();
  }
  // Outside WhatsApp's 24-hour window a business may only send an approved template.
  const outsideWindow = recipient.channel === "whatsapp" && !withinWindow(claim, Date.now());
  if (outsideWindow && !settings.whatsapp_template) {
    await skip("outside_window", "the recipient has not written in the last 24 hours, and no WhatsApp template is configured (/v1/settings whatsapp_template)", channel.id);
    return queued.ack();
  }

  // The account's own media go out by a freshly signed URL, whatever the stored one's expiry.
  const fresh = { ...claim, message: { ...claim.message, media: await providerMedia(env, job.account_id, claim.message.media) } };
  const outbound = compose(fresh, channel, address, env.PUBLIC_BASE_URL?.replace(/\/+$/, "") || null, Date.now(), outsideWindow ? (settings.whatsapp_template ?? undefined) : undefined);
  const result = await sendThrough(channel, outbound, fetch, env);
  const via = { channel_id: channel.id, provider: channel.provider };
  if (result.ok) {
    // Before the conversation is told, so that a receipt arriving from now on finds the message.
    await persistently(() =>
      recordOutbound(env.DB, {
        provider: channel.provider,
        providerMessageId: result.provider_message_id,
        accountId: job.account_id,
        conversationId: job.conversation_id,
        messageIndex: job.index,
        participantId: job.participant_id,
        channel: recipient.channel,
        address,
        sentAt: Date.now(),
      }),
    ).catch((error: unknown) => console.error(`delivery ${job.message_id}: its provider id ${result.provider_message_id} was not recorded; its receipts will not apply:`, error));
    await report({ outcome: "accepted", ...via, address, provider_message_id: result.provider_message_id, error_code: null, reason: null, ...(result.segments ? { segments: result.segments } : {}) });
    await applyEarlyReceipts(env, channel.provider, result.provider_message_id);
    // A channel with a timeout checks, that long from now, that its delivered receipt came.
    const wait = settings.delivery_timeouts[recipient.channel];
    if (wait !== undefined) await scheduleTimeout(env, job, step, wait);
    return queued.ack();
  }
  // A permanent refusal, or the last of the retries, ends this channel: the conversation moves the recipient on.
  const final = result.retry === "permanent" || queued.attempts >= LIMITS.deliveryAttempts;
  await report({ outcome: final ? "failed" : "retrying", ...via, provider_message_id: null, error_code: result.code, reason: result.reason });
  if (final) queued.ack();
  else queued.retry({ delaySeconds: retryDelaySeconds(queued.attempts, result.retry_after_s) });
}

/** The check that a step's delivered receipt came, as a delayed queue message: no timer keeps the conversation awake. */
async function scheduleTimeout(env: Env, job: DeliveryJob, step: number, seconds: number): Promise<void> {
  await env.DELIVERY.send({ ...job, step, kind: "timeout" }, { contentType: "json", delaySeconds: seconds });
}

/**
 * Jobs the queue gave up on (the consumer threw on every try: the conversation or D1 unreachable
 * throughout). A recipient still owed the message is failed, so it shows rather than staying
 * `queued` for ever; one already sent is left as it is.
 */
export async function failDeadDeliveries(batch: MessageBatch<DeliveryJob>, env: Env): Promise<void> {
  for (const queued of batch.messages) {
    const job = queued.body;
    try {
      const stub = conversation(env, job.conversation_id);
      if (job.kind === "timeout") {
        queued.ack();
        continue;
      }
      const step = job.step ?? 0;
      const claimed = await stub.claimDelivery(job.account_id, job.index, job.participant_id, step);
      if (claimed.ok && claimed.value.state === "busy") {
        queued.retry({ delaySeconds: LIMITS.deliveryClaimMs / 1000 });
        continue;
      }
      if (claimed.ok && claimed.value.state === "send") {
        const at = new Date().toISOString();
        await stub.reportDelivery(job.account_id, job.index, job.participant_id, {
          outcome: "failed", step, channel_id: null, provider: null, provider_message_id: null, error_code: "dead_lettered", reason: "every try to send it failed inside Parley", started_at: at, completed_at: at,
        });
      }
      queued.ack();
    } catch (error) {
      console.error(`dead delivery ${job.message_id} to ${job.participant_id}; retrying:`, error);
      queued.retry({ delaySeconds: 300 });
    }
  }
}

/** Runs `op` up to three times, 100 ms then 400 ms apart: for the writes a send must not be repeated over. */
async function persistently<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt === 2) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** attempt));
    }
  }
}

