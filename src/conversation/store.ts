import { utf8Length } from "../lib/crypto";
import { AssistStore } from "./assist-store";
import { IdempotencyStore } from "./idempotency-store";
import { RecentMessages } from "./recent-messages";
import type { ConversationRow, MessageRow, ParticipantRow } from "./rows";

/**
 * What an outbox row says changed; `ref` names which one (a participant id, a message index;
 * `delivery`: `<index>:<participant id>`, a message owed to one channel-bound recipient; `event`:
 * an event of the catalog, see outbox/event-ref.ts). Sinks
 * read the current state of what a row names when they carry it.
 */
export type OutboxKind = "created" | "conversation" | "participant" | "message" | "deleted" | "delivery" | "event" | "draft" | "assist";
export type OutboxRow = { seq: number; kind: OutboxKind; ref: string };

/**
 * Typed access to one conversation's SQLite tables. Every method is synchronous: a caller that
 * makes several calls with no `await` between them gets one atomic transaction.
 */
export class ConversationStore {
  /** The AI drafts and handoff state (assist-store.ts). */
  readonly assist: AssistStore;
  /** Idempotency-Keys and the answers they replay (idempotency-store.ts). */
  readonly idempotency: IdempotencyStore;

  /**
   * The participant counts (all, and those with an address: channel-bound), or undefined when
   * unknown. A send asks for its recipients and every outbox pass renders the conversation's
   * participant count, yet participants change rarely; and most messages go to conversations with
   * no channel-bound participant at all (agents, bots, browser users), whose sends then ask SQLite
   * nothing about recipients. Forgotten on every change of the participants and when a transaction
   * rolls back (`forgetCached`).
   */
  private counts: { total: number; external: number } | undefined;
  /**
   * The conversation row, once read: every send and every outbox pass asks for it, and every
   * change of it goes through `updateConversation`, which keeps this copy in step (a new object
   * each time, so a row a caller already holds stays the snapshot it read).
   */
  private conv: ConversationRow | undefined;
  /** Messages lately inserted, for the outbox pass that carries them (recent-messages.ts). */
  private readonly recent = new RecentMessages();

  constructor(private readonly sql: SqlStorage) {
    this.assist = new AssistStore(sql);
    this.idempotency = new IdempotencyStore(sql);
  }

  /** Drops what this object remembers of its tables: after a rollback, or when storage goes. */
  forgetCached(): void {
    this.counts = undefined;
    this.conv = undefined;
    this.recent.clear();
  }

  private one<T extends Record<string, SqlStorageValue>>(query: string, ...args: SqlStorageValue[]): T | undefined {
    return this.sql.exec<T>(query, ...args).toArray()[0];
  }

  private all<T extends Record<string, SqlStorageValue>>(query: string, ...args: SqlStorageValue[]): T[] {
    return this.sql.exec<T>(query, ...args).toArray();
  }

  conversation(): ConversationRow | undefined {
    return (this.conv ??= this.one<ConversationRow>("SELECT * FROM conversation WHERE singleton = 1"));
  }

