import { and, eq, exists, gt, inArray, lt, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { normalizeRef } from "../../channels/registry";
import type { Conversation, ListConversationsQuery } from "../../contract/conversation";
import { contactAddresses as ca, conversationParticipants as cp, conversationTags as ct, conversations } from "../schema";
import { activityPage, afterCursor, byActivity } from "./activity-page";

/**
 * The query behind the listing: a page (and one row more) of an account's conversations matching
 * the filters, latest activity first. Exported so a test can ask SQLite how it plans it.
 */
export function listingQuery(database: D1Database, accountId: string, q: ListConversationsQuery) {
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
  if (q.contact_id !== undefined) {
    // One person's conversations are few, so they are collected from the contact's addresses as
    // they are now, and only those rows are read and sorted; walking the account's conversations
    // in activity order and probing each (as for a tag) would read the whole account for a contact
    // with a handful. Left to itself, SQLite picks that walk, and for the subquery a pass over the
    // account's participants probing contact_addresses, so the plan is pinned (test/contact-filter):
    // unary + keeps the account conditions, still checked, off conversations_activity (the rows come
    // by primary key from the list) and off contact_addresses' account indexes, and CROSS JOIN keeps
    // contact_addresses (by contact_addresses_contact) the outer loop, each of the contact's
    // addresses then one participants_address lookup. Joined at read time, so a merge
    // or a new address shows at once, with no conversation rewritten.
    where[0] = sql`+${conversations.accountId} = ${accountId}`;
    const atContact = db
      .select({ id: cp.conversationId })
      .from(ca)
      .crossJoin(cp)
      .where(and(eq(ca.contactId, q.contact_id), sql`+${ca.accountId} = ${accountId}`, eq(cp.accountId, accountId), eq(cp.address, ca.address), eq(cp.channel, ca.channel)));
    where.push(inArray(conversations.id, atContact));
  }
  if (q.created_after) where.push(gt(conversations.createdAt, Date.parse(q.created_after)));
  if (q.created_before) where.push(lt(conversations.createdAt, Date.parse(q.created_before)));
  where.push(afterCursor(q.cursor));
  return db
    .select({ id: conversations.id, at: conversations.lastActivityAt, resource: conversations.resource })
    .from(conversations)
    .where(and(...where))
    .orderBy(...byActivity)
    .limit(q.limit + 1);
}

/** Conversations of an account matching the filters, latest activity first (see activity-page.ts). */
export async function listConversations(
  database: D1Database,
  accountId: string,
  q: ListConversationsQuery,
): Promise<{ data: Conversation[]; next_cursor: string | null }> {
  const page = activityPage(await listingQuery(database, accountId, q), q.limit);
  return { data: page.rows.map((r) => JSON.parse(r.resource) as Conversation), next_cursor: page.next_cursor };
}
