import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray, like, ne, or, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { ChannelType } from "../../contract/channel";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { channels } from "../schema";

/** A channel as stored: credentials still sealed. */
export type ChannelRow = typeof channels.$inferSelect;

/** A channel by id alone: inbound webhooks name their channel in the URL and carry no API key. */
export async function channelById(database: D1Database, id: string): Promise<ChannelRow | undefined> {
  return drizzle(database).select().from(channels).where(eq(channels.id, id)).get();
}

/** One of the account's channels; another account's is as unknown as a missing one. */
export async function accountChannel(database: D1Database, accountId: string, id: string): Promise<ChannelRow | undefined> {
  return drizzle(database)
    .select()
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.id, id)))
    .get();
}

/** The account's channels in the order they were connected (ids are ULIDs), keyed by the last id. */
export async function listChannelRows(
  database: D1Database,
  accountId: string,
  q: { type?: ChannelType; limit: number; cursor?: string },
): Promise<{ rows: ChannelRow[]; next_cursor: string | null }> {
  const where: (SQL | undefined)[] = [eq(channels.accountId, accountId)];
  if (q.type) where.push(eq(channels.type, q.type));
  if (q.cursor !== undefined) where.push(gt(channels.id, decodeCursor(q.cursor, z.string())));
  const rows = await drizzle(database)
    .select()
    .from(channels)
    .where(and(...where))
    .orderBy(asc(channels.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
}

/** The account's channels of these types, oldest first (ids are ULIDs). */
export async function channelsOfTypes(database: D1Database, accountId: string, types: readonly ChannelType[]): Promise<ChannelRow[]> {
  return drizzle(database)
    .select()
    .from(channels)
    .where(and(eq(channels.accountId, accountId), inArray(channels.type, [...types])))
    .orderBy(asc(channels.id));
}

/** Inserts a channel; false when the account already has one of that type for that sender. */
export async function insertChannel(database: D1Database, row: ChannelRow): Promise<boolean> {
  const inserted = await drizzle(database).insert(channels).values(row).onConflictDoNothing().returning({ id: channels.id });
  return inserted.length > 0;
}

/** The id of the account's channel of this type for this sender, if any. */
export async function channelForSender(database: D1Database, accountId: string, type: ChannelType, sender: string): Promise<string | undefined> {
  const row = await drizzle(database)
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.type, type), eq(channels.sender, sender)))
    .get();
  return row?.id;
}

/**
 * Another account's Cloudflare email channel that overlaps `sender`: the same address or domain,
 * the domain of this address, or an address at this domain. Email Routing mail names no account,
 * so an address (and the domain it is at) can be one account's only; the first to connect keeps it.
 */
export async function cloudflareSenderHolder(database: D1Database, accountId: string, sender: string): Promise<string | undefined> {
  const isAddress = sender.includes("@");
  const domain = isAddress ? sender.slice(sender.lastIndexOf("@") + 1) : sender;
  const overlaps = isAddress ? inArray(channels.sender, [sender, domain]) : or(eq(channels.sender, domain), like(channels.sender, `%@${domain}`));
  const row = await drizzle(database)
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.provider, "cloudflare"), eq(channels.type, "email"), ne(channels.accountId, accountId), overlaps))
    .get();
  return row?.id;
}

/**
 * The Cloudflare email channel that takes mail for `address` (lowercased): one whose sender is the
 * address itself before one whose sender is its domain (both the same account's: see
 * cloudflareSenderHolder). Mail names no channel id, so this looks across accounts; the channels
 * table is small (no index leads with the sender).
 */
export async function cloudflareEmailChannelFor(database: D1Database, address: string): Promise<ChannelRow | undefined> {
  const domain = address.slice(address.lastIndexOf("@") + 1);
  return drizzle(database)
    .select()
    .from(channels)
    .where(and(eq(channels.provider, "cloudflare"), eq(channels.type, "email"), inArray(channels.sender, [address, domain])))
    .orderBy(sql`${channels.sender} = ${address} DESC`, asc(channels.id))
    .get();
}

export type ChannelChanges = Partial<Pick<ChannelRow, "friendlyName" | "baseUrl" | "keyId" | "ciphertext">> & { updatedAt: number };

/**
 * Applies changes to one of the account's channels and returns the row as it now is, or undefined
 * when there is no such channel or, with `ifCiphertext`, when its credentials are no longer those
 * (a concurrent rotation: the caller's merge was made from a stale copy).
 */
export async function updateChannelRow(
  database: D1Database,
  accountId: string,
  id: string,
  changes: ChannelChanges,
  ifCiphertext?: string,
): Promise<ChannelRow | undefined> {
  const where = [eq(channels.accountId, accountId), eq(channels.id, id)];
  if (ifCiphertext !== undefined) where.push(eq(channels.ciphertext, ifCiphertext));
  const [row] = await drizzle(database)
    .update(channels)
    .set(changes)
    .where(and(...where))
    .returning();
  return row;
}

/** Deletes one of the account's channels; false when it has no such channel. */
export async function deleteChannelRow(database: D1Database, accountId: string, id: string): Promise<boolean> {
  const deleted = await drizzle(database)
    .delete(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.id, id)))
    .returning({ id: channels.id });
  return deleted.length > 0;
}
