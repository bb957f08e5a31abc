import type { EventEnvelope } from "../contract/events";
import { utf8Length } from "../lib/crypto";
import type { ProjectionPayload } from "./payload";

/**
 * A bound JSON parameter may be up to D1's 2 MB value limit; chunks stay well under it. Each chunk
 * is the same handful of set-based statements, however many conversations it carries.
 */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Writes projection payloads, from any number of conversations, to D1 in ONE atomic batch.
 *
 * Set-based SQL over the payloads as one JSON parameter (`json_each(?1)`), rather than a statement
 * per row: the statement count stays constant per chunk (D1 counts statements per invocation, and
 * binds at most 100 parameters each), and drizzle cannot express INSERT … SELECT FROM json_each,
 * hence plain prepared statements against the tables of src/db/schema.ts.
 *
 * Payloads may come twice and in any order (queues promise neither), so every write is guarded:
 * - a row is replaced only by a newer `version` (the outbox sequence its snapshot is current
 *   through), so an older snapshot arriving late changes nothing;
 * - a deleted conversation leaves a tombstone in `deleted_conversations`, and a removed participant
 *   one in `removed_participants`, that older upserts cannot get past (ids are never reused);
 * - the tag index is rebuilt from the winning row's `tags`, so it always matches the listing.
 * D1 runs a batch's statements in order, in one transaction, so the guards hold under concurrency.
 */
export async function applyProjections(db: D1Database, payloads: ProjectionPayload[], events: readonly EventEnvelope[] = []): Promise<Applied> {
  const statements: Statement[] = [];
  for (const chunk of chunks(payloads)) statements.push(...chunkStatements(chunk));
  statements.push(...eventStatements(events));
  const applied: Applied = { listings: new Set(), messages: new Set(), deleted: new Set() };
  if (statements.length === 0) return applied;
  const results = await db.batch(statements.map((s) => db.prepare(s.sql).bind(s.json)));
  // What each guarded write actually wrote (RETURNING yields only rows inserted or updated).
  statements.forEach(({ reports }, i) => {
    if (!reports) return;
    for (const row of (results[i]?.results ?? []) as { id: string; version?: number }[]) {
      applied[reports].add(reports === "listings" ? `${row.id}@${row.version}` : row.id);
    }
  });
  return applied;
}

/**
 * What a batch wrote, for the account stream, which must announce only what won: a stale payload
 * (a retried older snapshot) or one for a deleted conversation wrote nothing and says nothing.
 * `listings` holds `conversation_id@version`; `messages` message ids; `deleted` conversation ids
 * whose tombstone this batch laid.
 */
export type Applied = { listings: Set<string>; messages: Set<string>; deleted: Set<string> };

type Statement = { sql: string; json: string; reports?: keyof Applied };

