import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Env } from "../../env";
import { conversationNames, creationKeys } from "../../db/schema";
import { newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { err, type Outcome } from "../../lib/problem";
import type { CreatedConversation, Idempotency } from "../../conversation/conversation-do";
import type { CreateConversation } from "../../contract/conversation";
import { conversation } from "../http";

/**
 * Creating a conversation touches two stores, so it is made safe to repeat rather than atomic:
 * 1. An Idempotency-Key is claimed in D1 first and fixes the new conversation's id, so a retry
 *    reaches the same Durable Object, whose `create` returns the existing conversation.
 * 2. A unique_name is claimed in D1 (primary key per account). A claim whose conversation was
 *    deleted, or never created by a create that crashed (after a grace period), is taken over.
 * 3. The Durable Object commits the conversation, its participants and first message at once.
 */
export async function createConversation(
  env: Env,
  accountId: string,
  input: CreateConversation,
  idem: Idempotency | undefined,
): Promise<Outcome<CreatedConversation>> {
  const db = drizzle(env.DB);
  let id = newId("conversation");
  if (idem) {
    const now = Date.now();
    await db
      .insert(creationKeys)
      .values({ accountId, key: idem.key, fingerprint: idem.fingerprint, conversationId: id, createdAt: now })
      .onConflictDoUpdate({
        target: [creationKeys.accountId, creationKeys.key],
        set: { fingerprint: idem.fingerprint, conversationId: id, createdAt: now },
        setWhere: lt(creationKeys.createdAt, now - LIMITS.idempotencyWindowMs),
      });
    const claim = await db
      .select()
      .from(creationKeys)
      .where(and(eq(creationKeys.accountId, accountId), eq(creationKeys.key, idem.key)))
      .get();
    if (!claim) throw new Error("idempotency claim vanished");
    if (claim.fingerprint !== idem.fingerprint) {
      return err(422, "this Idempotency-Key was used with a different request", "header.idempotency-key");
    }
    id = claim.conversationId;
  }

  if (input.unique_name !== undefined) {
    const taken = await claimUniqueName(env, accountId, input.unique_name, id);
    if (taken) return err(409, `unique_name "${input.unique_name}" is already used by ${taken}`, "body.unique_name");
  }

  const stub = conversation(env, id);
  const outcome = await stub.create(accountId, id, input, idem);
  if (input.unique_name === undefined) return outcome;
  const nameKey = and(eq(conversationNames.accountId, accountId), eq(conversationNames.uniqueName, input.unique_name));
  if (!outcome.ok) {
    await db.delete(conversationNames).where(and(nameKey, eq(conversationNames.conversationId, id)));
    return outcome;
  }
  // Belt and braces: should the claim have moved to someone else while we created (a create slower
  // than the grace period), the conversation is undone and the clash reported.
  const holder = (await db.select().from(conversationNames).where(nameKey).get())?.conversationId;
  if (holder !== id) {
    await stub.destroy(accountId);
    return err(409, `unique_name "${input.unique_name}" is already used by ${holder}`, "body.unique_name");
  }
  return outcome;
}

/**
 * A claim whose conversation does not exist may belong to a create that is still running: it is
 * taken over only once it is this old (a create takes milliseconds; this only frees names left by a
 * create that crashed half-way).
 */
const CLAIM_GRACE_MS = 60_000;

/** Claims the name for `id`; returns the id of the conversation that holds it, if another does. */
async function claimUniqueName(env: Env, accountId: string, name: string, id: string): Promise<string | null> {
  const db = drizzle(env.DB);
  const key = and(eq(conversationNames.accountId, accountId), eq(conversationNames.uniqueName, name));
  await db.insert(conversationNames).values({ accountId, uniqueName: name, conversationId: id, claimedAt: Date.now() }).onConflictDoNothing();
  const claim = await db.select().from(conversationNames).where(key).get();
  if (claim === undefined || claim.conversationId === id) return null;
  const holder = claim.conversationId;
  const state = await conversation(env, holder).lifecycle(accountId);
  if (state === "live" || (state === "absent" && Date.now() - claim.claimedAt < CLAIM_GRACE_MS)) return holder;
  // The holder was deleted, or never finished creating: take the name over, unless someone else just did.
  const moved = await db
    .update(conversationNames)
    .set({ conversationId: id, claimedAt: Date.now() })
    .where(and(key, eq(conversationNames.conversationId, holder)))
    .returning({ id: conversationNames.conversationId });
  return moved.length === 1 ? null : claimUniqueName(env, accountId, name, id);
}
