import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Account-wide background jobs that keep their progress in D1: bulk exports and the retention run.
 */

/**
 * Bulk exports (src/export, migrations/0018_exports.sql): the job, its progress, and its place, which
 * each step records in the same statement that claims its number (`step`), so a crashed or retried
 * step resumes from the last recorded one and two copies of a step cannot both record.
 */
export const exportJobs = sqliteTable(
  "exports",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    status: text("status", { enum: ["queued", "running", "completed", "failed"] }).notNull(),
    /** JSON: the listing filters it was created with. */
    filters: text("filters").notNull(),
    rangeFrom: integer("range_from"),
    rangeTo: integer("range_to").notNull(),
    /** Steps recorded so far; the next step is this number. */
    step: integer("step").notNull().default(0),
    /** Until when the step under way holds the job (null: none does). */
    leaseUntil: integer("lease_until"),
    /** JSON: where the next step starts (src/export/cursor.ts); null before the first. */
    cursor: text("cursor"),
    /** The R2 multipart upload, once the output reached a full part. */
    uploadId: text("upload_id"),
    /** JSON: the uploaded parts, `[{ partNumber, etag }]`, in order. */
    parts: text("parts").notNull().default("[]"),
    /** Bytes past the last full part, waiting in the staging object of the last step. */
    tailBytes: integer("tail_bytes").notNull().default(0),
    conversationsDone: integer("conversations_done").notNull().default(0),
    messagesDone: integer("messages_done").notNull().default(0),
    bytesDone: integer("bytes_done").notNull().default(0),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [index("exports_by_account").on(t.accountId, t.id)],
);

/**
 * The retention job's progress (src/retention/job.ts), one row: the run in progress or the last
 * one, where it is (account, phase, keyset cursor), its lease and its counts.
 */
export const retentionRuns = sqliteTable("retention_runs", {
  id: integer("id").primaryKey(),
  startedAt: integer("started_at").notNull(),
  accountId: text("account_id"),
  phase: text("phase").notNull(),
  cursor: text("cursor"),
  finishedAt: integer("finished_at"),
  leasedUntil: integer("leased_until"),
  conversationsDeleted: integer("conversations_deleted").notNull().default(0),
  messagesDeleted: integer("messages_deleted").notNull().default(0),
  calls: integer("calls").notNull().default(0),
});
