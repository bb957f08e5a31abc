import type { RouteHandler } from "@hono/zod-openapi";
import type { ReplayQueued } from "../../contract/webhook";
import type { AppEnv, Env } from "../../env";
import { isId, newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { fail } from "../../lib/problem";
import { UnsealError } from "../../lib/secrets";
import { sendJobs } from "../../webhooks/fanout";
import { newWebhookSecret, openSecrets, sealSecrets } from "../../webhooks/secrets";
import * as store from "../../webhooks/store";
import { checkWebhookUrl } from "../../webhooks/url";
import { presentDelivery, presentWebhook } from "./resource";
import type * as routes from "./routes";

/** The account's endpoint, or a 404 (malformed, unknown and another account's alike). */
async function accountWebhook(env: Env, accountId: string, id: string): Promise<store.WebhookRow> {
  const row = isId("webhook", id) ? await store.accountWebhook(env.DB, accountId, id) : undefined;
  if (!row) throw fail.notFound("webhook");
  return row;
}

/** Replays go through the consumer, which drops jobs for a disabled endpoint: refused up front instead. */
function enabledForReplay(row: store.WebhookRow): void {
  if (!row.enabled) throw fail.conflict("the webhook is disabled; enable it (PATCH enabled: true) before replaying to it");
}

export const createWebhook: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  checkWebhookUrl(input.url, c.env);
  // Checked before the insert, so two creates at once may both pass: a bound on fan-out, not a quota to the unit.
  if ((await store.countWebhooks(c.env.DB, c.var.accountId)) >= LIMITS.webhooksPerAccount) {
    throw fail.conflict(`an account has at most ${LIMITS.webhooksPerAccount} webhooks; delete one first`);
  }
  const id = newId("webhook");
  const secret = newWebhookSecret();
  const sealed = await sealSecrets(c.env, c.var.accountId, id, { current: secret, previous: null });
  const now = Date.now();
  const row: store.WebhookRow = {
    id,
    accountId: c.var.accountId,
    url: input.url,
    events: JSON.stringify(input.events),
    enabled: input.enabled,
    description: input.description ?? null,
    disabledReason: null,
    failingSince: null,
    keyId: sealed.keyId,
    ciphertext: sealed.ciphertext,
    previousSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await store.insertWebhook(c.env.DB, row);
  return c.json({ ...presentWebhook(row), secret }, 201);
};

export const listWebhooks: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { rows, next_cursor } = await store.listWebhookRows(c.env.DB, c.var.accountId, c.req.valid("query"));
  return c.json({ data: rows.map((row) => presentWebhook(row)), next_cursor }, 200);
};

export const getWebhook: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  c.json(presentWebhook(await accountWebhook(c.env, c.var.accountId, c.req.valid("param").webhook_id)), 200);

export const updateWebhook: RouteHandler<typeof routes.update, AppEnv> = async (c) => {
  const { webhook_id } = c.req.valid("param");
  const body = c.req.valid("json");
  const current = await accountWebhook(c.env, c.var.accountId, webhook_id);
  if (body.url !== undefined) checkWebhookUrl(body.url, c.env);
  const changes: store.WebhookChanges = { updatedAt: Date.now() };
  if (body.url !== undefined) changes.url = body.url;
  if (body.events !== undefined) changes.events = JSON.stringify(body.events);
  if (body.description !== undefined) changes.description = body.description;
  if (body.enabled !== undefined) {
    changes.enabled = body.enabled;
    // Whoever sets `enabled` decides: Parley's reason goes, and an enabled endpoint starts healthy
    // (else its first failure would disable it again at once).
    changes.disabledReason = null;
    if (body.enabled && !current.enabled) changes.failingSince = null;
  }
  const updated = await store.updateWebhookRow(c.env.DB, c.var.accountId, webhook_id, changes);
  if (!updated) throw fail.notFound("webhook");
  return c.json(presentWebhook(updated), 200);
};

export const deleteWebhook: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { webhook_id } = c.req.valid("param");
  if (!isId("webhook", webhook_id) || !(await store.deleteWebhookRow(c.env.DB, c.var.accountId, webhook_id))) throw fail.notFound("webhook");
  return c.body(null, 204);
};

