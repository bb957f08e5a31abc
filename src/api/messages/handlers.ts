import { z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { decodeCursor } from "../../lib/cursor";
import { throughHook } from "../../hooks/pre-event";
import { settingsOf } from "../../settings/cached";
import { resolveMedia } from "../../media/messages";
import { conversation, cursorPage, idempotency, respond } from "../http";
import { applyTombstone } from "../../retention/d1";
import { readPolicy } from "../../retention/policy";
import type * as routes from "./routes";

const IndexCursor = z.number().int().min(0);

export const sendMessage: RouteHandler<typeof routes.send, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const input = c.req.valid("json");
  // Fingerprinted as sent: the URLs media_ids resolve to are signed afresh on every attempt.
  const idem = await idempotency(c, input);
  const stub = conversation(c.env, conversation_id);
  const media = await resolveMedia(c.env, c.var.accountId, input.media, "body.media", c.req.url);
  const message = await throughHook(c.env, c.var.accountId, conversation_id, { ...input, media });
  const { fallback_order } = await settingsOf(c.env, c.var.accountId);
  return respond(c, await stub.send(c.var.accountId, message, idem, { fallback_order }));
};

export const listMessages: RouteHandler<typeof routes.history, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const q = c.req.valid("query");
  // A cursor is the last index of the previous page; it narrows the window in the page's direction.
  const at = q.cursor === undefined ? undefined : decodeCursor(q.cursor, IndexCursor);
  const after = q.order === "asc" && at !== undefined ? Math.max(at, q.after_index ?? -1) : q.after_index;
  const before = q.order === "desc" && at !== undefined ? Math.min(at, q.before_index ?? Number.MAX_SAFE_INTEGER) : q.before_index;
  const outcome = await conversation(c.env, conversation_id).listMessages(c.var.accountId, { order: q.order, after, before, limit: q.limit, failedOnly: q.delivery === "failed" });
  return respond(c, outcome, cursorPage);
};

export const getMessage: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { conversation_id, message_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).getMessage(c.var.accountId, message_id));
};

/** A tombstone in the DO, then over the D1 row at once, so search stops finding it before the 200. */
export const deleteMessage: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { conversation_id, message_id } = c.req.valid("param");
  const accountId = c.var.accountId;
  const { legalHold } = await readPolicy(c.env.DB, accountId);
  const ref = /^\d{1,15}$/.test(message_id) ? { index: Number(message_id) } : { id: message_id };
  const outcome = await conversation(c.env, conversation_id).deleteMessage(accountId, ref, legalHold);
  if (outcome.ok) await applyTombstone(c.env.DB, accountId, outcome.value).catch((error: unknown) => console.error(`direct tombstone of ${outcome.value.id} in D1 failed; its projection follows:`, error));
  return respond(c, outcome);
};
