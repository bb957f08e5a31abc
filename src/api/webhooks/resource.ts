import type { Webhook, WebhookDelivery } from "../../contract/webhook";
import type { DeliveryRow, WebhookRow } from "../../webhooks/store";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The endpoint resource: never its secrets (they are shown once, by the route that made them). */
export function presentWebhook(row: WebhookRow, now = Date.now()): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    enabled: row.enabled,
    description: row.description,
    disabled_reason: row.disabledReason,
    failing_since: isoOrNull(row.failingSince),
    // Past its expiry the replaced secret no longer signs: not worth showing.
    previous_secret_expires_at: row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now ? iso(row.previousSecretExpiresAt) : null,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function presentDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhook_id: row.webhookId,
    event_id: row.eventId,
    event_type: row.eventType,
    attempt: row.attempt,
    replay: row.replay,
    outcome: row.outcome as WebhookDelivery["outcome"],
    status_code: row.statusCode,
    latency_ms: row.latencyMs,
    response_excerpt: row.responseExcerpt,
    error: row.error,
    next_retry_at: isoOrNull(row.nextRetryAt),
    created_at: iso(row.createdAt),
  };
}
