import type { Conversation, CreatedConversation, CreateConversation, UpdateConversation } from "../../contract/conversation";
import { err, ok, type Outcome } from "../../lib/problem";
import { reject, type ConversationCore, type Idempotency } from "../core";
import { migrate } from "../schema";
import { insertMessage } from "./messages";
import { apiTransitionRefusal } from "../lifecycle/states";
import { rearm, setStatus, timerColumns } from "../lifecycle/lifecycle";
import { insertParticipant } from "./participants";
import { retentionColumns } from "../../retention/columns";

/** The conversation itself: create, read, update (deleting it is in deletion.ts). */

export function create(core: ConversationCore, storage: SqlStorage, accountId: string, id: string, input: CreateConversation, idem?: Idempotency): Outcome<CreatedConversation> {
  if (!core.created) {
    migrate(storage);
    core.outbox.load();
    core.created = true;
  }
  const existing = core.store.conversation();
  if (existing) {
    // The Worker creates under an existing id only to replay an Idempotency-Key.
    if (existing.account_id !== accountId || existing.deleted_at !== null) return err(404, "conversation not found");
    return core.mutate(accountId, idem, (conv) => ok(core.createdView(conv, null), 201));
  }
  return core.mutateNew(idem, (tx) => {
    const now = tx.now;
    core.store.insertConversation({
      id,
      account_id: accountId,
      unique_name: input.unique_name ?? null,
      friendly_name: input.friendly_name ?? null,
      subject: input.subject ?? null,
      channel: input.channel ?? null,
      status: "open",
      tags: JSON.stringify(input.tags ?? []),
      attributes: JSON.stringify(input.attributes ?? {}),
      last_activity_at: now,
      inactive_after_ms: null,
      closed_after_ms: null,
      ...timerColumns(input.timers),
      retention_messages_ms: null,
      retention_conversation_ms: null,
      legal_hold: 0,
      ...retentionColumns(input),
      created_at: now,
      updated_at: now,
    });
    // First, so a consumer meets the conversation before what happens in it.
    tx.event("conversation.created", id, "api");
    (input.participants ?? []).forEach((p, i) => insertParticipant(core, tx, p, `body.participants[${i}]`));
    const message = input.message ? insertMessage(core, tx, core.requireConversation(), input.message, "body.message") : null;
    tx.record("created", id);
    tx.record("conversation", id);
    rearm(core, tx, core.requireConversation());
    return ok(core.createdView(core.requireConversation(), message), 201);
  });
}

/** Whether the account's conversation here is live, was deleted, or never existed (for name claims). */
export function lifecycle(core: ConversationCore, accountId: string): "live" | "deleted" | "absent" {
  const conv = core.created ? core.store.conversation() : undefined;
  if (!conv || conv.account_id !== accountId) return "absent";
  return conv.deleted_at === null ? "live" : "deleted";
}

export function get(core: ConversationCore, accountId: string): Outcome<Conversation> {
  const conv = core.visible(accountId);
  return conv ? ok(core.view(conv)) : err(404, "conversation not found");
}

export function update(core: ConversationCore, accountId: string, patch: UpdateConversation, idem?: Idempotency): Outcome<Conversation> {
  return core.mutate(accountId, idem, (conv, tx) => {
    const refusal = patch.status === undefined ? null : apiTransitionRefusal(conv.status, patch.status);
    if (refusal) reject(422, refusal, "body.status");
    core.store.updateConversation(
      {
        ...(patch.friendly_name !== undefined && { friendly_name: patch.friendly_name }),
        ...(patch.subject !== undefined && { subject: patch.subject }),
        ...(patch.tags !== undefined && { tags: JSON.stringify(patch.tags) }),
        ...(patch.attributes !== undefined && { attributes: JSON.stringify(patch.attributes) }),
        ...timerColumns(patch.timers),
        ...retentionColumns(patch),
      },
      tx.now,
    );
    tx.record("conversation", conv.id);
    // One conversation.updated (with conversation.closed after it when that is the move), one frame.
    if (patch.status !== undefined && patch.status !== conv.status) setStatus(core, tx, conv, patch.status, "api");
    else {
      tx.event("conversation.updated", conv.id, "api");
      tx.emit({ type: "conversation.updated", conversation: core.view(core.requireConversation()) });
    }
    const updated = core.requireConversation();
    rearm(core, tx, updated);
    return ok(core.view(updated));
  });
}
