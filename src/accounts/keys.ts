import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CreatedAccount, IssuedKey } from "../contract/account";
import { accounts, apiKeys } from "../db/schema";
import { accountForKeyHash } from "../db/queries/keys";
import { randomBase62, sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";

/** API keys look like `sk_` + 40 base62 characters (~238 bits); only their SHA-256 is stored. */
const KEY_PREFIX = "sk_";
const KEY_BODY = 40;
const SHOWN_CHARS = KEY_PREFIX.length + 8;

export async function issueKey(db: D1Database, accountId: string, name: string | null): Promise<IssuedKey> {
  const key = KEY_PREFIX + randomBase62(KEY_BODY);
  const row = { id: newId("apiKey"), accountId, name, prefix: key.slice(0, SHOWN_CHARS), hash: await sha256Hex(key), createdAt: Date.now() };
  await drizzle(db).insert(apiKeys).values(row);
  return { id: row.id, prefix: row.prefix, key, name, created_at: new Date(row.createdAt).toISOString() };
}

export async function createAccount(db: D1Database, name: string): Promise<CreatedAccount> {
  const account = { id: newId("account"), name, createdAt: Date.now() };
  await drizzle(db).insert(accounts).values(account);
  const api_key = await issueKey(db, account.id, "default");
  return { account: { id: account.id, name, created_at: new Date(account.createdAt).toISOString() }, api_key };
}

/**
 * Resolved keys are cached per isolate for a short while, so a hot API path does not pay a D1 round
 * trip per request. The price: a revoked key keeps working in an isolate that cached it for up to
 * this long.
 */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;
/** Keyed by the presented key itself: a hit then costs no hashing (the key is in memory anyway). */
const cache = new Map<string, { accountId: string | null; until: number }>();

export async function accountForKey(db: D1Database, presented: string): Promise<string | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length !== KEY_PREFIX.length + KEY_BODY) return null;
  const now = Date.now();
  const hit = cache.get(presented);
  if (hit && hit.until > now) return hit.accountId;
  const accountId = await accountForKeyHash(db, await sha256Hex(presented));
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(presented, { accountId, until: now + CACHE_MS });
  return accountId;
}

/** Revokes one of the account's keys; false when it has no such key. */
export async function revokeKey(db: D1Database, accountId: string, keyId: string): Promise<boolean> {
  const revoked = await drizzle(db)
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)))
    .returning({ id: apiKeys.id });
  // Takes effect at once in this isolate; other isolates may serve it from cache a little longer.
  cache.clear();
  return revoked.length > 0;
}
