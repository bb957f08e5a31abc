/**
 * The RoutingDO's private SQLite schema (one object per account). Append-only migrations, the
 * applied version in a row of its own (`PRAGMA user_version` is not allowed in DO SQLite).
 *
 * `requests` holds every conversation routing knows: a row with no `agent` is waiting in the queue,
 * one with an agent holds one of that agent's seats. An agent's load is a count of its rows, so the
 * assignment and the seat it takes are one UPDATE: there is no separate counter to drift.
 * `participant_id` stays null until the agent's participant add has gone through (see assign.ts).
 * Times are epoch milliseconds.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE account (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), id TEXT NOT NULL);
  CREATE TABLE agents (
    identity TEXT PRIMARY KEY,
    name TEXT,
    skills TEXT NOT NULL,
    languages TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    status TEXT NOT NULL,
    last_assigned_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE requests (
    conversation_id TEXT PRIMARY KEY,
    topics TEXT NOT NULL,
    language TEXT,
    priority INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    agent TEXT,
    participant_id TEXT,
    assigned_at INTEGER,
    add_attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX requests_queue ON requests (priority DESC, requested_at, conversation_id) WHERE agent IS NULL;
  CREATE INDEX requests_by_agent ON requests (agent) WHERE agent IS NOT NULL;
  CREATE INDEX requests_owed ON requests (assigned_at) WHERE agent IS NOT NULL AND participant_id IS NULL;
  CREATE TABLE pending_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    envelope TEXT NOT NULL
  );
  `,
];

/** Whether this object was ever written to: a release for an account that never routed creates nothing. */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'routing_schema'").toArray().length > 0;
}

export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS routing_schema (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL)");
  const applied = sql.exec<{ version: number }>("SELECT version FROM routing_schema").toArray()[0]?.version ?? 0;
  for (let v = applied; v < MIGRATIONS.length; v++) sql.exec(MIGRATIONS[v]!);
  sql.exec("INSERT INTO routing_schema (singleton, version) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET version = excluded.version", MIGRATIONS.length);
}
