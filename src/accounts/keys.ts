import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accounts, apiKeys } from "../db/schema";
import { randomBase62, sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";

/** API keys look like `sk_` + 40 base62 characters (~238 bits); only their SHA-256 is stored. */
const KEY_PREFIX = "sk_";
const KEY_BODY = 40;
const SHOWN_CHARS = KEY_PREFIX.length + 8;

export type IssuedKey = { id: string; prefix: string; key: string; name: string | null; created_at: string };

export async function issueKey(db: D1Database, accountId: string, name: string | null): Promise<IssuedKey> {
  const key = KEY_PREFIX + randomBase62(KEY_BODY);
  const row = { id: newId("apiKey"), accountId, name, prefix: key.slice(0, SHOWN_CHARS), hash: await sha256Hex(key), createdAt: Date.now() };
  await drizzle(db).insert(apiKeys).values(row);
  return { id: row.id, prefix: row.prefix, key, name, created_at: new Date(row.createdAt).toISOString() };
}

export async function createAccount(db: D1Database, name: string): Promise<{ account: { id: string; name: string; created_at: string }; api_key: IssuedKey }> {
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
  const hash = await sha256Hex(presented);
  const row = await drizzle(db)
    .select({ accountId: apiKeys.accountId })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .get();
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(presented, { accountId: row?.accountId ?? null, until: now + CACHE_MS });
  return row?.accountId ?? null;
}

/** Forgets cached keys so a revocation takes effect at once in this isolate. */
export function forgetCachedKeys(): void {
  cache.clear();
}