function* chunks(payloads: ProjectionPayload[]): Generator<ProjectionPayload[]> {
  let chunk: ProjectionPayload[] = [];
  let bytes = 0;
  for (const payload of payloads) {
    const size = utf8Length(JSON.stringify(payload));
    if (chunk.length > 0 && bytes + size > CHUNK_BYTES) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(payload);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** The ids of a chunk's payloads that delete their conversation. */
const DELETED = `SELECT value ->> '$.conversation_id' FROM json_each(?1) WHERE value ->> '$.deleted' = 1`;
/** The ids of a chunk's payloads that carry a listing row. */
const LISTED = `SELECT value ->> '$.conversation_id' FROM json_each(?1) WHERE json_type(value, '$.conversation') = 'object'`;
/**
 * A message deleted since (a tombstone now): the events that carried it carry its tombstone
 * instead, so its text is gone from D1 altogether (and from webhook replays). Found by message
 * (events_by_message, migration 0016).
 */
export const REWRITE_TOMBSTONED_EVENTS = `UPDATE events SET payload = json_set(payload, '$.data.message', (SELECT m.value -> '$.resource' FROM json_each(?1) m
    WHERE m.value ->> '$.id' = events.payload ->> '$.data.message.id'))
  WHERE payload ->> '$.data.message.id' IN (SELECT m.value ->> '$.id' FROM json_each(?1) m WHERE m.value ->> '$.resource.deleted_at' IS NOT NULL)
    AND type IN ('message.added', 'message.updated')`;
/** The element `row` of a json_each names a conversation that is not deleted. */
const alive = (row: string) => `NOT EXISTS (SELECT 1 FROM deleted_conversations d WHERE d.id = ${row}.value ->> '$.conversation_id')`;

/**
 * Each statement is bound only the part of the chunk it reads: the listing rows and deletions, the
 * participants, or the messages. D1 parses its JSON parameter once per statement, and a pass's
 * messages (the bulk of a payload) would otherwise be parsed by every statement of the batch.
 */
function chunkParts(chunk: ProjectionPayload[]) {
  const key = (p: ProjectionPayload) => ({ account_id: p.account_id, conversation_id: p.conversation_id, version: p.version });
  return {
    head: JSON.stringify(chunk.map(({ messages: _m, participants: _p, events: _e, ...head }) => head)),
    people: JSON.stringify(chunk.filter((p) => p.participants.length > 0).map((p) => ({ ...key(p), participants: p.participants }))),
    // Flat, one element per message: SQLite renders a json_each element it is asked about as text, so
    // a nested walk (payloads, then their messages) would copy every message twice more.
    texts: JSON.stringify(chunk.flatMap((p) => p.messages.map((m) => ({ ...key(p), ...m })))),
  };
}

function chunkStatements(chunk: ProjectionPayload[]): Statement[] {
  const parts = chunkParts(chunk);
  const out: Statement[] = [];
  const add = (part: keyof typeof parts, ...statements: (string | [string, keyof Applied])[]) => {
    for (const s of statements) out.push(typeof s === "string" ? { sql: s, json: parts[part] } : { sql: s[0], json: parts[part], reports: s[1] });
  };
  if (chunk.some((p) => p.deleted)) {
    add("head", 
      [
        `INSERT INTO deleted_conversations (id, account_id, deleted_at)
         SELECT p.value ->> '$.conversation_id', p.value ->> '$.account_id', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM json_each(?1) p
         WHERE p.value ->> '$.deleted' = 1
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        "deleted",
      ],
      `DELETE FROM messages WHERE conversation_id IN (${DELETED})`,
      `DELETE FROM conversation_participants WHERE conversation_id IN (${DELETED})`,
      `DELETE FROM removed_participants WHERE conversation_id IN (${DELETED})`,
      `DELETE FROM conversation_tags WHERE conversation_id IN (${DELETED})`,
      // Its events go too (their data holds its messages), but the one that says it was deleted.
      `DELETE FROM events WHERE conversation_id IN (${DELETED}) AND type <> 'conversation.deleted'`,
      `DELETE FROM conversations WHERE id IN (${DELETED})`,
      `DELETE FROM conversation_names WHERE (account_id, conversation_id) IN
         (SELECT value ->> '$.account_id', value ->> '$.conversation_id' FROM json_each(?1) WHERE value ->> '$.deleted' = 1)`,
    );
  }
  if (chunk.some((p) => p.conversation !== null)) {
    add("head", 
      [
        `INSERT INTO conversations (id, account_id, status, channel, tags, last_activity_at, created_at, message_count, version, resource,
           retention_messages_ms, retention_conversation_ms, legal_hold)
         SELECT p.value ->> '$.conversation_id', p.value ->> '$.account_id', p.value ->> '$.conversation.status',
           p.value ->> '$.conversation.channel', p.value -> '$.conversation.tags', p.value ->> '$.conversation.last_activity_at',
           p.value ->> '$.conversation.created_at', p.value ->> '$.conversation.message_count', p.value ->> '$.version',
           p.value -> '$.conversation.resource', p.value ->> '$.conversation.retention_messages_ms',
           p.value ->> '$.conversation.retention_conversation_ms', coalesce(p.value ->> '$.conversation.legal_hold', 0)
         FROM json_each(?1) p
         WHERE json_type(p.value, '$.conversation') = 'object' AND ${alive("p")}
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, channel = excluded.channel, tags = excluded.tags,
           last_activity_at = excluded.last_activity_at, message_count = excluded.message_count, version = excluded.version,
           resource = excluded.resource, retention_messages_ms = excluded.retention_messages_ms,
           retention_conversation_ms = excluded.retention_conversation_ms, legal_hold = excluded.legal_hold
         WHERE excluded.version > conversations.version
         RETURNING id, version`,
        "listings",
      ],
      // The tag index follows whatever listing row won, so an out-of-order payload cannot leave it stale.
      `DELETE FROM conversation_tags WHERE conversation_id IN (${LISTED})
         AND NOT EXISTS (SELECT 1 FROM conversations c, json_each(c.tags) t WHERE c.id = conversation_tags.conversation_id AND t.value = conversation_tags.tag)`,
      `INSERT OR IGNORE INTO conversation_tags (account_id, tag, conversation_id)
       SELECT c.account_id, t.value, c.id FROM conversations c, json_each(c.tags) t WHERE c.id IN (${LISTED})`,
    );
  }
  if (chunk.some((p) => p.removed_participants.length > 0)) {
    add("head", 
      `INSERT OR IGNORE INTO removed_participants (id, conversation_id)
       SELECT r.value, p.value ->> '$.conversation_id' FROM json_each(?1) p, json_each(p.value, '$.removed_participants') r
       WHERE ${alive("p")}`,
      `DELETE FROM conversation_participants WHERE id IN (SELECT r.value FROM json_each(?1) p, json_each(p.value, '$.removed_participants') r)`,
    );
  }
  if (chunk.some((p) => p.participants.length > 0)) {
    add("people", 
      `INSERT INTO conversation_participants (id, account_id, conversation_id, kind, channel, address, identity, last_read_index, version)
       SELECT x.value ->> '$.id', p.value ->> '$.account_id', p.value ->> '$.conversation_id', x.value ->> '$.kind',
         x.value ->> '$.channel', x.value ->> '$.address', x.value ->> '$.identity', x.value ->> '$.last_read_index', p.value ->> '$.version'
       FROM json_each(?1) p, json_each(p.value, '$.participants') x
       WHERE ${alive("p")} AND NOT EXISTS (SELECT 1 FROM removed_participants r WHERE r.id = x.value ->> '$.id')
       ON CONFLICT (id) DO UPDATE SET last_read_index = excluded.last_read_index, version = excluded.version
       WHERE excluded.version > conversation_participants.version`,
    );
  }
  if (chunk.some((p) => p.messages.length > 0)) {
    add("texts", [
      `INSERT INTO messages (id, account_id, conversation_id, idx, body, created_at, resource, version)
       SELECT m.value ->> '$.id', m.value ->> '$.account_id', m.value ->> '$.conversation_id', m.value ->> '$.index',
         m.value ->> '$.resource.body', m.value ->> '$.created_at', m.value -> '$.resource', m.value ->> '$.version'
       FROM json_each(?1) m
       WHERE ${alive("m")}
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, resource = excluded.resource, version = excluded.version
       WHERE excluded.version > messages.version
       RETURNING id`,
      "messages",
    ]);
  }
  if (chunk.some((p) => p.messages.some((m) => m.resource.deleted_at))) {
    add("texts", REWRITE_TOMBSTONED_EVENTS);
  }
  return out;
}

/**
 * The events, kept whole (the envelope is a webhook's body) in the same batch as the changes they
 * describe. An event id is stable, so a payload carried twice stores its events once.
 */
function eventStatements(events: readonly EventEnvelope[]): Statement[] {
  const statements: Statement[] = [];
  let rows: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (rows.length === 0) return;
    statements.push({
      sql: `INSERT OR IGNORE INTO events (id, account_id, conversation_id, type, sequence, occurred_at, payload)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value -> 6 FROM json_each(?1)`,
      json: `[${rows.join(",")}]`,
    });
    rows = [];
    bytes = 0;
  };
  for (const e of events) {
    // The envelope as a JSON value, not a string of it: serialised once, and `->` gives SQLite's text of it.
    const row = JSON.stringify([e.id, e.account_id, e.conversation_id, e.type, e.sequence, Date.parse(e.occurred_at), e]);
    if (bytes + row.length > CHUNK_BYTES) flush();
    rows.push(row);
    bytes += row.length;
  }
  flush();
  return statements;
}
