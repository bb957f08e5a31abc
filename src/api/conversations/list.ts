import { and, desc, eq, exists, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { z } from "@hono/zod-openapi";
import { conversationParticipants as cp, conversationTags as ct, conversations } from "../../db/schema";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { Conversation } from "../../schemas/conversation";
import type { ListConversationsQuery } from "./routes";

const ActivityCursor = z.tuple([z.number().int(), z.string()]);

/**
 * Keyset pagination over (last_activity_at, id), newest first: a page boundary is a row's sort key,
 * not an offset, so conversations created while a client pages never shift or repeat rows.
 */
export async function listConversations(
  database: D1Database,
  accountId: string,
  q: z.infer<typeof ListConversationsQuery>,
): Promise<{ data: Conversation[]; next_cursor: string | null }> {
  const db = drizzle(database);
  const where: (SQL | undefined)[] = [eq(conversations.accountId, accountId)];
  if (q.status) where.push(eq(conversations.status, q.status));
  if (q.channel) where.push(eq(conversations.channel, q.channel));
  if (q.tag) {
    // EXISTS, not IN: a primary-key probe per row walked in activity order, so a page of a common
    // tag stops early instead of first collecting every conversation that has it.
    where.push(exists(db.select({ one: sql`1` }).from(ct).where(and(eq(ct.accountId, accountId), eq(ct.tag, q.tag), eq(ct.conversationId, conversations.id)))));
  }
  if (q.address || q.identity) {
    const member = q.address ? eq(cp.address, q.address) : eq(cp.identity, q.identity!);
    where.push(inArray(conversations.id, db.select({ id: cp.conversationId }).from(cp).where(and(eq(cp.accountId, accountId), member))));
  }
  if (q.created_after) where.push(gt(conversations.createdAt, Date.parse(q.created_after)));
  if (q.created_before) where.push(lt(conversations.createdAt, Date.parse(q.created_before)));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, ActivityCursor);
    where.push(or(lt(conversations.lastActivityAt, at), and(eq(conversations.lastActivityAt, at), lt(conversations.id, id))));
  }
  const rows = await db
    .select({ id: conversations.id, at: conversations.lastActivityAt, resource: conversations.resource })
    .from(conversations)
    .where(and(...where))
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(q.limit + 1);
  const pageRows = rows.slice(0, q.limit);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map((r) => JSON.parse(r.resource) as Conversation),
    next_cursor: rows.length > q.limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}
