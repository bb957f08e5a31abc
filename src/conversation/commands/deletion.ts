import type { EventReason } from "../../contract/events";
import type { Message } from "../../contract/message";
import { ok, type Outcome } from "../../lib/problem";
import type { RetentionPolicy } from "../../retention/policy";
import { reject, type ConversationCore, type Tx } from "../core";
import { renderMessage, type ConversationRow } from "../rows";

/**
 * Deleting, the conversation's side: one message (its tombstone), the whole conversation (its
 * content at once, its storage once the deletion has reached D1), and what the retention job asks
 * of a conversation (src/retention/job.ts). Legal holds are checked here, where the conversation's
 * own hold is read in the same transaction as the change; the account's hold comes from the caller.
 */

/** The 409 a deletion under a legal hold gets, naming whose hold it is. */
export function refuseUnderHold(conv: ConversationRow, accountHold: boolean): void {
  if (conv.legal_hold === 1) reject(409, "the conversation is under legal hold (its legal_hold is true): nothing of it can be deleted until the hold is lifted");
  if (accountHold) reject(409, "the account is under legal hold (retention.legal_hold in /v1/settings): nothing can be deleted until the hold is lifted");
}

/**
 * Makes the message at `index` a tombstone, inside a change: content erased, slot kept, a
 * `message.deleted` event and frame. False if it was one already (nothing is recorded twice).
 */
export function tombstone(core: ConversationCore, tx: Tx, conv: ConversationRow, index: number, reason: EventReason): boolean {
  if (!core.store.tombstoneMessage(index, tx.now)) return false;
  tx.record("message", String(index));
  // The listing's last_message preview may have been this one.
  tx.record("conversation", conv.id);
  tx.event("message.deleted", String(index), reason);
  tx.emit({ type: "message.deleted", message: renderMessage(conv.id, core.store.messageByIndex(index)!) });
  return true;
}

/** A message named by its index or its id. */
export type MessageRef = { index: number } | { id: string };

/** DELETE of one message: its tombstone (the same answer when it was deleted already). */
export function deleteMessage(core: ConversationCore, accountId: string, ref: MessageRef, accountHold: boolean): Outcome<Message> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    const row = ("index" in ref ? core.store.messageByIndex(ref.index) : core.store.messageById(ref.id)) ?? reject(404, "message not found");
    const index = row.idx;
    if (row.deleted_at === null) {
      refuseUnderHold(conv, accountHold);
      tombstone(core, tx, conv, index, "api");
    }
    return ok(renderMessage(conv.id, core.store.messageByIndex(index)!));
  });
}

/** Options of a conversation's deletion. `ignoreHold`: undoing a create that lost its unique_name (nothing was kept yet). */
export type DestroyOptions = { accountHold?: boolean; reason?: EventReason; ignoreHold?: boolean };

/**
 * Deletes the conversation: its content at once (the row stays, deleted, so its id is a 404 and
 * not a new conversation), the sinks' copies through the outbox, and its storage with the `erase`
 * duty once that deletion is in D1.
 */
export function destroy(core: ConversationCore, accountId: string, options: DestroyOptions = {}): Outcome<null> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    if (!options.ignoreHold) refuseUnderHold(conv, options.accountHold === true);
    core.store.eraseContent();
    core.store.updateConversation({ deleted_at: tx.now }, tx.now);
    tx.record("deleted", conv.id);
    tx.event("conversation.deleted", conv.id, options.reason ?? "api");
    tx.afterCommit(() => {
      core.room.closeAll(4004, "the conversation was deleted");
      core.timers.schedule("erase", tx.now + ERASE_FIRST_MS);
    });
    return ok(null, 204);
  });
}

/** What one call of the retention job did to a conversation. */
export type Retained = { conversation_deleted: boolean; messages_deleted: number; more: boolean; held: boolean };

