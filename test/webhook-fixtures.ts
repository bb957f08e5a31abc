import type { EventEnvelope } from "../src/contract/events";
import type { WebhookJob } from "../src/webhooks/job";
import { call, env } from "./helpers";

/** Shared by the webhook test files: an endpoint, an event in D1, and a queue batch that records what was done with it. */

export async function createWebhook(key: string, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/webhooks", { key, body: { url: "http://receiver.test/hook", events: ["*"], ...body } });
  if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as { id: string; secret: string; [k: string]: unknown };
}

let sequence = 0;
/** An event as the projection consumer writes it to D1 (the other half of events out does that for real). */
export async function insertEvent(accountId: string, type = "message.added", occurredAt = Date.now()): Promise<EventEnvelope & { payload: string }> {
  const id = `evt_${crypto.randomUUID().replace(/-/g, "")}`;
  const envelope = { id, type, account_id: accountId, conversation_id: "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T", sequence: ++sequence, occurred_at: new Date(occurredAt).toISOString(), data: { n: sequence } } as EventEnvelope;
  const payload = JSON.stringify(envelope);
  await env.DB.prepare("INSERT INTO events (id, account_id, conversation_id, type, sequence, occurred_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(id, accountId, envelope.conversation_id, type, envelope.sequence, occurredAt, payload)
    .run();
  return { ...envelope, payload };
}

/**
 * A queue batch whose acks and retries (with their delays) are recorded. By default from the slow
 * lane, where retries happen; the first lane (`parley-webhooks`) hands a failure over to it.
 */
export function fakeBatch(jobs: { attempts?: number; body: WebhookJob }[], queue = "parley-webhooks-slow") {
  const outcome = { acked: [] as string[], retried: [] as { id: string; delaySeconds?: number }[] };
  const messages = jobs.map((job, i) => ({
    id: `m${i}`,
    timestamp: new Date(),
    attempts: job.attempts ?? 1,
    body: job.body,
    ack: () => void outcome.acked.push(`m${i}`),
    retry: (options?: { delaySeconds?: number }) => void outcome.retried.push({ id: `m${i}`, delaySeconds: options?.delaySeconds }),
  }));
  return { batch: { queue, messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<WebhookJob>, outcome };
}
