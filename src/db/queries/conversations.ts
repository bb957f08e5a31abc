import { and, eq, exists, gt, inArray, lt, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { normalizeRef } from "../../channels/registry";
import type { Conversation, ListConversationsQuery } from "../../contract/conversation";
import { conversationParticipants as cp, conversationTags as ct, conversations } from "../schema";
import { activityPage, afterCursor, byActivity } from "./activity-page";

/** Conversations of an account matching the filters, latest activity first (see activity-page.ts). */
export async function listConversations(
  database: D1Database,
  accountId: string,
  q: ListConversationsQuery,
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
  // Addresses are stored in the channel registry's normal form, so the filter is put in it too.
  const members = [
    q.address !== undefined ? eq(cp.address, normalizeRef(q.address)) : undefined,
    q.identity !== undefined ? eq(cp.identity, q.identity) : undefined,
  ];
  for (const member of members) {
    if (member) where.push(inArray(conversations.id, db.select({ id: cp.conversationId }).from(cp).where(and(eq(cp.accountId, accountId), member))));
  }
  if (q.created_after) where.push(gt(conversations.createdAt, Date.parse(q.created_after)));
  if (q.created_before) where.push(lt(conversations.createdAt, Date.parse(q.created_before)));
  where.push(afterCursor(q.cursor));
  const rows = await db
    .select({ id: conversations.id, at: conversations.lastActivityAt, resource: conversations.resource })
    .from(conversations)
    .where(and(...where))
    .orderBy(...byActivity)
    .limit(q.limit + 1);
  const page = activityPage(rows, q.limit);
  return { data: page.rows.map((r) => JSON.parse(r.resource) as Conversation), next_cursor: page.next_cursor };
}