/**
 * The retention job's call: deletes the conversation if it is past its time since its last
 * activity, else tombstones up to `maxMessages` of its messages past theirs (oldest first; `more`
 * says some are left). The conversation's own periods and hold win over the account's `policy`;
 * `now` is the job's run time, so every conversation of a run is judged at the same instant.
 */
export function retain(core: ConversationCore, accountId: string, policy: RetentionPolicy, now: number, maxMessages: number): Outcome<Retained> {
  const none: Retained = { conversation_deleted: false, messages_deleted: 0, more: false, held: false };
  const conv = core.visible(accountId);
  if (!conv) return ok(none);
  if (policy.legalHold || conv.legal_hold === 1) return ok({ ...none, held: true });
  const conversationMs = conv.retention_conversation_ms ?? policy.conversationsMs;
  if (conversationMs !== null && conv.last_activity_at + conversationMs <= now) {
    const outcome = destroy(core, accountId, { reason: "retention" });
    return outcome.ok ? ok({ ...none, conversation_deleted: true }) : outcome;
  }
  const messagesMs = conv.retention_messages_ms ?? policy.messagesMs;
  if (messagesMs === null) return ok(none);
  const due = core.store.liveMessagesBefore(now - messagesMs, maxMessages + 1);
  if (due.length === 0) return ok(none);
  return core.mutate(accountId, undefined, (current, tx) => {
    let deleted = 0;
    for (const index of due.slice(0, maxMessages)) if (tombstone(core, tx, current, index, "retention")) deleted++;
    return ok({ ...none, messages_deleted: deleted, more: due.length > maxMessages });
  });
}

/** The first try at erasing the storage comes this soon after the deletion (its outbox pass is usually done by then). */
const ERASE_FIRST_MS = 5_000;
/** Tries wait as long as the deletion has been waiting, up to this: a D1 outage costs few reads. */
const ERASE_RETRY_MAX_MS = 10 * 60_000;
/**
 * How long the erase waits for the `conversation.deleted` event to be in D1 as well as the
 * tombstone (a DELETE lays the tombstone at once; the event comes by the queue). Past it the
 * payload has been dead-lettered, whose events are not carried again (docs/architecture.md,
 * Events), or the deletion is older than events.
 */
const EVENT_WAIT_MS = 24 * 60 * 60_000;

/** Whether D1 has the deletion: its tombstone and (unless `tombstoneEnough`) its conversation.deleted event. */
async function deletionRecorded(db: D1Database, conversationId: string, tombstoneEnough: boolean): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM deleted_conversations WHERE id = ?1) AS tombstone,
              EXISTS (SELECT 1 FROM events WHERE conversation_id = ?1 AND type = 'conversation.deleted') AS event`,
    )
    .bind(conversationId)
    .first<{ tombstone: number; event: number }>();
  return row !== null && row.tombstone === 1 && (row.event === 1 || tombstoneEnough);
}

/**
 * The `erase` duty: once a deleted conversation's deletion has left its outbox and is in D1 (its
 * tombstone in deleted_conversations, which keeps a stray create from reviving the id, see
 * `ConversationDO.create`, and its conversation.deleted event), its alarm and then all of its storage are deleted: the object
 * is as if it never existed, a 404 to every call. `deleteAll` leaves the alarm, hence `deleteAlarm`
 * first. Returns when to try again, or null when there is nothing (more) to do.
 */
export async function erase(core: ConversationCore, storage: DurableObjectStorage, db: D1Database, now: number): Promise<number | null> {
  const conv = core.created ? core.store.conversation() : undefined;
  if (!conv || conv.deleted_at === null) return null;
  const retry = now + Math.min(ERASE_RETRY_MAX_MS, Math.max(ERASE_FIRST_MS, now - conv.deleted_at));
  if (core.outbox.pending()) return retry;
  if (!(await deletionRecorded(db, conv.id, now - conv.deleted_at >= EVENT_WAIT_MS))) return retry;
  core.timers.stop();
  await storage.deleteAlarm();
  await storage.deleteAll();
  core.store.forgetCached();
  core.outbox.forget();
  core.created = false;
  return null;
}