export const rotateSecret: RouteHandler<typeof routes.rotate, AppEnv> = async (c) => {
  const row = await accountWebhook(c.env, c.var.accountId, c.req.valid("param").webhook_id);
  let previous: string | null;
  try {
    previous = (await openSecrets(c.env, row)).current;
  } catch (error) {
    if (!(error instanceof UnsealError)) throw error;
    // The stored secret cannot be read here (its key left the keyring), so it signs nothing any
    // more: the new one replaces it without an overlap, which is how such an endpoint is repaired.
    console.warn(`webhook ${row.id}: stored secret does not open (${error.message}); rotating without overlap`);
    previous = null;
  }
  const secret = newWebhookSecret();
  const now = Date.now();
  const sealed = await sealSecrets(c.env, row.accountId, row.id, { current: secret, previous });
  const changes: store.WebhookChanges = {
    keyId: sealed.keyId,
    ciphertext: sealed.ciphertext,
    previousSecretExpiresAt: previous === null ? null : now + LIMITS.webhookSecretOverlapMs,
    updatedAt: now,
  };
  // Only over the secrets read above: a rotation that landed meanwhile is not undone.
  const updated = await store.updateWebhookRow(c.env.DB, row.accountId, row.id, changes, row.ciphertext);
  if (!updated) {
    if (await store.accountWebhook(c.env.DB, row.accountId, row.id)) throw fail.conflict("the secret was rotated by another request meanwhile; rotate again if you need a new one");
    throw fail.notFound("webhook");
  }
  return c.json({ ...presentWebhook(updated, now), secret }, 200);
};

export const listDeliveries: RouteHandler<typeof routes.deliveries, AppEnv> = async (c) => {
  const row = await accountWebhook(c.env, c.var.accountId, c.req.valid("param").webhook_id);
  const { rows, next_cursor } = await store.listDeliveryRows(c.env.DB, row.accountId, row.id, c.req.valid("query"));
  return c.json({ data: rows.map(presentDelivery), next_cursor }, 200);
};

/** Replays go where the endpoint's new events go: the slow lane while it is failing (src/webhooks/consumer.ts). */
const laneOf = (env: AppEnv["Bindings"], row: { failingSince: number | null }) => (row.failingSince !== null ? env.WEBHOOKS_SLOW : env.WEBHOOKS);

export const replayDelivery: RouteHandler<typeof routes.replayDelivery, AppEnv> = async (c) => {
  const { webhook_id, delivery_id } = c.req.valid("param");
  const row = await accountWebhook(c.env, c.var.accountId, webhook_id);
  const delivery = isId("webhookDelivery", delivery_id) ? await store.accountDelivery(c.env.DB, row.accountId, row.id, delivery_id) : undefined;
  if (!delivery) throw fail.notFound("delivery");
  enabledForReplay(row);
  await sendJobs(laneOf(c.env, row), [{ v: 1, account_id: row.accountId, webhook_id: row.id, event_id: delivery.eventId, replay: true }]);
  return c.json({ queued: 1, truncated: false, next_from: null } satisfies ReplayQueued, 202);
};

export const replayRange: RouteHandler<typeof routes.replayRange, AppEnv> = async (c) => {
  const row = await accountWebhook(c.env, c.var.accountId, c.req.valid("param").webhook_id);
  const { from, to } = c.req.valid("json");
  enabledForReplay(row);
  const cap = LIMITS.webhookReplayEvents;
  const found = await store.eventsInRange(c.env.DB, row.accountId, JSON.parse(row.events) as string[], Date.parse(from), Date.parse(to), cap + 1);
  const queued = found.slice(0, cap);
  await sendJobs(
    laneOf(c.env, row),
    queued.map((e) => ({ v: 1 as const, account_id: row.accountId, webhook_id: row.id, event_id: e.id, replay: true })),
  );
  const rest = found[cap];
  return c.json({ queued: queued.length, truncated: rest !== undefined, next_from: rest ? new Date(rest.occurredAt).toISOString() : null } satisfies ReplayQueued, 202);
};
