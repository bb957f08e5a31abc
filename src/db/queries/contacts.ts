import { z } from "@hono/zod-openapi";
import { and, desc, eq, exists, inArray, isNull, lt, notExists, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alias } from "drizzle-orm/sqlite-core";
import { normalizeRef } from "../../channels/registry";
import type { Contact, CreateContact, ListContactsQuery, UpdateContact } from "../../contract/contact";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { contactAddresses as ca, contacts } from "../schema";
import { addressesOf, among, giving, insertContact, live, newRow, ofAccount, render, type Taken } from "./contact-rows";

export type { Taken } from "./contact-rows";

/**
 * The contacts API's queries: find, list, create, update, delete and merge contacts. Every write
 * that gives addresses goes through `giving` (contact-rows.ts), so a refused one leaves nothing
 * behind. Finding a contact by an address, and linking addresses to contacts, is contact-addresses.ts.
 */

/** One contact of the account: the contact, the id it was merged into, or undefined when there is none. */
export async function findContact(database: D1Database, accountId: string, id: string): Promise<Contact | { mergedInto: string } | undefined> {
  const db = drizzle(database);
  const row = await db.select().from(contacts).where(ofAccount(accountId, id)).get();
  if (row === undefined) return undefined;
  if (row.mergedInto !== null) return { mergedInto: row.mergedInto };
  return render(row, (await addressesOf(db, [id])).get(id)!);
}

