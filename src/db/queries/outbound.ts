import { and, desc, eq, gte, inArray, lte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { earlyReceipts, outboundMessages } from "../schema";

export type OutboundRow = typeof outboundMessages.$inferSelect;
export type EarlyReceipt = typeof earlyReceipts.$inferSelect;

/** Remembers what a provider id is, so its receipts find the message. A repeat (a resend after a lost answer) keeps the first. */
export async function recordOutbound(database: D1Database, row: OutboundRow): Promise<void> {
  await drizzle(database).insert(outboundMessages).values(row).onConflictDoNothing();
}

/** The send a provider id names, if it is the account's: another account's channel cannot move this one's messages. */
export async function outboundById(database: D1Database, accountId: string, provider: string, providerMessageId: string): Promise<OutboundRow | undefined> {
  return drizzle(database)
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.provider, provider), eq(outboundMessages.providerMessageId, providerMessageId), eq(outboundMessages.accountId, accountId)))
    .get();
}

/** Sends to one address on one channel within a time range, latest first (Messenger's watermarks). */
export async function outboundToAddress(database: D1Database, accountId: string, channel: string, address: string, from: number, through: number, limit: number): Promise<OutboundRow[]> {
  return drizzle(database)
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.accountId, accountId), eq(outboundMessages.channel, channel), eq(outboundMessages.address, address), gte(outboundMessages.sentAt, from), lte(outboundMessages.sentAt, through)))
    .orderBy(desc(outboundMessages.sentAt))
    .limit(limit);
}

export async function holdEarlyReceipt(database: D1Database, receipt: EarlyReceipt): Promise<void> {
  await drizzle(database).insert(earlyReceipts).values(receipt).onConflictDoNothing();
}

/** The receipts that came before the send with this id was recorded, oldest status first. */
export async function takeEarlyReceipts(database: D1Database, provider: string, providerMessageId: string): Promise<EarlyReceipt[]> {
  const key = and(eq(earlyReceipts.provider, provider), eq(earlyReceipts.providerMessageId, providerMessageId));
  const rows = await drizzle(database).select().from(earlyReceipts).where(key);
  if (rows.length > 0) await drizzle(database).delete(earlyReceipts).where(key);
  return rows.sort((a, b) => a.at - b.at);
}

/** Email providers: a Message-ID Parley's mail went out under is a provider id of one of these. */
const EMAIL_PROVIDERS = ["mailgun", "cloudflare"];

/**
 * The conversation of the first of `messageIds` (a reply's In-Reply-To, then its References, latest
 * first) that names mail Parley sent to `address`: mail is threaded by these ids, and an id of a
 * message sent to someone else does not make its replier part of that conversation.
 */
export async function repliedConversation(database: D1Database, accountId: string, address: string, messageIds: (string | undefined)[]): Promise<string | undefined> {
  const ids = [...new Set(messageIds.filter((id): id is string => typeof id === "string" && id !== ""))].slice(0, 20);
  if (ids.length === 0) return undefined;
  const rows = await drizzle(database)
    .select({ id: outboundMessages.providerMessageId, conversationId: outboundMessages.conversationId })
    .from(outboundMessages)
    .where(and(inArray(outboundMessages.provider, EMAIL_PROVIDERS), inArray(outboundMessages.providerMessageId, ids), eq(outboundMessages.accountId, accountId), eq(outboundMessages.address, address)));
  const byId = new Map(rows.map((r) => [r.id, r.conversationId]));
  return ids.map((id) => byId.get(id)).find((c) => c !== undefined);
}
