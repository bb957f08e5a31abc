import type { OutboxKind, OutboxRow } from "../store";

/**
 * Rows this object keeps in memory for the tail it knows; past this many (a sink down for a long
 * while), passes read the table again until they have caught up.
 */
const KNOWN_ROWS_MAX = 1000;
/** Rows one INSERT writes (three bound values each). */
const FLUSH_ROWS = 30;

/** `INSERT INTO outbox (<columns>) VALUES (?, …), …` for `rows` rows, made once per shape. */
const insertSqls = new Map<string, string>();
function insertSql(columns: string, rows: number): string {
  const key = `${columns}/${rows}`;
  let sql = insertSqls.get(key);
  if (!sql) {
    const row = `(${columns.split(", ").map(() => "?").join(", ")})`;
    sql = `INSERT INTO outbox (${columns}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`;
    insertSqls.set(key, sql);
  }
  return sql;
}

/**
 * The outbox table (`seq INTEGER PRIMARY KEY AUTOINCREMENT`, so a seq is never reused), and what
 * this object knows of it without reading it. Every row is written here, so once a read has seen
 * the whole table past some seq, the object knows that tail: later appends join it and acks trim
 * it. A pass of a conversation written to a few times a second then reads no outbox rows at all
 * (in a CPU profile of bench case (c) that read was 4% of the isolate's samples, a quarter of the pass).
 *
 * The known tail is dropped, to be read again, whenever it might be wrong: a transaction rolled
 * back (`forget`, its appends are gone), the storage was deleted, or it grew past KNOWN_ROWS_MAX.
 */
export class OutboxTable {
  /**
   * Every row in the table with seq > `after`, in seq order, and the last seq the table has handed
   * out (AUTOINCREMENT's sqlite_sequence), so appends can name their seq rather than read it back;
   * null when not known.
   */
  private known: { after: number; rows: OutboxRow[]; last: number } | null = null;

  /** Rows appended in the change in progress, written together by `flush`. */
  private pending: { kind: OutboxKind; ref: string }[] = [];

  constructor(private readonly sql: SqlStorage) {}

  /** A row for the change in progress; `flush` writes it before the change commits. */
  append(kind: OutboxKind, ref: string): void {
    this.pending.push({ kind, ref });
  }

  /**
   * Writes the rows appended since the last flush, in one statement per FLUSH_ROWS: a send appends
   * two or three (its message, its conversation, its event), and each statement costs more than
   * the rows it carries. With the tail known they take the next seqs, and join it.
   */
  flush(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const known = this.known;
    for (let i = 0; i < rows.length; i += FLUSH_ROWS) {
      const part = rows.slice(i, i + FLUSH_ROWS);
      if (known) {
        const seqd = part.map(({ kind, ref }) => ({ seq: ++known.last, kind, ref }));
        this.sql.exec(insertSql("seq, kind, ref", part.length), ...seqd.flatMap((r) => [r.seq, r.kind, r.ref]));
        known.rows.push(...seqd);
      } else {
        this.sql.exec(insertSql("kind, ref", part.length), ...part.flatMap((r) => [r.kind, r.ref]));
      }
    }
    if (known && known.rows.length > KNOWN_ROWS_MAX) this.known = null;
  }

  /** Up to `limit` rows with seq > `after`, in seq order. */
  read(limit: number, after: number): OutboxRow[] {
    const known = this.known;
    if (known && after >= known.after) {
      const from = known.rows.findIndex((r) => r.seq > after);
      return from < 0 ? [] : known.rows.slice(from, from + limit);
    }
    const rows = this.sql.exec<OutboxRow>("SELECT seq, kind, ref FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", after, limit).toArray();
    // Fewer than asked for: that is the whole table past `after`.
    if (rows.length < limit && rows.length <= KNOWN_ROWS_MAX) {
      const handedOut = this.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").toArray()[0]?.seq ?? 0;
      this.known = { after, rows: [...rows], last: Math.max(handedOut, rows.at(-1)?.seq ?? 0, after) };
    }
    return rows;
  }

  /** Deletes the rows with seq <= `through`. */
  ack(through: number): void {
    this.sql.exec("DELETE FROM outbox WHERE seq <= ?", through);
    if (!this.known || through <= this.known.after) return;
    const from = this.known.rows.findIndex((r) => r.seq > through);
    this.known = { ...this.known, after: through, rows: from < 0 ? [] : this.known.rows.slice(from) };
  }

  /** Forgets the known tail and what is not yet written: after a rollback, or when the storage is deleted. */
  forget(): void {
    this.known = null;
    this.pending = [];
  }

  /** How far each sink has carried the outbox, as last saved. */
  progress(): { name: string; through: number }[] {
    return this.sql.exec<{ name: string; through: number }>("SELECT name, through FROM outbox_sinks").toArray();
  }

  saveProgress(name: string, through: number): void {
    this.sql.exec("INSERT INTO outbox_sinks (name, through) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET through = excluded.through", name, through);
  }
}
