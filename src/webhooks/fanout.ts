import type { EventEnvelope } from "../contract/events";
import type { Env } from "../env";
import { filterMatches } from "./filter";
import type { WebhookJob } from "./job";
import { enabledEndpoints } from "./store";

/** Queues take at most 100 messages in one sendBatch. */
const SEND_BATCH_MAX = 100;

/**
 * Fans events out to webhooks: one WebhookJob on WEBHOOKS per (enabled endpoint, event) whose
 * filter takes the event's type. Called by the projection consumer once a batch's events are in
 * D1 (the consumer reads each event from there when it sends).
 *
 * Cost when nobody listens: one D1 query per call, for all the accounts in it, by the
 * (account_id, enabled) index; no per-isolate cache. A cache would save that read but make a new,
 * re-enabled or re-filtered endpoint miss events for as long as it lives, and the projection batch
 * that calls this already makes a D1 round trip of its own, so one more indexed read per batch
 * (not per event) is the cheaper thing to get right. An empty `events` costs nothing.
 *
 * Throws when D1 or the queue fails: the caller's retry carries the events again, and a job sent
 * twice is a delivery repeated under the same `webhook-id`, which receivers deduplicate by.
 */
export async function enqueueWebhooks(env: Pick<Env, "DB" | "WEBHOOKS" | "WEBHOOKS_SLOW">, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const endpoints = await enabledEndpoints(env.DB, [...new Set(events.map((e) => e.account_id))]);
  if (endpoints.length === 0) return;
  const byAccount = new Map<string, { id: string; filter: string[]; failing: boolean }[]>();
  for (const endpoint of endpoints) {
    const list = byAccount.get(endpoint.accountId) ?? [];
    list.push({ id: endpoint.id, filter: JSON.parse(endpoint.events) as string[], failing: endpoint.failingSince !== null });
    byAccount.set(endpoint.accountId, list);
  }
  const jobs: WebhookJob[] = [];
  const failing: WebhookJob[] = [];
  for (const event of events) {
    for (const endpoint of byAccount.get(event.account_id) ?? []) {
      if (!filterMatches(endpoint.filter, event.type)) continue;
      (endpoint.failing ? failing : jobs).push({ v: 1, account_id: event.account_id, webhook_id: endpoint.id, event_id: event.id });
    }
  }
  // A failing endpoint's new events go to the slow lane, so its timeouts hold up nobody else (consumer.ts).
  await Promise.all([sendJobs(env.WEBHOOKS, jobs), sendJobs(env.WEBHOOKS_SLOW, failing)]);
}

/** Sends jobs in batches the queue takes (also the replay routes' way in). */
export async function sendJobs(queue: Queue<WebhookJob>, jobs: readonly WebhookJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += SEND_BATCH_MAX) {
    await queue.sendBatch(jobs.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body, contentType: "json" as const })));
  }
}
