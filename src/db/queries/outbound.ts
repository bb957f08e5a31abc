import { and, desc, eq, gte, lte } from "drizzle-orm";
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
