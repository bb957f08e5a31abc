import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { KeySummary } from "../../contract/account";
import { accounts, apiKeys } from "../schema";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function accountExists(database: D1Database, accountId: string): Promise<boolean> {
  const row = await drizzle(database).select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).get();
  return row !== undefined;
}

/** An account's keys, oldest first, revoked ones included. */
export async function keysOf(database: D1Database, accountId: string): Promise<KeySummary[]> {
  const rows = await drizzle(database).select().from(apiKeys).where(eq(apiKeys.accountId, accountId)).orderBy(apiKeys.createdAt);
  return rows.map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, created_at: iso(k.createdAt)!, revoked_at: iso(k.revokedAt) }));
}

/** The account of the live (unrevoked) key with this hash, if any. */
export async function accountForKeyHash(database: D1Database, hash: string): Promise<string | null> {
  const row = await drizzle(database)
    .select({ accountId: apiKeys.accountId })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .get();
  return row?.accountId ?? null;
}
