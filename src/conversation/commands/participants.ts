import type { AddParticipant, Participant } from "../../contract/participant";
import { newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { err, ok, type Outcome } from "../../lib/problem";
import { reject, type ConversationCore, type Idempotency, type Tx } from "../core";
import { renderParticipant, unreadCount, type ConversationRow, type ParticipantRow } from "../rows";

/** Participants: who is in the conversation, and how far each has read. */

export type Page<T> = { data: T[]; next: number | null };

export function add(core: ConversationCore, accountId: string, input: AddParticipant, idem?: Idempotency): Outcome<Participant> {
  return core.mutate(accountId, idem, (conv, tx) => ok(core.participantView(conv, insertParticipant(core, tx, input, "body")), 201));
}

export function list(core: ConversationCore, accountId: string, afterSeq: number, limit: number): Outcome<Page<Participant>> {
  const conv = core.visible(accountId);
  if (!conv) return err(404, "conversation not found");
  const rows = core.store.participantsPage(afterSeq, limit + 1);
  const data = rows.slice(0, limit).map((p) => core.participantView(conv, p));
  return ok({ data, next: rows.length > limit ? (rows[limit - 1]?.seq ?? null) : null });
}

export function get(core: ConversationCore, accountId: string, participantId: string): Outcome<Participant> {
  const conv = core.visible(accountId);
  const p = conv && core.store.participantById(participantId);
  return conv && p ? ok(core.participantView(conv, p)) : err(404, "participant not found");
}

export function remove(core: ConversationCore, accountId: string, participantId: string): Outcome<null> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    if (!core.store.participantById(participantId)) reject(404, "participant not found");
    core.store.deleteParticipant(participantId);
    core.store.updateConversation({}, tx.now);
    tx.emit({ type: "participant.removed", participant_id: participantId });
    tx.afterCommit(() => core.room.closeAll(4004, "removed from the conversation", participantId));
    tx.record("participant", participantId);
    tx.record("conversation", conv.id);
    tx.event("participant.removed", participantId);
    return ok(null, 204);
  });
}

/** Moves a read horizon forward; an older index leaves it where it is. */
export function markRead(core: ConversationCore, accountId: string, participantId: string, lastReadIndex: number, path = "body.last_read_index"): Outcome<Participant> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    moveReadHorizon(core, tx, conv, participantId, lastReadIndex, path);
    return ok(core.participantView(conv, core.store.participantById(participantId)!));
  });
}

/**
 * Moves a read horizon forward (never back) and, when `announce`, tells every socket. An author's
 * horizon moving to their own message is not announced: every client can infer it from the
 * `message.added`, and it would double the frames of each send.
 */
export function moveReadHorizon(core: ConversationCore, tx: Tx, conv: ConversationRow, participantId: string, lastReadIndex: number, path: string, announce = true): void {
  const p = core.store.participantById(participantId) ?? reject(404, "participant not found");
  if (lastReadIndex >= conv.next_index) {
    reject(422, `last_read_index ${lastReadIndex} is past the last message (${conv.next_index - 1})`, path);
  }
  if (p.last_read_index !== null && lastReadIndex <= p.last_read_index) return;
  core.store.setReadHorizon(participantId, lastReadIndex, tx.now);
  tx.record("participant", participantId);
  if (!announce) return;
  tx.emit({ type: "read.updated", participant_id: participantId, last_read_index: lastReadIndex, unread_count: unreadCount(conv.next_index, lastReadIndex) });
}

/** Adds a participant inside a change (create or add). `path` names the input in errors. */
export function insertParticipant(core: ConversationCore, tx: Tx, input: AddParticipant, path: string): ParticipantRow {
  const conv = core.requireConversation();
  if (conv.status === "closed") reject(409, "the conversation is closed; reopen it to add participants", path);
  const channel = input.channel ?? "chat";
  // The contract has normalised the address (E.164, lowercased email): see channels/registry.
  const address = channel === "chat" ? null : (input.address ?? null);
  const identity = input.identity ?? null;
  const taken = core.store.takenHandle(address, identity);
  if (taken) reject(409, `a participant with this ${taken} is already in the conversation`, `${path}.${taken}`);
  const counts = core.store.participantCounts();
  if (counts.total >= LIMITS.participantsPerConversation) {
    reject(422, `a conversation has at most ${LIMITS.participantsPerConversation} participants`, path);
  }
  if (address !== null && counts.external >= LIMITS.channelParticipantsPerConversation) {
    reject(422, `a conversation has at most ${LIMITS.channelParticipantsPerConversation} participants on external channels`, `${path}.address`);
  }
  const row: ParticipantRow = {
    id: newId("participant"),
    kind: input.kind,
    channel,
    address,
    identity,
    attributes: JSON.stringify(input.attributes ?? {}),
    last_read_index: null,
    last_seen_at: null,
    created_at: tx.now,
    updated_at: tx.now,
  };
  core.store.insertParticipant(row);
  // The conversation takes the channel of its first channel-bound participant unless it was given one.
  core.store.updateConversation(conv.channel === null && address !== null ? { channel } : {}, tx.now);
  tx.record("participant", row.id);
  tx.record("conversation", conv.id);
  tx.event("participant.added", row.id);
  tx.emit({ type: "participant.added", participant: renderParticipant(conv.id, conv.next_index, row, false) });
  return row;
}