  insertConversation(c: Omit<ConversationRow, "next_index" | "deleted_at">): void {
    this.conv = undefined;
    this.sql.exec(
      `INSERT INTO conversation (singleton, id, account_id, unique_name, friendly_name, subject, channel, status,
         tags, attributes, last_activity_at, inactive_after_ms, closed_after_ms, retention_messages_ms, retention_conversation_ms, legal_hold, created_at, updated_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      c.id, c.account_id, c.unique_name, c.friendly_name, c.subject, c.channel, c.status,
      c.tags, c.attributes, c.last_activity_at, c.inactive_after_ms, c.closed_after_ms, c.retention_messages_ms, c.retention_conversation_ms, c.legal_hold, c.created_at, c.updated_at,
    );
  }

  /** Applies a partial update (none: only `updated_at` moves). */
  updateConversation(
    changes: Partial<Pick<ConversationRow, "friendly_name" | "subject" | "channel" | "status" | "tags" | "attributes" | "next_index" | "last_activity_at" | "inactive_after_ms" | "closed_after_ms" | "retention_messages_ms" | "retention_conversation_ms" | "legal_hold" | "deleted_at">>,
    now: number,
  ): void {
    const entries = Object.entries(changes);
    const sets = entries.map(([column]) => `${column} = ?`);
    this.sql.exec(
      `UPDATE conversation SET ${[...sets, "updated_at = ?"].join(", ")} WHERE singleton = 1`,
      ...entries.map(([, value]) => value as SqlStorageValue),
      now,
    );
    if (this.conv) this.conv = { ...this.conv, ...changes, updated_at: now };
  }

  participantById(id: string): ParticipantRow | undefined {
    return this.one<ParticipantRow>("SELECT * FROM participants WHERE id = ?", id);
  }

  /** A participant named by id, identity or address: how message authors are given. */
  participantByRef(ref: string): ParticipantRow | undefined {
    return (
      this.one<ParticipantRow>("SELECT * FROM participants WHERE id = ?", ref) ??
      this.one<ParticipantRow>("SELECT * FROM participants WHERE identity = ?", ref) ??
      this.one<ParticipantRow>("SELECT * FROM participants WHERE address = ?", ref)
    );
  }

  participantByAddress(address: string): ParticipantRow | undefined {
    return this.one<ParticipantRow>("SELECT * FROM participants WHERE address = ?", address);
  }

  participantByIdentity(identity: string): ParticipantRow | undefined {
    return this.one<ParticipantRow>("SELECT * FROM participants WHERE identity = ?", identity);
  }

  setLastSeen(id: string, at: number): void {
    this.sql.exec("UPDATE participants SET last_seen_at = ? WHERE id = ?", at, id);
  }

  /** Which of the two unique handles, if any, another participant already has. */
  takenHandle(address: string | null, identity: string | null): "address" | "identity" | null {
    if (address !== null && this.one("SELECT 1 AS x FROM participants WHERE address = ?", address)) return "address";
    if (identity !== null && this.one("SELECT 1 AS x FROM participants WHERE identity = ?", identity)) return "identity";
    return null;
  }

  participantCounts(): Readonly<{ total: number; external: number }> {
    this.counts ??= this.one<{ total: number; external: number }>(
      "SELECT count(*) AS total, count(address) AS external FROM participants",
    ) ?? { total: 0, external: 0 };
    return this.counts;
  }

  /** Participants in the order they joined, after the given join sequence. */
  participantsPage(afterSeq: number, limit: number): (ParticipantRow & { seq: number })[] {
    return this.all<ParticipantRow & { seq: number }>(
      "SELECT * FROM participants WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit,
    );
  }

  allParticipants(): ParticipantRow[] {
    return this.all<ParticipantRow>("SELECT * FROM participants ORDER BY seq");
  }

  /** The channel-bound participants other than the author, in the order they joined: a message's recipients. */
  externalRecipients(exceptId: string | null): ParticipantRow[] {
    if (this.participantCounts().external === 0) return [];
    return this.all<ParticipantRow>("SELECT * FROM participants WHERE address IS NOT NULL AND id IS NOT ? ORDER BY seq", exceptId);
  }

  insertParticipant(p: ParticipantRow): void {
    this.counts = undefined;
    this.sql.exec(
      `INSERT INTO participants (id, kind, channel, address, identity, attributes, last_read_index, last_seen_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      p.id, p.kind, p.channel, p.address, p.identity, p.attributes, p.last_read_index, p.last_seen_at, p.created_at, p.updated_at,
    );
  }

  setReadHorizon(id: string, lastReadIndex: number, now: number): void {
    this.sql.exec("UPDATE participants SET last_read_index = ?, updated_at = ? WHERE id = ?", lastReadIndex, now, id);
  }

  deleteParticipant(id: string): void {
    this.counts = undefined;
    this.sql.exec("DELETE FROM participants WHERE id = ?", id);
  }

  insertMessage(m: MessageRow): void {
    this.sql.exec(
      `INSERT INTO messages (idx, id, author, author_kind, participant_id, body, media, channel, attributes, delivery, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      m.idx, m.id, m.author, m.author_kind, m.participant_id, m.body, m.media, m.channel, m.attributes, m.delivery,
      m.created_at, m.updated_at,
    );
    this.recent.remember({ ...m, deleted_at: null });
  }

  messageByIndex(idx: number): MessageRow | undefined {
    return this.one<MessageRow>("SELECT * FROM messages WHERE idx = ?", idx);
  }

  /** The latest message a participant wrote (for a customer: their last inbound message). */
  lastMessageBy(participantId: string): MessageRow | undefined {
    return this.one<MessageRow>("SELECT * FROM messages WHERE participant_id = ? ORDER BY idx DESC LIMIT 1", participantId);
  }

  /** Message ids by index, for the indexes given. */
  messageIds(indexes: readonly number[]): Map<number, string> {
    if (indexes.length === 0) return new Map();
    const rows = this.all<{ idx: number; id: string }>(`SELECT idx, id FROM messages WHERE idx IN (SELECT value FROM json_each(?))`, JSON.stringify(indexes));
    return new Map(rows.map((r) => [r.idx, r.id]));
  }

  setDelivery(idx: number, delivery: string, now: number): void {
    this.sql.exec("UPDATE messages SET delivery = ?, updated_at = ? WHERE idx = ?", delivery, now, idx);
    this.recent.forget(idx);
  }

  /** When a consumer claimed this delivery, if one holds it. */
  deliveryClaim(idx: number, participantId: string): number | undefined {
    return this.one<{ claimed_at: number }>("SELECT claimed_at FROM delivery_claims WHERE idx = ? AND participant_id = ?", idx, participantId)?.claimed_at;
  }

  claimDelivery(idx: number, participantId: string, now: number): void {
    this.sql.exec("INSERT OR REPLACE INTO delivery_claims (idx, participant_id, claimed_at) VALUES (?, ?, ?)", idx, participantId, now);
  }

  releaseDelivery(idx: number, participantId: string): void {
    this.sql.exec("DELETE FROM delivery_claims WHERE idx = ? AND participant_id = ?", idx, participantId);
  }

  messageById(id: string): MessageRow | undefined {
    return this.one<MessageRow>("SELECT * FROM messages WHERE id = ?", id);
  }

  /** Body sizes in bytes of the messages with low <= idx <= high. */
  messageSizes(low: number, high: number): Map<number, number> {
    const recent = this.recent.range(low, high);
    if (recent) return new Map(recent.map((m) => [m.idx, utf8Length(m.body)]));
    const rows = this.all<{ idx: number; n: number }>("SELECT idx, length(CAST(body AS BLOB)) AS n FROM messages WHERE idx BETWEEN ? AND ?", low, high);
    return new Map(rows.map((r) => [r.idx, r.n]));
  }

  lastMessage(): MessageRow | undefined {
    const last = (this.conv?.next_index ?? 0) - 1;
    const recent = last >= 0 ? this.recent.range(last, last) : undefined;
    if (recent) return recent[0];
    return this.one<MessageRow>("SELECT * FROM messages ORDER BY idx DESC LIMIT 1");
  }

  /** The messages with low <= idx <= high, in index order. */
  messagesBetween(low: number, high: number): MessageRow[] {
    return this.recent.range(low, high) ?? this.messagesPage(low - 1, high + 1, "asc", high - low + 1);
  }

  /** Messages with after < idx < before, in index order. */
  /** `failedOnly`: messages a recipient of which ended failed or undelivered (a scan of the range: one conversation's). */
  messagesPage(after: number, before: number, order: "asc" | "desc", limit: number, failedOnly = false): MessageRow[] {
    const failed = failedOnly
      ? `AND EXISTS (SELECT 1 FROM json_each(delivery, '$.recipients') r WHERE r.value ->> '$.status' IN ('failed', 'undelivered'))`
      : "";
    return this.all<MessageRow>(
      `SELECT * FROM messages WHERE idx > ? AND idx < ? ${failed} ORDER BY idx ${order === "asc" ? "ASC" : "DESC"} LIMIT ?`,
      after, before, limit,
    );
  }

  /**
   * Turns a message into its tombstone: content erased (body, media, attributes, delivery), index,
   * id, author and times kept. Pending sends of it are dropped with its delivery. False if it was
   * one already.
   */
  tombstoneMessage(idx: number, now: number): boolean {
    const erased = this.all(
      "UPDATE messages SET body = '', media = '[]', attributes = '{}', delivery = NULL, deleted_at = ?, updated_at = ? WHERE idx = ? AND deleted_at IS NULL RETURNING idx",
      now, now, idx,
    );
    this.sql.exec("DELETE FROM delivery_claims WHERE idx = ?", idx);
    this.recent.forget(idx);
    return erased.length > 0;
  }

  /** Indexes of the oldest live messages created before `cutoff`, at most `limit`. */
  liveMessagesBefore(cutoff: number, limit: number): number[] {
    return this.all<{ idx: number }>("SELECT idx FROM messages WHERE deleted_at IS NULL AND created_at < ? ORDER BY created_at, idx LIMIT ?", cutoff, limit).map((r) => r.idx);
  }

  /** Erases the conversation's content, keeping the row as a tombstone so its id stays unknown. */
  eraseContent(): void {
    this.sql.exec("DELETE FROM messages");
    this.recent.clear();
    this.sql.exec("DELETE FROM participants");
    this.counts = undefined;
    this.idempotency.erase();
    this.sql.exec("DELETE FROM delivery_claims");
    this.assist.erase();
  }

  /** The index of the message a provider delivered under this id, if it was stored. */
  providerMessage(provider: string, providerId: string): number | undefined {
    return this.one<{ idx: number }>("SELECT idx FROM provider_messages WHERE provider = ? AND provider_id = ?", provider, providerId)?.idx;
  }

  recordProviderMessage(provider: string, providerId: string, idx: number): void {
    this.sql.exec("INSERT INTO provider_messages (provider, provider_id, idx) VALUES (?, ?, ?)", provider, providerId, idx);
  }
}
