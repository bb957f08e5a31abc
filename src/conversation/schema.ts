import { ASSIST_SCHEMA } from "./assist-store";

/**
 * The ConversationDO's private SQLite schema. Migrations are append-only; the applied version lives
 * in a row of its own because `PRAGMA user_version` is not allowed in Durable Object SQLite.
 * Times are epoch milliseconds.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversation (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    unique_name TEXT,
    friendly_name TEXT,
    subject TEXT,
    channel TEXT,
    status TEXT NOT NULL,
    tags TEXT NOT NULL,
    attributes TEXT NOT NULL,
    next_index INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    last_activity_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
  );
  CREATE TABLE participants (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT UNIQUE,
    identity TEXT UNIQUE,
    attributes TEXT NOT NULL,
    last_read_index INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE messages (
    idx INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    author TEXT NOT NULL,
    author_kind TEXT NOT NULL,
    participant_id TEXT,
    body TEXT NOT NULL,
    media TEXT NOT NULL,
    channel TEXT NOT NULL,
    attributes TEXT NOT NULL,
    delivery TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL
  );
  `,
  // v2: presence. When a participant's last socket went away (null: never connected).
  `ALTER TABLE participants ADD COLUMN last_seen_at INTEGER;`,
  // v3: the alarm forgets idempotency keys by age.
  `CREATE INDEX idempotency_created ON idempotency (created_at);`,
  // v4: outbox sinks keep their own progress (a row is deleted once every sink has carried it).
  `CREATE TABLE outbox_sinks (name TEXT PRIMARY KEY, through INTEGER NOT NULL);`,
  // v5: provider message ids of inbound messages, so a retried webhook is stored once.
  `CREATE TABLE provider_messages (provider TEXT NOT NULL, provider_id TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (provider, provider_id));`,
  // v6: the conversation's change counter guarded the D1 projection; the outbox sequence does now.
  `ALTER TABLE conversation DROP COLUMN version;`,
  // v7: outbound delivery. A claim is the lease a delivery consumer holds while it calls the
  // provider, so a redelivered queue message does not send the same attempt alongside it; the
  // index finds a recipient's own latest message (the 24-hour window, email threading).
  `CREATE TABLE delivery_claims (idx INTEGER NOT NULL, participant_id TEXT NOT NULL, claimed_at INTEGER NOT NULL, PRIMARY KEY (idx, participant_id));
   CREATE INDEX messages_by_participant ON messages (participant_id, idx);`,
  // v8: lifecycle timers, in ms since the last activity (null: off).
  `ALTER TABLE conversation ADD COLUMN inactive_after_ms INTEGER;
   ALTER TABLE conversation ADD COLUMN closed_after_ms INTEGER;`,
  // v9: retention. The conversation's own periods in ms (null: the account's) and its legal hold;
  // a deleted message keeps its slot as a tombstone (deleted_at set, content erased), and the
  // index finds the oldest live messages the retention job tombstones.
  `ALTER TABLE conversation ADD COLUMN retention_messages_ms INTEGER;
   ALTER TABLE conversation ADD COLUMN retention_conversation_ms INTEGER;
   ALTER TABLE conversation ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
   CREATE INDEX messages_live ON messages (created_at) WHERE deleted_at IS NULL;`,
  // AI drafts and the handoff state (assist-store.ts).
  ASSIST_SCHEMA,
];

export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const current = sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0]?.version ?? 0;
  if (current === MIGRATIONS.length) return;
  // Synchronous SQL with no await in between commits as one transaction.
  for (const step of MIGRATIONS.slice(current)) sql.exec(step);
  sql.exec("DELETE FROM schema_version");
  sql.exec("INSERT INTO schema_version (version) VALUES (?)", MIGRATIONS.length);
}

/**
 * Whether this object was ever given a schema. Objects addressed by an id nobody created (a typo, a
 * probe) are asked first, so answering their 404 writes nothing and leaves no storage behind.
 */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
}
