import type { Fetch } from "../channels/outbound";
import type { Env } from "../env";
import { newId } from "../lib/ids";
import { LIMITS } from "../lib/limits";
import type { EventEnvelope } from "../contract/events";
import { enqueueWebhooks } from "./fanout";
import type { WebhookJob } from "./job";
import { openSecrets, signatureHeader, signingSecrets } from "./secrets";
import { insertAccountEvent, loadJobs, markDeadLettered, recordAttempt, type DeliveryRow, type EventRow, type WebhookRow } from "./store";

export const isWebhooks = (queue: string) => queue.endsWith("-webhooks") || isSlowLane(queue);
/** Retries and failing endpoints: see consumeWebhooks. */
export const isSlowLane = (queue: string) => queue.endsWith("-webhooks-slow");
export const isDeadWebhooks = (queue: string) => queue.endsWith("-webhooks-dlq");

/**
 * The wait after a failed attempt `attempts` (the queue's count, 1 for the first send): 30 s,
 * doubling, capped at 2 h. Over the queue's 20 retries (wrangler.toml `max_retries`) that is
 * 30 s, 1, 2, 4, 8, 16, 32, 64 min (7,650 s, about 2 h 8 min, in all), then twelve waits of 2 h:
 * the 21st and last send comes about 26 h after the first, and a job failing then goes to the
 * dead-letter queue, whose consumer marks its delivery failed.
 */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(LIMITS.webhookRetryMaxSeconds, LIMITS.webhookRetryFirstSeconds * 2 ** Math.max(0, Math.min(attempts, 20) - 1));
}

/** For tests: a shorter timeout than the 10 s one, and a clock. */
export interface ConsumeOptions {
  timeoutMs?: number;
  now?: () => number;
}

/**
 * The WEBHOOKS queue's consumer: each job POSTs one event to one endpoint, signed, and records the
 * attempt in `webhook_deliveries`. The batch's endpoints and events are read in one D1 round trip;
 * then every job runs at once, each with its own timeout, so one slow or failing endpoint never
 * delays another's deliveries (nor, being retried on its own message, its later ones).
 *
 * A deleted or disabled endpoint, or an event no longer in D1, is dropped (acked). A 2xx is
 * delivered; anything else (another status, a redirect, which is not followed, a network error, a
 * timeout) is retried after `retryDelaySeconds`.
 *
 * Two lanes. A batch waits for its slowest job, and one hanging endpoint would make every batch it
 * is in wait 10 s, for every account's endpoints in it. So the first lane (WEBHOOKS) carries only
 * first tries to endpoints that are not failing: a job that fails there is acked and handed, with
 * its retry delay, to the slow lane (WEBHOOKS_SLOW), where the retries happen; and an endpoint
 * whose `failing_since` is set gets its new events in the slow lane from the start (fanout.ts).
 * A healthy endpoint's delivery waits behind a hanging one at most once, for that first failure.
 */
