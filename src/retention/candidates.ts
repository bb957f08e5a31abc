import type { RetentionPolicy } from "./policy";
import type { Phase } from "./runs";

/**
 * Where the retention job looks, phase by phase, in one account: D1 rows that may be past their
 * time, by index (migrations/0016_retention.sql), in keyset order from the run's cursor. Only
 * candidates: each conversation's Durable Object decides, by its own state (D1 may lag it).
 *
 * - `conversations`: conversations on the account's period whose last activity is that long ago;
 * - `conversations_own`: conversations with a period of their own that has run out;
 * - `messages`: the account's live messages older than its message period, in conversations on
 *   that period (a conversation appears once per batch however many of its messages do);
 * - `messages_own`: conversations with a message period of their own (each is asked every run:
 *   they are few, and D1 cannot tell cheaply which of them have anything due).
 * Held conversations are left out by the indexes themselves; an account on hold is not read at all.
 */
export type Candidate = { conversation_id: string; at: number; key: string };

export async function candidates(db: D1Database, phase: Phase, accountId: string, policy: RetentionPolicy, now: number, cursor: string | null, limit: number): Promise<Candidate[]> {
  const [at, key] = cursor === null ? [-Number.MAX_SAFE_INTEGER, ""] : (JSON.parse(cursor) as [number, string]);
  const query = (sql: string, ...binds: unknown[]) => db.prepare(sql).bind(...binds).all<Candidate>().then((r) => r.results);
  switch (phase) {
    case "conversations":
      if (policy.conversationsMs === null) return [];
      return query(
        `SELECT id AS conversation_id, last_activity_at AS at, id AS key FROM conversations
         WHERE account_id = ?1 AND retention_conversation_ms IS NULL AND legal_hold = 0 AND last_activity_at <= ?2
           AND (last_activity_at, id) > (?3, ?4)
         ORDER BY last_activity_at, id LIMIT ?5`,
        accountId, now - policy.conversationsMs, at, key, limit,
      );
    case "conversations_own":
      return query(
        `SELECT id AS conversation_id, last_activity_at + retention_conversation_ms AS at, id AS key FROM conversations
         WHERE account_id = ?1 AND retention_conversation_ms IS NOT NULL AND legal_hold = 0 AND last_activity_at + retention_conversation_ms <= ?2
           AND (last_activity_at + retention_conversation_ms, id) > (?3, ?4)
         ORDER BY last_activity_at + retention_conversation_ms, id LIMIT ?5`,
        accountId, now, at, key, limit,
      );
    case "messages":
      if (policy.messagesMs === null) return [];
      return query(
        `SELECT m.conversation_id AS conversation_id, m.created_at AS at, m.id AS key FROM messages m
         WHERE m.account_id = ?1 AND m.resource ->> '$.deleted_at' IS NULL AND m.created_at < ?2 AND (m.created_at, m.id) > (?3, ?4)
           AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id AND c.retention_messages_ms IS NULL AND c.legal_hold = 0)
         ORDER BY m.created_at, m.id LIMIT ?5`,
        accountId, now - policy.messagesMs, at, key, limit,
      );
    case "messages_own":
      return query(
        `SELECT id AS conversation_id, 0 AS at, id AS key FROM conversations
         WHERE account_id = ?1 AND retention_messages_ms IS NOT NULL AND legal_hold = 0 AND id > ?2
         ORDER BY id LIMIT ?3`,
        accountId, key, limit,
      );
  }
}
