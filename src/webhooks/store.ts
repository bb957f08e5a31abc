import type { EventEnvelope } from "../contract/events";
import { z } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, like, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { events, webhookDeliveries, webhooks } from "../db/schema";
import { decodeCursor, encodeCursor } from "../lib/cursor";

/** D1 for webhooks: endpoints (secrets still sealed), their delivery log, and the events they carry. */

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type EventRow = typeof events.$inferSelect;

/** One of the account's endpoints; another account's is as unknown as a missing one. */
export async function accountWebhook(database: D1Database, accountId: string, id: string): Promise<WebhookRow | undefined> {
  return drizzle(database)
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.accountId, accountId), eq(webhooks.id, id)))
    .get();
}

/** The account's endpoints in the order they were created (ids are ULIDs), keyed by the last id. */
export async function listWebhookRows(database: D1Database, accountId: string, q: { limit: number; cursor?: string }): Promise<{ rows: WebhookRow[]; next_cursor: string | null }> {
  const where: SQL[] = [eq(webhooks.accountId, accountId)];
  if (q.cursor !== undefined) where.push(gt(webhooks.id, decodeCursor(q.cursor, z.string())));
  const rows = await drizzle(database)
    .select()
    .from(webhooks)
    .where(and(...where))
    .orderBy(asc(webhooks.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
}

export async function countWebhooks(database: D1Database, accountId: string): Promise<number> {
  const row = await drizzle(database).select({ n: count() }).from(webhooks).where(eq(webhooks.accountId, accountId)).get();
  return row?.n ?? 0;
}

export async function insertWebhook(database: D1Database, row: WebhookRow): Promise<void> {
  await drizzle(database).insert(webhooks).values(row);
}

export type WebhookChanges = Partial<Pick<WebhookRow, "url" | "events" | "enabled" | "description" | "disabledReason" | "failingSince" | "keyId" | "ciphertext" | "previousSecretExpiresAt">> & {
  updatedAt: number;
};

/**
 * Applies changes to one of the account's endpoints and returns it as it now is; undefined when
 * there is no such endpoint or, with `ifCiphertext`, when its secrets changed meanwhile (a
 * concurrent rotation, which this one must not undo).
 */
export async function updateWebhookRow(database: D1Database, accountId: string, id: string, changes: WebhookChanges, ifCiphertext?: string): Promise<WebhookRow | undefined> {
  const where = [eq(webhooks.accountId, accountId), eq(webhooks.id, id)];
  if (ifCiphertext !== undefined) where.push(eq(webhooks.ciphertext, ifCiphertext));
  const [row] = await drizzle(database)
    .update(webhooks)
    .set(changes)
    .where(and(...where))
    .returning();
  return row;
}

/** Deletes an endpoint with its delivery log; false when the account has no such endpoint. Jobs still queued find nothing and are dropped. */
export async function deleteWebhookRow(database: D1Database, accountId: string, id: string): Promise<boolean> {
  const db = drizzle(database);
  const [deleted] = await db.batch([
    db.delete(webhooks).where(and(eq(webhooks.accountId, accountId), eq(webhooks.id, id))).returning({ id: webhooks.id }),
    db.delete(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.accountId, accountId))),
  ]);
  return deleted.length > 0;
}

/**
 * The enabled endpoints of these accounts, with their filters: the fan-out's one query per call.
 * The ids go in as one JSON parameter: a projection batch can span 100 accounts, and D1 binds at
 * most 100 parameters to a statement. The IN over json_each still seeks the (account_id, enabled) index.
 */
export async function enabledEndpoints(database: D1Database, accountIds: readonly string[]): Promise<{ id: string; accountId: string; events: string; failingSince: number | null }[]> {
  return drizzle(database)
    .select({ id: webhooks.id, accountId: webhooks.accountId, events: webhooks.events, failingSince: webhooks.failingSince })
    .from(webhooks)
    .where(and(sql`${webhooks.accountId} IN (SELECT value FROM json_each(${JSON.stringify(accountIds)}))`, eq(webhooks.enabled, true)));
}

/** What a consumer batch needs, in one round trip: its endpoints and its events, by id. */
export async function loadJobs(database: D1Database, webhookIds: readonly string[], eventIds: readonly string[]): Promise<{ webhooks: Map<string, WebhookRow>; events: Map<string, EventRow> }> {
  const db = drizzle(database);
  const [hooks, found] = await db.batch([
    db.select().from(webhooks).where(inArray(webhooks.id, [...new Set(webhookIds)])),
    db.select().from(events).where(inArray(events.id, [...new Set(eventIds)])),
  ]);
  return { webhooks: new Map(hooks.map((w) => [w.id, w])), events: new Map(found.map((e) => [e.id, e])) };
}

/**
 * Records one attempt and what it says about the endpoint's health, in one batch: a success clears
 * `failing_since`; a failure sets it if it was clear, and disables the endpoint once it is older
 * than `disableBefore` (nothing delivered since then). Returns whether this attempt disabled it.
 */
