import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Conversation, InboxEntry } from "../../contract/conversation";
import { unreadCount } from "../../conversation/rows";
import { conversationParticipants as cp, conversations } from "../schema";
import { activityPage, afterCursor, byActivity } from "./activity-page";

/** Whose inbox: an identity of an account, maybe seen only through some of its conversations. */
export type InboxScope = { accountId: string; identity: string; conversations: string[] | null };

/** The conversations a chat identity is in, latest activity first, with its read horizon in each. */
export async function inboxOf(
  database: D1Database,
  scope: InboxScope,
  { limit, cursor }: { limit: number; cursor?: string | undefined },
): Promise<{ data: InboxEntry[]; next_cursor: string | null }> {
  const where = [eq(cp.accountId, scope.accountId), eq(cp.identity, scope.identity)];
  if (scope.conversations) where.push(inArray(cp.conversationId, scope.conversations));
  const after = afterCursor(cursor);
  if (after) where.push(after);
  const rows = await drizzle(database)
    .select({ participantId: cp.id, lastRead: cp.lastReadIndex, count: conversations.messageCount, at: conversations.lastActivityAt, id: conversations.id, resource: conversations.resource })
    .from(cp)
    .innerJoin(conversations, eq(conversations.id, cp.conversationId))
    .where(and(...where))
    .orderBy(...byActivity)
    .limit(limit + 1);
  const page = activityPage(rows, limit);
  return {
    data: page.rows.map((r) => ({
      ...(JSON.parse(r.resource) as Conversation),
      participant_id: r.participantId,
      last_read_index: r.lastRead,
      unread_count: unreadCount(r.count, r.lastRead),
    })),
    next_cursor: page.next_cursor,
  };
}
