import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, exists, inArray, isNull, lt, notExists, or, sql, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { alias } from "drizzle-orm/sqlite-core";
import { checkAddress, normalizeRef, type ExternalChannel } from "../../channels/registry";
import { addressKey, type Contact, type ContactAddress, type CreateContact, type ListContactsQuery, type UpdateContact } from "../../contract/contact";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { fail } from "../../lib/problem";
import { contactAddresses as ca, contacts } from "../schema";

/**
 * Contacts and their addresses. An address is one contact's per account because (account, channel,
 * address) is the primary key of contact_addresses: every write that gives a contact addresses runs
 * in one D1 batch, which D1 rolls back whole when that key refuses a row, so a refused create or
 * update leaves nothing behind, and nothing half-made is ever visible to another request.
 */

type Db = DrizzleD1Database;
type ContactRow = typeof contacts.$inferSelect;

/** What a write that gives addresses reports when some are another contact's. */
export type Taken = { taken: number[] };

const iso = (ms: number) => new Date(ms).toISOString();
const ofAccount = (accountId: string, id: string) => and(eq(contacts.accountId, accountId), eq(contacts.id, id));
const live = isNull(contacts.mergedInto);
/** The listed addresses of the account, as one condition on contact_addresses. */
const among = (accountId: string, addresses: ContactAddress[]) =>
  and(eq(ca.accountId, accountId), or(...addresses.map((a) => and(eq(ca.channel, a.channel), eq(ca.address, a.address)))));

