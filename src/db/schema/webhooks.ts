import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The event log and the webhook endpoints it is delivered to, with each delivery attempt.
 */

/**
 * Every event the conversations emitted (the catalog in src/contract/events.ts), as delivered to
 * webhooks: written by the projection consumer in the same D1 batch as the change it describes, so
 * an event is in D1 exactly when its change is. Webhook deliveries and replays read it from here.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    type: text("type").notNull(),
    sequence: integer("sequence").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    /** The whole envelope as JSON: what a webhook's body is. */
    payload: text("payload").notNull(),
  },
  (t) => [index("events_by_account_time").on(t.accountId, t.occurredAt)],
);

/**
 * Webhook endpoints (src/webhooks): where an account's events are POSTed, signed with Standard
 * Webhooks. The signing secrets are sealed under the CREDENTIALS_KEYS keyring (`key_id` names the
 * key) with an AAD naming the account and the endpoint, so a ciphertext copied to another row does
 * not open; the one a rotation replaced is in the same sealed value until `previous_secret_expires_at`.
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    url: text("url").notNull(),
    /** The filter as a JSON array: exact event names, `family.*`, or `*`. */
    events: text("events").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    description: text("description"),
    /** Why Parley disabled it (failing for days); null when enabled or disabled by the account. */
    disabledReason: text("disabled_reason"),
    /** The first failed attempt since the last success; null while healthy. */
    failingSince: integer("failing_since"),
    keyId: text("key_id").notNull(),
    ciphertext: text("ciphertext").notNull(),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // The fan-out's one query per projection batch: an account's enabled endpoints.
  (t) => [index("webhooks_by_account").on(t.accountId, t.enabled)],
);

/** Every attempt to deliver an event to an endpoint, newest first in its log (ids are ULIDs). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    accountId: text("account_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The queue's count for this job: 1 for the first send, 2 for the first retry, … (a replay starts again at 1). */
    attempt: integer("attempt").notNull(),
    replay: integer("replay", { mode: "boolean" }).notNull(),
    /** `delivered` (a 2xx), `retrying` (another attempt is due at next_retry_at), `failed` (given up on). */
    outcome: text("outcome").notNull(),
    /** Null when no response came: network error, timeout. */
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    nextRetryAt: integer("next_retry_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("webhook_deliveries_by_webhook").on(t.webhookId, t.id), index("webhook_deliveries_by_event").on(t.webhookId, t.eventId)],
);
