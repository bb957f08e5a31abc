import { ok, type Outcome } from "../../lib/problem";
import type { ConversationCore } from "../core";

/** What a projection that never reached D1 had carried (a dead-lettered payload names it). */
export type Lost = { messages: number[]; participants: string[]; deleted: boolean };

/**
 * Carries again what a lost projection carried: records those rows anew, so the next pass sends a
 * fresh snapshot of them (with a newer version, so it wins over anything older that does arrive).
 * A deleted conversation is carried as its deletion. Idempotent: doing it twice sends twice, and
 * D1's guards keep one.
 */
export function reproject(core: ConversationCore, accountId: string, lost: Lost): Outcome<null> {
  const conv = core.created ? core.store.conversation() : undefined;
  if (!conv || conv.account_id !== accountId) return ok(null);
  if (conv.deleted_at !== null || lost.deleted) {
    core.outbox.change(() => core.outbox.record("deleted", conv.id), () => {});
    return ok(null);
  }
  return core.mutate(accountId, undefined, (current, tx) => {
    for (const index of lost.messages) if (core.store.messageByIndex(index)) tx.record("message", String(index));
    for (const id of lost.participants) tx.record("participant", id);
    tx.record("conversation", current.id);
    return ok(null);
  });
}
