import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { LIMITS } from "../../lib/limits";
import { creationKeys } from "../schema";

/**
 * Claims an Idempotency-Key of a create for `conversationId`, taking over a claim older than the
 * idempotency window. Returns the claim that holds: this one, or the earlier request's.
 */
export async function claimCreationKey(
  database: D1Database,
  accountId: string,
  idem: { key: string; fingerprint: string },
  conversationId: string,
): Promise<{ fingerprint: string; conversationId: string }> {
  const db = drizzle(database);
  const now = Date.now();
  await db
    .insert(creationKeys)
    .values({ accountId, key: idem.key, fingerprint: idem.fingerprint, conversationId, createdAt: now })
    .onConflictDoUpdate({
      target: [creationKeys.accountId, creationKeys.key],
      set: { fingerprint: idem.fingerprint, conversationId, createdAt: now },
      setWhere: lt(creationKeys.createdAt, now - LIMITS.idempotencyWindowMs),
    });
  const claim = await db
    .select({ fingerprint: creationKeys.fingerprint, conversationId: creationKeys.conversationId })
    .from(creationKeys)
    .where(and(eq(creationKeys.accountId, accountId), eq(creationKeys.key, idem.key)))
    .get();
  if (!claim) throw new Error("idempotency claim vanished");
  return claim;
}