export async function recordAttempt(database: D1Database, delivery: DeliveryRow, disableBefore: number, disabledReason: string): Promise<{ disabled: boolean }> {
  const db = drizzle(database);
  const insert = db.insert(webhookDeliveries).values(delivery);
  const hook = eq(webhooks.id, delivery.webhookId);
  if (delivery.outcome === "delivered") {
    await db.batch([insert, db.update(webhooks).set({ failingSince: null }).where(and(hook, isNotNull(webhooks.failingSince)))]);
    return { disabled: false };
  }
  const [, , disabled] = await db.batch([
    insert,
    db.update(webhooks).set({ failingSince: delivery.createdAt }).where(and(hook, isNull(webhooks.failingSince))),
    db
      .update(webhooks)
      .set({ enabled: false, disabledReason, updatedAt: delivery.createdAt })
      .where(and(hook, eq(webhooks.enabled, true), lte(webhooks.failingSince, disableBefore)))
      .returning({ id: webhooks.id }),
  ]);
  return { disabled: disabled.length > 0 };
}

/** The endpoint's delivery log, newest first, keyed by the last id. */
export async function listDeliveryRows(
  database: D1Database,
  accountId: string,
  webhookId: string,
  q: { limit: number; cursor?: string },
): Promise<{ rows: DeliveryRow[]; next_cursor: string | null }> {
  const where: SQL[] = [eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.accountId, accountId)];
  if (q.cursor !== undefined) where.push(lt(webhookDeliveries.id, decodeCursor(q.cursor, z.string())));
  const rows = await drizzle(database)
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
}

export async function accountDelivery(database: D1Database, accountId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
  return drizzle(database)
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.accountId, accountId)))
    .get();
}

/** `_`, `%` and `\` are LIKE's own: escaped, so a family name matches only itself. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The account's events in [from, to) that the filter takes, oldest first, at most `limit`: by the
 * (account_id, occurred_at) index, the filter applied in SQL so the limit counts only matches.
 */
export async function eventsInRange(database: D1Database, accountId: string, filter: readonly string[], from: number, to: number, limit: number): Promise<{ id: string; occurredAt: number }[]> {
  const types: SQL[] = [];
  if (!filter.includes("*")) {
    const exact = filter.filter((f) => !f.endsWith(".*"));
    if (exact.length > 0) types.push(inArray(events.type, exact));
    for (const f of filter.filter((f) => f.endsWith(".*"))) types.push(like(events.type, likePrefix(f.slice(0, -1))));
  }
  return drizzle(database)
    .select({ id: events.id, occurredAt: events.occurredAt })
    .from(events)
    .where(and(eq(events.accountId, accountId), gte(events.occurredAt, from), lt(events.occurredAt, to), types.length > 0 ? or(...types) : undefined))
    .orderBy(asc(events.occurredAt), asc(events.id))
    .limit(limit);
}

/**
 * A job the queue gave up on: its last attempt (still `retrying`, a retry that will not come) is
 * marked `failed`. When none was recorded (the consumer threw on every try, D1 away), a `failed`
 * row with attempt 0 says so, if the endpoint still exists.
 */
export async function markDeadLettered(database: D1Database, job: { account_id: string; webhook_id: string; event_id: string; replay?: boolean }, id: string, now: number, error: string): Promise<void> {
  const updated = await database
    .prepare(
      `UPDATE webhook_deliveries SET outcome = 'failed', next_retry_at = NULL
       WHERE id = (SELECT id FROM webhook_deliveries WHERE webhook_id = ?1 AND event_id = ?2 ORDER BY id DESC LIMIT 1) AND outcome = 'retrying'
       RETURNING id`,
    )
    .bind(job.webhook_id, job.event_id)
    .all();
  if (updated.results.length > 0) return;
  const last = await database
    .prepare("SELECT outcome FROM webhook_deliveries WHERE webhook_id = ?1 AND event_id = ?2 ORDER BY id DESC LIMIT 1")
    .bind(job.webhook_id, job.event_id)
    .first<{ outcome: string }>();
  if (last?.outcome === "failed") return; // a redelivered dead letter: already marked
  await database
    .prepare(
      `INSERT INTO webhook_deliveries (id, webhook_id, account_id, event_id, event_type, attempt, replay, outcome, status_code, latency_ms, response_excerpt, error, next_retry_at, created_at)
       SELECT ?1, w.id, w.account_id, ?3, coalesce((SELECT type FROM events WHERE id = ?3), ''), 0, ?4, 'failed', NULL, NULL, NULL, ?5, NULL, ?6
       FROM webhooks w WHERE w.id = ?2 AND w.account_id = ?7`,
    )
    .bind(id, job.webhook_id, job.event_id, job.replay ? 1 : 0, error, now, job.account_id)
    .run();
}

/** An account event (no conversation): stored as events are, its conversation_id column empty. */
export async function insertAccountEvent(database: D1Database, e: EventEnvelope): Promise<void> {
  await drizzle(database)
    .insert(events)
    .values({ id: e.id, accountId: e.account_id, conversationId: "", type: e.type, sequence: e.sequence, occurredAt: Date.parse(e.occurred_at), payload: JSON.stringify(e) })
    .onConflictDoNothing();
}
