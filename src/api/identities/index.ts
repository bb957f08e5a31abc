import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { conversationParticipants as cp, conversations } from "../../db/schema";
import { activityPage, afterCursor, byActivity } from "../../db/activity-page";
import { fail } from "../../lib/problem";
import { unreadCount } from "../../conversation/rows";
import { Cursor, Identity, Limit, page } from "../../contract/common";
import { Conversation } from "../../contract/conversation";
import type { AppEnv, AppVariables } from "../../env";
import { requireCaller, type Caller } from "../caller";
import { API_KEY_OR_TOKEN, jsonResponse, problemResponses } from "../http";
import { createRouter } from "../router";

const InboxEntry = Conversation.extend({
  participant_id: z.string(),
  last_read_index: z.number().int().nullable(),
  unread_count: z.number().int(),
}).openapi("InboxEntry");

export const inbox = createRoute({
  method: "get",
  path: "/v1/identities/{identity}/conversations",
  tags: ["Identities"],
  security: API_KEY_OR_TOKEN,
  summary: "A chat identity's inbox: its conversations, latest activity first, with unread counts",
  description: "Served from D1, so it may lag a conversation's own view by a moment.",
  request: { params: z.object({ identity: Identity }), query: z.object({ limit: Limit, cursor: Cursor }) },
  responses: { 200: jsonResponse(page(InboxEntry), "A page of the inbox"), ...problemResponses(400, 401, 404) },
});

export const identityRoutes = createRouter<AppEnv & { Variables: AppVariables & { caller: Caller } }>();
identityRoutes.use("/v1/identities/*", requireCaller);

identityRoutes.openapi(inbox, async (c) => {
  const { identity } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const caller = c.var.caller;
  // A token sees only its own inbox; another identity's is as unknown as a foreign id.
  if (caller.kind === "participant" && caller.claims.identity !== identity) throw fail.notFound("identity");
  const where = [eq(cp.accountId, caller.accountId), eq(cp.identity, identity)];
  // A token limited to some conversations sees only those in the inbox too.
  if (caller.kind === "participant" && caller.claims.conversations) where.push(inArray(cp.conversationId, caller.claims.conversations));
  const after = afterCursor(cursor);
  if (after) where.push(after);
  const rows = await drizzle(c.env.DB)
    .select({ participantId: cp.id, lastRead: cp.lastReadIndex, count: conversations.messageCount, at: conversations.lastActivityAt, id: conversations.id, resource: conversations.resource })
    .from(cp)
    .innerJoin(conversations, eq(conversations.id, cp.conversationId))
    .where(and(...where))
    .orderBy(...byActivity)
    .limit(limit + 1);
  const page = activityPage(rows, limit);
  return c.json(
    {
      data: page.rows.map((r) => ({
        ...(JSON.parse(r.resource) as Conversation),
        participant_id: r.participantId,
        last_read_index: r.lastRead,
        unread_count: unreadCount(r.count, r.lastRead),
      })),
      next_cursor: page.next_cursor,
    },
    200,
  );
});
