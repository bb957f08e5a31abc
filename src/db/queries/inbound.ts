import { and, eq, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { inboundMessages, webhookTokens } from "../schema";

/** How long a used webhook token is remembered: past the providers' 5-minute signature window. */
const TOKEN_MEMORY_MS = 10 * 60_000;

export type InboundKey = { accountId: string; provider: string; providerMessageId: string };

const keyOf = (k: InboundKey) =>
  and(eq(inboundMessages.accountId, k.accountId), eq(inboundMessages.provider, k.provider), eq(inboundMessages.providerMessageId, k.providerMessageId));

/**
 * Claims a provider message for `conversationId` unless an earlier attempt claimed it; returns the
 * conversation the first attempt chose and whether it was stored there.
 */
export async function claimInbound(database: D1Database, key: InboundKey, conversationId: string): Promise<{ conversationId: string; stored: boolean }> {
  // One statement: on a conflict the no-op update makes RETURNING give the first attempt's row.
  const [row] = await drizzle(database)
    .insert(inboundMessages)
    .values({ ...key, conversationId, createdAt: Date.now() })
    .onConflictDoUpdate({ target: [inboundMessages.accountId, inboundMessages.provider, inboundMessages.providerMessageId], set: { conversationId: sql`${inboundMessages.conversationId}` } })
    .returning({ conversationId: inboundMessages.conversationId, storedAt: inboundMessages.storedAt });
  if (!row) throw new Error("inbound claim vanished");
  return { conversationId: row.conversationId, stored: row.storedAt !== null };
}

/** Points an unstored claim at the conversation that replaced a closed or deleted one. */
export async function moveInbound(database: D1Database, key: InboundKey, conversationId: string): Promise<void> {
  await drizzle(database).update(inboundMessages).set({ conversationId }).where(keyOf(key));
}

export async function markInboundStored(database: D1Database, key: InboundKey): Promise<void> {
  await drizzle(database).update(inboundMessages).set({ storedAt: Date.now() }).where(keyOf(key));
}

/** Whether a webhook token was already used (a replay); forgets tokens past the window as it goes. */
export async function tokenUsed(database: D1Database, token: string): Promise<boolean> {
  const row = await drizzle(database).select({ token: webhookTokens.token }).from(webhookTokens).where(eq(webhookTokens.token, token)).get();
  return row !== undefined;
}

/** Remembers a token once its post was taken in (not before: the provider's own retry must still pass). */
export async function rememberToken(database: D1Database, token: string): Promise<void> {
  const db = drizzle(database);
  const now = Date.now();
  await db.batch([
    db.insert(webhookTokens).values({ token, seenAt: now }).onConflictDoNothing(),
    db.delete(webhookTokens).where(lt(webhookTokens.seenAt, now - TOKEN_MEMORY_MS)),
  ]);
}
