import { and, asc, eq, gt, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { conversations, messages } from "../db/schema";
import { listingFilters, type ListingFilters } from "../db/queries/conversations";

/**
 * What a bulk export reads from D1: the account's conversations matching the listing's filters, in
 * creation order (created_at, id), which nothing changes while the export runs, unlike the listing's
 * activity order; then each one's messages by index. Both by index ranges, so a step reads only
 * what it writes. Rows keep the projection's JSON as it is.
 */

export type Range = { from: number | null; to: number };
export type ConversationRef = { id: string; created_at: number };

export async function conversationsAfter(
  database: D1Database,
  accountId: string,
  filters: ListingFilters,
  range: Range,
  after: ConversationRef | null,
  limit: number,
): Promise<(ConversationRef & { resource: string })[]> {
  const where: (SQL | undefined)[] = [...listingFilters(database, accountId, filters), lt(conversations.createdAt, range.to)];
  if (range.from !== null) where.push(gte(conversations.lastActivityAt, range.from));
  if (after) where.push(or(gt(conversations.createdAt, after.created_at), and(eq(conversations.createdAt, after.created_at), gt(conversations.id, after.id))));
  return drizzle(database)
    .select({ id: conversations.id, created_at: conversations.createdAt, resource: conversations.resource })
    .from(conversations)
    .where(and(...where))
    .orderBy(asc(conversations.createdAt), asc(conversations.id))
    .limit(limit);
}

/** One conversation's messages in the range after `afterIndex`, by index (messages_conversation_index). */
export async function messagesAfter(database: D1Database, accountId: string, conversationId: string, range: Range, afterIndex: number, limit: number): Promise<{ index: number; resource: string }[]> {
  const where: (SQL | undefined)[] = [
    eq(messages.conversationId, conversationId),
    gt(messages.index, afterIndex),
    // Unary +: checked on the rows, never an index to walk instead (messages_account would read the account's messages).
    sql`+${messages.accountId} = ${accountId}`,
    sql`+${messages.createdAt} < ${range.to}`,
  ];
  if (range.from !== null) where.push(sql`+${messages.createdAt} >= ${range.from}`);
  return drizzle(database)
    .select({ index: messages.index, resource: messages.resource })
    .from(messages)
    .where(and(...where))
    .orderBy(asc(messages.index))
    .limit(limit);
}