export async function consumeWebhooks(batch: MessageBatch<WebhookJob>, env: Env, fetch: Fetch = globalThis.fetch, options: ConsumeOptions = {}): Promise<void> {
  let loaded: Awaited<ReturnType<typeof loadJobs>>;
  try {
    loaded = await loadJobs(
      env.DB,
      batch.messages.map((m) => m.body.webhook_id),
      batch.messages.map((m) => m.body.event_id),
    );
  } catch (error) {
    console.error(`webhooks: D1 did not answer for a batch of ${batch.messages.length}; retrying:`, error);
    for (const message of batch.messages) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  }
  const slow = isSlowLane(batch.queue);
  await Promise.all(
    batch.messages.map((message) =>
      deliverOne(message, loaded.webhooks.get(message.body.webhook_id), loaded.events.get(message.body.event_id), env, fetch, options, slow).catch((error: unknown) => {
        console.error(`webhook ${message.body.webhook_id}, event ${message.body.event_id}: failed inside Parley; retrying:`, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }),
    ),
  );
}

async function deliverOne(message: Message<WebhookJob>, hook: WebhookRow | undefined, event: EventRow | undefined, env: Env, fetch: Fetch, options: ConsumeOptions, slow: boolean): Promise<void> {
  const job = message.body;
  // Counted across both lanes: a job in the slow lane has had its first-lane try.
  const attempts = (job.attempts_before ?? 0) + message.attempts;
  // Read at send time, so a deletion, a disable or a rotation is honoured by every retry.
  if (!hook || hook.accountId !== job.account_id || !hook.enabled) return message.ack();
  if (!event || event.accountId !== job.account_id) {
    console.warn(`webhook ${hook.id}: event ${job.event_id} is not in D1; dropped`);
    return message.ack();
  }
  const now = options.now?.() ?? Date.now();
  // The first lane gives an endpoint a short while; one that needs longer gets its full timeout in the slow lane at once.
  const fullTimeoutMs = options.timeoutMs ?? LIMITS.webhookTimeoutMs;
  const timeoutMs = slow ? fullTimeoutMs : Math.min(fullTimeoutMs, LIMITS.webhookFirstLaneTimeoutMs);
  let attempt: Attempt;
  try {
    const secrets = signingSecrets(await openSecrets(env, hook), hook.previousSecretExpiresAt, now);
    attempt = await post(fetch, hook.url, event, secrets, now, timeoutMs);
  } catch (error) {
    // The keyring lost the key that sealed the secret (or none is configured): nothing can be
    // signed until an operator restores it, so the attempt fails here and is retried like any other.
    console.error(`webhook ${hook.id}: its secret does not open; not sent:`, error instanceof Error ? error.message : error);
    attempt = { ok: false, statusCode: null, latencyMs: null, excerpt: null, error: "the endpoint's signing secret cannot be read on this deployment; nothing was sent" };
  }
  // Cut short by the first lane's timeout: tried again at once where it has its full timeout.
  const cutShort = !slow && !attempt.ok && attempt.statusCode === null && timeoutMs < fullTimeoutMs && attempt.error?.startsWith("timed out") === true;
  const delay = cutShort ? 0 : retryDelaySeconds(attempts);
  const delivery: DeliveryRow = {
    id: newId("webhookDelivery"),
    webhookId: hook.id,
    accountId: hook.accountId,
    eventId: event.id,
    eventType: event.type,
    attempt: attempts,
    replay: job.replay === true,
    outcome: attempt.ok ? "delivered" : "retrying",
    statusCode: attempt.statusCode,
    latencyMs: attempt.latencyMs,
    responseExcerpt: attempt.excerpt,
    error: attempt.error,
    nextRetryAt: attempt.ok ? null : now + delay * 1000,
    createdAt: now,
  };
  try {
    const reason = `no delivery succeeded for ${LIMITS.webhookFailingDisableMs / 86_400_000} days; the last attempt: ${attempt.error ?? "failed"}`;
    const { disabled } = await recordAttempt(env.DB, delivery, now - LIMITS.webhookFailingDisableMs, reason);
    if (disabled) {
      console.warn(`webhook ${hook.id} of ${hook.accountId} disabled: ${reason}`);
      await announceDisabled(env, hook, reason, now);
    }
  } catch (error) {
    // Delivered but not logged: the receiver has it, so it is not sent again for the log's sake.
    if (!attempt.ok) throw error;
    console.error(`webhook ${hook.id}, event ${event.id}: delivered, but the attempt was not recorded:`, error);
  }
  if (attempt.ok) return message.ack();
  if (slow) return message.retry({ delaySeconds: delay });
  await env.WEBHOOKS_SLOW.send({ ...job, attempts_before: attempts }, { contentType: "json", delaySeconds: delay });
  message.ack();
}

/**
 * Says, as an account event, that an endpoint was turned off: kept in D1 like every event and sent
 * to the account's other endpoints that take `webhook.disabled` (the disabled one no longer takes
 * anything). Best effort: the endpoint is disabled whether or not this gets out.
 */
async function announceDisabled(env: Env, hook: WebhookRow, reason: string, now: number): Promise<void> {
  const envelope: EventEnvelope = {
    id: newId("event"),
    type: "webhook.disabled",
    account_id: hook.accountId,
    conversation_id: null,
    sequence: 0,
    occurred_at: new Date(now).toISOString(),
    data: { webhook_id: hook.id, url: hook.url, reason },
  };
  try {
    await insertAccountEvent(env.DB, envelope);
    await enqueueWebhooks(env, [envelope]);
  } catch (error) {
    console.error(`webhook ${hook.id}: its webhook.disabled event did not go out:`, error);
  }
}

interface Attempt {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  excerpt: string | null;
  error: string | null;
}

/** One signed POST of the stored envelope, exactly as stored (the bytes signed are the bytes sent). */
async function post(fetch: Fetch, url: string, event: EventRow, secrets: string[], now: number, timeoutMs: number): Promise<Attempt> {
  const headers = {
    "content-type": "application/json",
    "user-agent": "Parley-Webhooks/1",
    // The event id, the same on every retry and replay: receivers deduplicate by it.
    "webhook-id": event.id,
    "webhook-timestamp": String(Math.floor(now / 1000)),
    "webhook-signature": signatureHeader(secrets, event.id, new Date(now), event.payload),
  };
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // A redirect is a failure: following it would send the signed event somewhere the account never named.
    response = await fetch(url, { method: "POST", headers, body: event.payload, redirect: "manual", signal });
  } catch (error) {
    const latencyMs = Date.now() - started;
    const timedOut = signal.aborted || (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
    return { ok: false, statusCode: null, latencyMs, excerpt: null, error: timedOut ? `timed out after ${timeoutMs} ms` : `network error: ${error instanceof Error ? error.message : String(error)}` };
  }
  const latencyMs = Date.now() - started;
  const status = response.status;
  const ok = status >= 200 && status < 300;
  const excerpt = await readExcerpt(response);
  const location = response.headers.get("location");
  const error = ok ? null : status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ""}` : `HTTP ${status}`;
  return { ok, statusCode: status, latencyMs, excerpt, error };
}

/** The start of the answer, reading no more of it than that (the fetch's timeout bounds the read too). */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < LIMITS.webhookResponseExcerptChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text.slice(0, LIMITS.webhookResponseExcerptChars);
  } catch {
    return text === "" ? null : text.slice(0, LIMITS.webhookResponseExcerptChars);
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * The dead-letter queue's consumer: jobs whose every attempt failed (about 26 h of retries), or
 * that failed inside Parley throughout. Each one's delivery is marked `failed`, with no retry due.
 */
export async function failDeadWebhooks(batch: MessageBatch<WebhookJob>, env: Env, now: () => number = Date.now): Promise<void> {
  for (const message of batch.messages) {
    try {
      await markDeadLettered(env.DB, message.body, newId("webhookDelivery"), now(), "dead-lettered: no attempt was recorded (Parley could not process the job)");
      message.ack();
    } catch (error) {
      console.error(`dead webhook job ${message.body.webhook_id}/${message.body.event_id}; retrying:`, error);
      message.retry({ delaySeconds: 300 });
    }
  }
}
