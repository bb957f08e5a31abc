import { and, asc, eq, exists, inArray, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alias } from "drizzle-orm/sqlite-core";
import { checkAddress, type ExternalChannel } from "../../channels/registry";
import { addressKey, type ContactAddress } from "../../contract/contact";
import { LIMITS } from "../../lib/limits";
import { fail } from "../../lib/problem";
import { contactAddresses as ca, contacts } from "../schema";
import { among, insertContact, live, newRow, ofAccount, ownersOf, type Db } from "./contact-rows";

/**
 * Contacts by address: the contact an inbound message's sender is (created if new, joined to the
 * contact that has the same number on another phone channel), addresses given to contacts by
 * participants that name them and taken back, and a contact's address on another channel (for
 * fallback). The contacts API's own queries are contacts.ts.
 */

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
