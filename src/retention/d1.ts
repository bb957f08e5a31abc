import type { Message } from "../contract/message";
import type { Env } from "../env";
import { project } from "../projection/consumer";
import type { ProjectionPayload } from "../projection/payload";

/**
 * What a deletion writes to D1 at once, beside the outbox's own projection of it (which follows
 * within the projection lag, carries the events, and wins by its version): so that a 2xx DELETE
 * is already gone from listings, history and search when it returns. Both writes are idempotent.
 */

/**
 * A conversation's deletion, applied as its projection would be: the tombstone in
 * deleted_conversations, the listing, participants, history, names and (through migration 0014's
 * triggers) the search index gone, and the account stream told. Its events arrive by the outbox.
 */
export async function applyDeletion(env: Pick<Env, "DB" | "ACCOUNT_HUB" | "WEBHOOKS" | "WEBHOOKS_SLOW">, accountId: string, conversationId: string): Promise<void> {
  const payload: ProjectionPayload = {
    v: 1,
    account_id: accountId,
    conversation_id: conversationId,
    version: 0,
    deleted: true,
    announce: null,
    conversation: null,
    participants: [],
    removed_participants: [],
    messages: [],
    events: [],
  };
  await project(env, [payload]);
}

/**
 * A message's tombstone over its D1 row. The body's change fires the search trigger, which takes
 * the message out of both indexes. The row's version is left alone: the outbox's projection of
 * the tombstone has a newer one and writes the same; an older snapshot still in flight could put
 * the body back until then, which is why that projection follows.
 */
export async function applyTombstone(db: D1Database, accountId: string, message: Message): Promise<void> {
  await db
    .prepare("UPDATE messages SET body = '', resource = json(?1) WHERE id = ?2 AND account_id = ?3 AND body IS NOT ''")
    .bind(JSON.stringify(message), message.id, accountId)
    .run();
}

/** Whether the conversation was deleted (its tombstone is in D1; ids are never reused). */
export async function isDeletedConversation(db: D1Database, conversationId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS x FROM deleted_conversations WHERE id = ?").bind(conversationId).first()) !== null;
}
