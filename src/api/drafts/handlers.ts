import { z, type RouteHandler } from "@hono/zod-openapi";
import { conversationOfDraft } from "../../conversation/assist-store";
import type { Draft } from "../../contract/draft";
import type { AppEnv, Env } from "../../env";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { fail } from "../../lib/problem";
import { settingsOf } from "../../settings/cached";
import { conversation, respond } from "../http";
import type * as routes from "./routes";

/** A draft's conversation, from its id alone (no read that could lag); a malformed id is unknown. */
function draftsConversation(env: Env, draftId: string) {
  const conv = conversationOfDraft(draftId);
  if (!conv) throw fail.notFound("draft");
  return conversation(env, conv);
}

const DraftCursor = z.tuple([z.number().int(), z.string()]);

export const listDrafts: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const [at, id] = q.cursor === undefined ? [0, ""] : decodeCursor(q.cursor, DraftCursor);
  const { results } = await c.env.DB.prepare(
    `SELECT resource, created_at, id FROM drafts WHERE account_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR conversation_id = ?3)
     AND (created_at > ?4 OR (created_at = ?4 AND id > ?5)) ORDER BY created_at, id LIMIT ?6`,
  )
    .bind(c.var.accountId, q.status ?? null, q.conversation_id ?? null, at, id, q.limit + 1)
    .all<{ resource: string; created_at: number; id: string }>();
  const rows = results.slice(0, q.limit);
  const last = rows.at(-1);
  return c.json({ data: rows.map((r) => JSON.parse(r.resource) as Draft), next_cursor: results.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null }, 200);
};

export const getDraft: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { draft_id } = c.req.valid("param");
  return respond(c, await draftsConversation(c.env, draft_id).getDraft(c.var.accountId, draft_id));
};

export const approveDraft: RouteHandler<typeof routes.approve, AppEnv> = async (c) => {
  const { draft_id } = c.req.valid("param");
  const stub = draftsConversation(c.env, draft_id);
  const { fallback_order } = await settingsOf(c.env, c.var.accountId);
  return respond(c, await stub.approveDraft(c.var.accountId, draft_id, c.req.valid("json"), { fallback_order }));
};

export const rejectDraft: RouteHandler<typeof routes.reject, AppEnv> = async (c) => {
  const { draft_id } = c.req.valid("param");
  return respond(c, await draftsConversation(c.env, draft_id).rejectDraft(c.var.accountId, draft_id, c.req.valid("json")));
};
