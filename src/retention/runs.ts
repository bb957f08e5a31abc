/**
 * The retention job's progress in D1 (migrations/0017_retention_runs.sql): one row, the run in
 * progress or the last one. An invocation takes the row's lease, carries the run on (or starts a
 * new one if the last finished), saves after every batch and gives the lease back at the end.
 */

/** The steps of a run within an account (src/retention/candidates.ts says what each reads). */
export type Phase = "conversations" | "conversations_own" | "messages" | "messages_own";

export type Run = {
  /** The run's instant: every period is counted back from it, however many invocations the run takes. */
  started_at: number;
  /** The account the run is at; null before the first and after the last. */
  account_id: string | null;
  phase: Phase;
  /** Where in the phase: a keyset position, `[at, key]` as JSON; null at its start. */
  cursor: string | null;
  finished_at: number | null;
  conversations_deleted: number;
  messages_deleted: number;
  calls: number;
};

const COLUMNS = "started_at, account_id, phase, cursor, finished_at, conversations_deleted, messages_deleted, calls";

/**
 * Takes the lease and answers the run to carry on: the unfinished one, or a new one starting at
 * `now` when the last finished (or there was none). Null if another invocation holds the lease.
 */
export async function claimRun(db: D1Database, now: number, leaseMs: number): Promise<Run | null> {
  const until = Date.now() + leaseMs;
  const [created, claimed] = await db.batch<Run>([
    db.prepare(`INSERT INTO retention_runs (id, started_at, phase, finished_at, leased_until) VALUES (1, ?1, 'conversations', NULL, ?2)
                ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`).bind(now, until),
    db.prepare(`UPDATE retention_runs SET leased_until = ?1 WHERE id = 1 AND (leased_until IS NULL OR leased_until <= ?2) RETURNING ${COLUMNS}`).bind(until, Date.now()),
  ]);
  const run = created?.results[0] ?? claimed?.results[0];
  if (!run) return null;
  if (run.finished_at === null) return run;
  const fresh: Run = { started_at: now, account_id: null, phase: "conversations", cursor: null, finished_at: null, conversations_deleted: 0, messages_deleted: 0, calls: 0 };
  await saveRun(db, fresh);
  return fresh;
}

export async function saveRun(db: D1Database, run: Run): Promise<void> {
  await db
    .prepare(`UPDATE retention_runs SET started_at = ?1, account_id = ?2, phase = ?3, cursor = ?4, finished_at = ?5, conversations_deleted = ?6, messages_deleted = ?7, calls = ?8 WHERE id = 1`)
    .bind(run.started_at, run.account_id, run.phase, run.cursor, run.finished_at, run.conversations_deleted, run.messages_deleted, run.calls)
    .run();
}

/** Saves the run as it is and gives the lease back, so the next tick need not wait it out. */
export async function releaseRun(db: D1Database, run: Run): Promise<void> {
  await saveRun(db, run);
  await db.prepare("UPDATE retention_runs SET leased_until = NULL WHERE id = 1").run();
}

/** The next account after `after` in id order (the first with null); null after the last. */
export async function nextAccount(db: D1Database, after: string | null): Promise<string | null> {
  const row = await db.prepare("SELECT id FROM accounts WHERE id > ?1 ORDER BY id LIMIT 1").bind(after ?? "").first<{ id: string }>();
  return row?.id ?? null;
}
