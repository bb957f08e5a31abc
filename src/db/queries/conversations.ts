import { and, eq, exists, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { normalizeRef } from "../../channels/registry";
import { LIMITS } from "../../lib/limits";
import type { Conversation, ListConversationsQuery } from "../../contract/conversation";
import { contactAddresses as ca, conversationParticipants as cp, conversationTags as ct, conversations } from "../schema";
import { activityPage, afterCursor, byActivity } from "./activity-page";

/**
 * The query behind the listing: a page (and one row more) of an account's conversations matching
 * the filters, latest activity first. Exported so a test can ask SQLite how it plans it.
 */
export function listingQuery(database: D1Database, accountId: string, q: ListConversationsQuery) {
  return drizzle(database)
    .select({ id: conversations.id, at: conversations.lastActivityAt, resource: conversations.resource })
    .from(conversations)
    .where(and(...listingFilters(database, accountId, q), afterCursor(q.cursor)))
    .orderBy(...byActivity)
    .limit(q.limit + 1);
}

/** The listing's filters without its order and page: what a bulk export (src/export) walks in an order of its own. */
export type ListingFilters = Omit<ListConversationsQuery, "limit" | "cursor">;

/** The conditions on `conversations` that the filters make, the account's first. */
export function listingFilters(database: D1Database, accountId: string, q: ListingFilters): (SQL | undefined)[] {
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
    where.push(inArray(conversations.id, conversationsAtContacts(database, accountId, eq(ca.contactId, q.contact_id))));
  }
  if (q.q !== undefined) {
    // The matches of `q` are collected from indexes (see matchingQ) and the rows read by primary key,
    // as for a contact: + keeps the walk over the account's conversations in activity order away.
    where[0] = sql`+${conversations.accountId} = ${accountId}`;
    where.push(matchingQ(database, accountId, q.q));
  }
  if (q.created_after) where.push(gt(conversations.createdAt, Date.parse(q.created_after)));
  if (q.created_before) where.push(lt(conversations.createdAt, Date.parse(q.created_before)));
  return where;
}

/**
 * The ids of the account's conversations with a participant at an address of the contacts that
 * `contacts` (a condition on contact_addresses' contact_id) picks, as the contacts are now: the
 * listing's `contact_id`, its `q`, and search's `contact_id` filter. Planned from the contacts'
 * addresses (see listingQuery): CROSS JOIN keeps contact_addresses the outer loop, unary + keeps its
 * account condition off its account indexes, each address then one participants_address lookup.
 */
export function conversationsAtContacts(database: D1Database, accountId: string, contacts: SQL | undefined) {
  return drizzle(database)
    .select({ id: cp.conversationId })
    .from(ca)
    .crossJoin(cp)
    .where(and(contacts, sql`+${ca.accountId} = ${accountId}`, eq(cp.accountId, accountId), eq(cp.address, ca.address), eq(cp.channel, ca.channel)));
}

/** The bounds of the account's documents in a search index (migrations/0014_search.sql); an empty range for an account with none. */
const accountRange = (accountId: string) => ({
  lo: sql`coalesce((SELECT n * 1099511627776 FROM search_accounts WHERE account_id = ${accountId}), 0)`,
  hi: sql`coalesce((SELECT n * 1099511627776 + 1099511627775 FROM search_accounts WHERE account_id = ${accountId}), -1)`,
});

/** Everything from `p` on, in SQLite's binary order of UTF-8 text: a prefix as an index range. */
const startsWith = (column: SQL, p: string) => sql`(${column} >= ${p} AND ${column} < ${p} || char(1114111))`;

/**
 * `q` on the listing: the account's conversations whose names or subject (search_names, kept by
 * triggers on conversations), or whose participants (addresses and identities by prefix, or contacts
 * by name or address prefix, joined as for `contact_id`), match. Every part is an index lookup: the
 * names' FTS5 table within the account's rowid range (with prefix indexes for one to three
 * characters), participants_address, participants_identity and contact_addresses_address by range;
 * so the cost follows the number of matches in the account, never its size or other accounts'.
 */
function matchingQ(database: D1Database, accountId: string, q: string): SQL {
  const db = drizzle(database);
  // Words as the names index cuts them (unicode61: letters, digits and marks), each the start of a word.
  const words = (q.match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).slice(0, LIMITS.searchTerms);
  const { lo, hi } = accountRange(accountId);
  const named = (kind: "conversation" | "contact") =>
    // + keeps SQLite from walking the (kind, ref) index, every account's documents of that kind: rows come by doc.
    sql`(SELECT ref FROM search_name_docs WHERE +kind = ${kind} AND doc IN
      (SELECT rowid FROM search_names WHERE search_names MATCH ${words.map((w) => `"${w}"*`).join(" AND ")} AND rowid BETWEEN ${lo} AND ${hi}))`;
  // Addresses are stored normalised (E.164, lowercase email): a number typed with spaces or dashes is
  // read as its digits, with the + an E.164 number starts with if it was left out.
  const typed = q.trim();
  const digits = /^\+?[\d\s().-]+$/.test(typed) ? typed.replace(/[^\d]/g, "") : undefined;
  const prefix = digits !== undefined ? (digits === "" ? undefined : `+${digits}`) : /[\p{L}\p{N}]/u.test(typed) ? typed.toLowerCase() : undefined;
  const parts: SQL[] = [];
  const contacts: SQL[] = [];
  if (prefix !== undefined) {
    parts.push(inArray(conversations.id, db.select({ id: cp.conversationId }).from(cp).where(and(eq(cp.accountId, accountId), startsWith(sql`${cp.address}`, prefix)))));
    contacts.push(inArray(ca.contactId, db.select({ id: ca.contactId }).from(ca).where(and(eq(ca.accountId, accountId), startsWith(sql`${ca.address}`, prefix)))));
  }
  if (/^\S+$/u.test(typed)) {
    parts.push(inArray(conversations.id, db.select({ id: cp.conversationId }).from(cp).where(and(eq(cp.accountId, accountId), startsWith(sql`${cp.identity}`, typed)))));
  }
  if (words.length > 0) {
    parts.push(sql`${conversations.id} IN ${named("conversation")}`);
    contacts.push(sql`${ca.contactId} IN ${named("contact")}`);
  }
  if (contacts.length > 0) parts.push(inArray(conversations.id, conversationsAtContacts(database, accountId, or(...contacts))));
  // Nothing in q that any of them could match (punctuation only): nothing matches.
  return parts.length === 0 ? sql`0` : or(...parts)!;
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