/** The account's live contacts, newest first (ids are ULIDs), keyed by the last id. */
export async function listContacts(database: D1Database, accountId: string, q: ListContactsQuery): Promise<{ data: Contact[]; next_cursor: string | null }> {
  const db = drizzle(database);
  const where: (SQL | undefined)[] = [eq(contacts.accountId, accountId), live];
  if (q.address !== undefined) {
    // Addresses are stored in the registry's normal form, so the filter is put in it too.
    const owned = and(eq(ca.accountId, accountId), eq(ca.address, normalizeRef(q.address)), q.channel ? eq(ca.channel, q.channel) : undefined);
    where.push(inArray(contacts.id, db.select({ id: ca.contactId }).from(ca).where(owned)));
  } else if (q.channel) {
    where.push(exists(db.select({ one: sql`1` }).from(ca).where(and(eq(ca.contactId, contacts.id), eq(ca.channel, q.channel)))));
  }
  if (q.cursor !== undefined) where.push(lt(contacts.id, decodeCursor(q.cursor, z.string())));
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(desc(contacts.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const addresses = await addressesOf(db, page.map((r) => r.id));
  const last = page.at(-1);
  return { data: page.map((r) => render(r, addresses.get(r.id)!)), next_cursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
}

/** Creates a contact; or, when some of its addresses are another contact's, creates nothing and says which. */
export async function createContact(database: D1Database, accountId: string, input: CreateContact): Promise<Contact | Taken> {
  const row = newRow(accountId, input.name ?? null, input.attributes ?? {});
  const refused = await insertContact(drizzle(database), row, input.addresses);
  return refused ? { taken: refused.taken } : render(row, input.addresses);
}

/**
 * Applies an update to a live contact in one batch: its fields, then the removals, then the
 * additions. Each addition is an INSERT … SELECT from the contact's own live row, so a contact
 * deleted or merged meanwhile gets no addresses, and one the contact already has is skipped.
 * Undefined when the contact is gone; `taken` indexes into `add_addresses` when some of those are
 * another contact's (and then nothing changed).
 */
export async function updateContact(database: D1Database, accountId: string, id: string, u: UpdateContact): Promise<Contact | Taken | undefined> {
  const db = drizzle(database);
  const now = Date.now();
  const changes = {
    updatedAt: now,
    ...(u.name !== undefined && { name: u.name }),
    ...(u.attributes !== undefined && { attributes: JSON.stringify(u.attributes) }),
  };
  const add = u.add_addresses ?? [];
  const remove = u.remove_addresses?.length ? [db.delete(ca).where(and(eq(ca.contactId, id), among(accountId, u.remove_addresses)))] : [];
  const additions = add.map((a) => {
    const held = db.select({ one: sql`1` }).from(ca).where(and(among(accountId, [a]), eq(ca.contactId, id)));
    const fields = { channel: sql<string>`${a.channel}`.as("channel"), address: sql<string>`${a.address}`.as("address") };
    return db.insert(ca).select(
      db
        .select({ accountId: contacts.accountId, ...fields, contactId: contacts.id, createdAt: sql<number>`${now}`.as("created_at") })
        .from(contacts)
        .where(and(ofAccount(accountId, id), live, notExists(held))),
    );
  });
  let updated = false;
  const write = async () => {
    const [rows] = await db.batch([db.update(contacts).set(changes).where(and(ofAccount(accountId, id), live)).returning({ id: contacts.id }), ...remove, ...additions]);
    updated = rows.length > 0;
  };
  const refused = await giving(db, accountId, id, add, write);
  if (refused) return { taken: refused.taken };
  if (!updated) return undefined;
  const found = await findContact(database, accountId, id);
  return found && "id" in found ? found : undefined;
}

/** Deletes a live contact, its addresses and the contacts merged into it (by cascade); false when there is none. */
export async function deleteContact(database: D1Database, accountId: string, id: string): Promise<boolean> {
  const deleted = await drizzle(database)
    .delete(contacts)
    .where(and(ofAccount(accountId, id), live))
    .returning({ id: contacts.id });
  return deleted.length > 0;
}

/**
 * Merges `fromId` into `targetId`, both live contacts of the account, in one batch: every address
 * of `from` moves to the target, contacts merged into `from` earlier now point at the target (so a
 * merged id always names the survivor), the target takes `from`'s name if it has none, and `from`
 * is marked merged. Every statement is guarded by both being live, so a merge racing a delete or
 * another merge does all of it or none. False when either was not live.
 */
export async function mergeContacts(database: D1Database, accountId: string, targetId: string, fromId: string): Promise<boolean> {
  const db = drizzle(database);
  const other = alias(contacts, "other");
  const isLive = (id: string) =>
    exists(db.select({ one: sql`1` }).from(other).where(and(eq(other.accountId, accountId), eq(other.id, id), isNull(other.mergedInto))));
  const bothLive = and(isLive(targetId), isLive(fromId));
  const now = Date.now();
  const fromName = db.select({ name: other.name }).from(other).where(eq(other.id, fromId));
  const [, , , marked] = await db.batch([
    db.update(ca).set({ contactId: targetId }).where(and(eq(ca.accountId, accountId), eq(ca.contactId, fromId), bothLive)),
    db.update(contacts).set({ mergedInto: targetId }).where(and(eq(contacts.mergedInto, fromId), bothLive)),
    db
      .update(contacts)
      .set({ name: sql`coalesce(${contacts.name}, (${fromName}))`, updatedAt: now })
      .where(and(eq(contacts.id, targetId), bothLive)),
    db
      .update(contacts)
      .set({ mergedInto: targetId, updatedAt: now })
      .where(and(ofAccount(accountId, fromId), live, isLive(targetId)))
      .returning({ id: contacts.id }),
  ]);
  return marked.length > 0;
}

/** Several contacts of the account at once, by id: each the contact or the id it was merged into; unknown ids are absent. */
export async function findContacts(database: D1Database, accountId: string, ids: string[]): Promise<Map<string, Contact | { mergedInto: string }>> {
  const found = new Map<string, Contact | { mergedInto: string }>();
  if (ids.length === 0) return found;
  const db = drizzle(database);
  const rows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, ids)));
  const addresses = await addressesOf(db, rows.filter((r) => r.mergedInto === null).map((r) => r.id));
  for (const r of rows) found.set(r.id, r.mergedInto !== null ? { mergedInto: r.mergedInto } : render(r, addresses.get(r.id)!));
  return found;
}