function render(row: ContactRow, addresses: ContactAddress[]): Contact {
  return {
    id: row.id,
    name: row.name,
    addresses,
    attributes: JSON.parse(row.attributes) as Contact["attributes"],
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

function newRow(accountId: string, name: string | null, attributes: Record<string, unknown>): ContactRow {
  const now = Date.now();
  return { id: newId("contact"), accountId, name, attributes: JSON.stringify(attributes), createdAt: now, updatedAt: now, mergedInto: null };
}

/** The addresses of these contacts, each contact's in the order they were given it. */
async function addressesOf(db: Db, contactIds: string[]): Promise<Map<string, ContactAddress[]>> {
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
async function ownersOf(db: Db, accountId: string, addresses: ContactAddress[]): Promise<Map<string, string>> {
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
async function giving(db: Db, accountId: string, contactId: string, addresses: ContactAddress[], write: () => Promise<unknown>) {
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

/** Inserts the contact with its addresses, all or nothing. */
async function insertContact(db: Db, row: ContactRow, addresses: ContactAddress[]) {
  const given = addresses.map((a) => ({ accountId: row.accountId, ...a, contactId: row.id, createdAt: row.createdAt }));
  return giving(db, row.accountId, row.id, addresses, () => db.batch([db.insert(contacts).values(row), db.insert(ca).values(given)]));
}

/** Creates a contact; or, when some of its addresses are another contact's, creates nothing and says which. */
export async function createContact(database: D1Database, accountId: string, input: CreateContact): Promise<Contact | Taken> {
  const row = newRow(accountId, input.name ?? null, input.attributes ?? {});
  const refused = await insertContact(drizzle(database), row, input.addresses);
  return refused ? { taken: refused.taken } : render(row, input.addresses);
}

/**
 * The contact that owns (channel, address), created with that address if there is none: what an
 * inbound webhook calls for its sender. `address` is normalised here (an invalid one is a 400, as
 * for any malformed payload); `profileName` names a contact it creates, never an existing one.
 *
 * Race-safe: two webhooks from a new person both miss the look-up and both insert; the contact row
 * and its address go in one batch, so the loser's batch is refused by the address key and rolled
 * back whole (no orphan contact without an address), and the loser answers with the winner's id.
 */
export async function resolveContact(
  db: D1Database,
  accountId: string,
  channel: ExternalChannel,
  address: string,
  profileName?: string,
): Promise<{ contactId: string; created: boolean }> {
  const checked = checkAddress(channel, address);
  if (!checked.ok) throw fail.badRequest(checked.message);
  const at: ContactAddress = { channel, address: checked.address };
  const orm = drizzle(db);
  const owner = await orm.select({ id: ca.contactId }).from(ca).where(among(accountId, [at])).get();
  if (owner) return { contactId: owner.id, created: false };
  const sibling = await phoneSibling(orm, accountId, at);
  if (sibling) return { contactId: sibling, created: false };
  const name = [...(profileName?.trim() ?? "")].slice(0, LIMITS.contactNameChars).join("") || null;
  const row = newRow(accountId, name, {});
  const refused = await insertContact(orm, row, [at]);
  return refused ? { contactId: refused.owners.get(addressKey(at))!, created: false } : { contactId: row.id, created: true };
}

/** Channels on which an address is a phone number: one number is one person on all of them. */
const PHONE_CHANNELS: readonly ExternalChannel[] = ["sms", "mms", "whatsapp"];

/**
 * A number writing on SMS, MMS or WhatsApp for the first time joins the contact that has it on
 * another of them (WhatsApp ids are phone numbers): the person who wrote on WhatsApp and follows up
 * by SMS is one contact, so one thread. The address is added to that contact; if a concurrent
 * request added it first (to that contact or, through the API, to another), its owner is the answer.
 */
async function phoneSibling(orm: Db, accountId: string, at: ContactAddress): Promise<string | undefined> {
  if (!PHONE_CHANNELS.includes(at.channel)) return undefined;
  const others = PHONE_CHANNELS.filter((c) => c !== at.channel).map((channel) => ({ channel, address: at.address }));
  const sibling = await orm.select({ id: ca.contactId }).from(ca).where(among(accountId, others)).orderBy(asc(ca.createdAt)).get();
  if (!sibling) return undefined;
  await orm.insert(ca).values({ accountId, ...at, contactId: sibling.id, createdAt: Date.now() }).onConflictDoNothing();
  return (await orm.select({ id: ca.contactId }).from(ca).where(among(accountId, [at])).get())?.id ?? sibling.id;
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

/** One address to give one contact. */
export type Link = { contactId: string; address: ContactAddress };

/**
 * What giving a contact an address came to: added now, `held` (the contact had it already), another
 * contact's (`owner`), refused because the contact has as many addresses as it may (`full`), or the
 * contact is no longer live (`gone`: deleted or merged away).
 */
export type Linked = "added" | "held" | "full" | "gone" | { owner: string };

/**
 * Gives contacts one address each (what a participant naming its contact with an address does), in
 * one batch. Each is an INSERT … SELECT from the contact's live row while it has fewer addresses than
 * the limit, doing nothing when the address key is taken, so no link refuses another; what each one
 * came to is read back afterwards. An address freed again before that read (its owner deleted or
 * merged) is tried again.
 */
export async function linkAddresses(database: D1Database, accountId: string, links: Link[]): Promise<Linked[]> {
  const db = drizzle(database);
  const results: (Linked | undefined)[] = links.map(() => undefined);
  const held = alias(ca, "held");
  /** How many addresses the contact of the enclosing row has. */
  const addressCount = () => db.select({ n: sql`count(*)` }).from(held).where(eq(held.contactId, contacts.id));
  for (let attempt = 1; ; attempt++) {
    const pending = links.flatMap((_, i) => (results[i] === undefined ? [i] : []));
    if (pending.length === 0) return results as Linked[];
    if (attempt > 3) throw new Error("contact addresses kept changing hands while being linked");
    const now = Date.now();
    const inserts = pending.map((i) => {
      const { contactId, address: a } = links[i]!;
      const fields = { channel: sql<string>`${a.channel}`.as("channel"), address: sql<string>`${a.address}`.as("address") };
      return db
        .insert(ca)
        .select(
          db
            .select({ accountId: contacts.accountId, ...fields, contactId: contacts.id, createdAt: sql<number>`${now}`.as("created_at") })
            .from(contacts)
            .where(and(ofAccount(accountId, contactId), live, sql`(${addressCount()}) < ${LIMITS.contactAddresses}`)),
        )
        .onConflictDoNothing()
        .returning({ contactId: ca.contactId });
    });
    const [first, ...rest] = inserts;
    const inserted = await db.batch([first!, ...rest]);
    pending.forEach((i, k) => {
      if (inserted[k]!.length > 0) results[i] = "added";
    });
    const unsettled = pending.filter((i) => results[i] === undefined);
    if (unsettled.length === 0) continue;
    const owners = await ownersOf(db, accountId, unsettled.map((i) => links[i]!.address));
    const ids = [...new Set(unsettled.map((i) => links[i]!.contactId))];
    const counts = new Map(
      (
        await db
          .select({ id: contacts.id, n: sql<number>`(${addressCount()})` })
          .from(contacts)
          .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, ids), live))
      ).map((r) => [r.id, r.n]),
    );
    for (const i of unsettled) {
      const { contactId, address } = links[i]!;
      const owner = owners.get(addressKey(address));
      const n = counts.get(contactId);
      if (owner === contactId) results[i] = "held";
      else if (owner !== undefined) results[i] = { owner };
      else if (n === undefined) results[i] = "gone";
      else if (n >= LIMITS.contactAddresses) results[i] = "full";
      // Otherwise the address was freed meanwhile: tried again.
    }
  }
}

/**
 * Takes back addresses `linkAddresses` added, when what they were added for failed. A contact keeps
 * one address at least, so one whose other addresses were removed meanwhile keeps this one.
 */
export async function unlinkAddresses(database: D1Database, accountId: string, links: Link[]): Promise<void> {
  if (links.length === 0) return;
  const db = drizzle(database);
  const other = alias(ca, "other");
  const deletes = links.map(({ contactId, address }) =>
    db.delete(ca).where(
      and(
        among(accountId, [address]),
        eq(ca.contactId, contactId),
        exists(
          db
            .select({ one: sql`1` })
            .from(other)
            .where(and(eq(other.contactId, contactId), or(sql`${other.channel} <> ${address.channel}`, sql`${other.address} <> ${address.address}`))),
        ),
      ),
    ),
  );
  const [first, ...rest] = deletes;
  await db.batch([first!, ...rest]);
}

/**
 * Where the person at `home` is reached on `channel`: the address on that channel of the contact
 * that owns `home` (its oldest, if several); undefined when there is none. What fallback to a
 * channel the participant was not added on looks up.
 */
export async function contactAddressOn(database: D1Database, accountId: string, home: ContactAddress, channel: ExternalChannel): Promise<string | undefined> {
  const owner = alias(ca, "owner");
  const row = await drizzle(database)
    .select({ address: ca.address })
    .from(ca)
    .innerJoin(owner, and(eq(owner.accountId, ca.accountId), eq(owner.contactId, ca.contactId)))
    .where(and(eq(owner.accountId, accountId), eq(owner.channel, home.channel), eq(owner.address, home.address), eq(ca.channel, channel)))
    .orderBy(asc(ca.createdAt))
    .get();
  return row?.address;
}
