import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { ExternalChannel } from "../../channels/registry";
import { addressKey, type Contact, type ContactAddress } from "../../contract/contact";
import { newId } from "../../lib/ids";
import { contactAddresses as ca, contacts } from "../schema";

/**
 * What the contact queries share: the row and its rendering, the conditions they are built from,
 * and `giving`, the one way addresses are given. An address is one contact's per account because
 * (account, channel, address) is the primary key of contact_addresses: every write that gives a
 * contact addresses runs in one D1 batch, which D1 rolls back whole when that key refuses a row, so a
 * refused create or update leaves nothing behind, and nothing half-made is ever visible to another
 * request. Used by contacts.ts (the contacts API) and contact-addresses.ts (finding and linking a
 * contact by address).
 */

export type Db = DrizzleD1Database;
export type ContactRow = typeof contacts.$inferSelect;

/** What a write that gives addresses reports when some are another contact's. */
export type Taken = { taken: number[] };

const iso = (ms: number) => new Date(ms).toISOString();
export const ofAccount = (accountId: string, id: string) => and(eq(contacts.accountId, accountId), eq(contacts.id, id));
export const live = isNull(contacts.mergedInto);
/** The listed addresses of the account, as one condition on contact_addresses. */
export const among = (accountId: string, addresses: ContactAddress[]) =>
  and(eq(ca.accountId, accountId), or(...addresses.map((a) => and(eq(ca.channel, a.channel), eq(ca.address, a.address)))));

export function render(row: ContactRow, addresses: ContactAddress[]): Contact {
  return {
    id: row.id,
    name: row.name,
    addresses,
    attributes: JSON.parse(row.attributes) as Contact["attributes"],
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function newRow(accountId: string, name: string | null, attributes: Record<string, unknown>): ContactRow {
  const now = Date.now();
  return { id: newId("contact"), accountId, name, attributes: JSON.stringify(attributes), createdAt: now, updatedAt: now, mergedInto: null };
}

/** The addresses of these contacts, each contact's in the order they were given it. */
export async function addressesOf(db: Db, contactIds: string[]): Promise<Map<string, ContactAddress[]>> {
  const byContact = new Map<string, ContactAddress[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return byContact;
  const rows = await db
    .select({ contactId: ca.contactId, channel: ca.channel, address: ca.address })
    .from(ca)
    .where(inArray(ca.contactId, contactIds))
    .orderBy(asc(ca.createdAt), asc(sql`rowid`));
  for (const r of rows) byContact.get(r.contactId)?.push({ channel: r.channel as ExternalChannel, address: r.address });
  return byContact;
}

/** Who owns each of these addresses now, keyed by channel and address. */
export async function ownersOf(db: Db, accountId: string, addresses: ContactAddress[]): Promise<Map<string, string>> {
  const rows = await db.select({ channel: ca.channel, address: ca.address, contactId: ca.contactId }).from(ca).where(among(accountId, addresses));
  return new Map(rows.map((r) => [addressKey({ channel: r.channel as ExternalChannel, address: r.address }), r.contactId]));
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed/.test(e.message)) return true;
  return false;
}

/**
 * Runs `write`, a batch that gives `contactId` the `addresses`. Null when it committed; when the
 * primary key refused one, the batch is rolled back and the result names the addresses another
 * contact holds. An owner gone again by the time it is looked up (deleted, merged) leaves nothing to
 * report, so the write is tried again.
 */
export async function giving(db: Db, accountId: string, contactId: string, addresses: ContactAddress[], write: () => Promise<unknown>) {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return null;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt === 3) throw error;
    }
    const owners = await ownersOf(db, accountId, addresses);
    const taken = addresses.flatMap((a, i) => (owners.has(addressKey(a)) && owners.get(addressKey(a)) !== contactId ? [i] : []));
    if (taken.length > 0) return { taken, owners };
  }
}

/** Inserts the contact with its addresses, all or nothing. */
export async function insertContact(db: Db, row: ContactRow, addresses: ContactAddress[]) {
  const given = addresses.map((a) => ({ accountId: row.accountId, ...a, contactId: row.id, createdAt: row.createdAt }));
  return giving(db, row.accountId, row.id, addresses, () => db.batch([db.insert(contacts).values(row), db.insert(ca).values(given)]));
}

