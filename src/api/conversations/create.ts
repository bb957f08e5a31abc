import { timersForNew } from "../../db/queries/settings";
import type { Env } from "../../env";
import { newId } from "../../lib/ids";
import { err, type Outcome } from "../../lib/problem";
import type { Idempotency } from "../../conversation/conversation-do";
import type { CreateConversation, CreatedConversation } from "../../contract/conversation";
import { claimName, moveName, nameHolder, releaseName } from "../../db/queries/conversation-names";
import { claimCreationKey } from "../../db/queries/creation-keys";
import { conversation } from "../http";

/**
 * Creating a conversation touches two stores, so it is made safe to repeat rather than atomic:
 * 1. An Idempotency-Key is claimed in D1 first and fixes the new conversation's id, so a retry
 *    reaches the same Durable Object, whose `create` returns the existing conversation.
 * 2. A unique_name is claimed in D1 (primary key per account). A claim whose conversation was
 *    deleted, or never created by a create that crashed (after a grace period), is taken over.
 * 3. The Durable Object commits the conversation, its participants and first message at once.
 */
export async function createWithClaims(
  env: Env,
  accountId: string,
  input: CreateConversation,
  idem: Idempotency | undefined,
): Promise<Outcome<CreatedConversation>> {
  input = { ...input, timers: await timersForNew(env.DB, accountId, input.timers) };
  let id = newId("conversation");
  if (idem) {
    const claim = await claimCreationKey(env.DB, accountId, idem, id);
    if (claim.fingerprint !== idem.fingerprint) {
      return err(422, "this Idempotency-Key was used with a different request", "header.idempotency-key");
    }
    id = claim.conversationId;
  }

  const name = input.unique_name;
  if (name !== undefined) {
    const taken = await claimUniqueName(env, accountId, name, id);
    if (taken) return err(409, `unique_name "${name}" is already used by ${taken}`, "body.unique_name");
  }

  const stub = conversation(env, id);
  const outcome = await stub.create(accountId, id, input, idem);
  if (name === undefined) return outcome;
  if (!outcome.ok) {
    await releaseName(env.DB, accountId, name, id);
    return outcome;
  }
  // Belt and braces: should the claim have moved to someone else while we created (a create slower
  // than the grace period), the conversation is undone and the clash reported.
  const holder = await nameHolder(env.DB, accountId, name);
  if (holder !== id) {
    await stub.destroy(accountId, { ignoreHold: true });
    return err(409, `unique_name "${name}" is already used by ${holder}`, "body.unique_name");
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
  const claim = await claimName(env.DB, accountId, name, id);
  if (claim === undefined || claim.conversationId === id) return null;
  const holder = claim.conversationId;
  const state = await conversation(env, holder).lifecycle(accountId);
  if (state === "live" || (state === "absent" && Date.now() - claim.claimedAt < CLAIM_GRACE_MS)) return holder;
  // The holder was deleted, or never finished creating: take the name over, unless someone else just did.
  return (await moveName(env.DB, accountId, name, holder, id)) ? null : claimUniqueName(env, accountId, name, id);
}
