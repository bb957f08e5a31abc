import { z } from "@hono/zod-openapi";
import { and, desc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { exportJobs } from "../db/schema";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import type { ExportRow } from "./job";

/** D1 for bulk exports: the jobs, and the conditional writes that make each step happen once. */

export async function insertExport(database: D1Database, row: typeof exportJobs.$inferInsert): Promise<void> {
  await drizzle(database).insert(exportJobs).values(row);
}

export async function deleteExport(database: D1Database, id: string): Promise<void> {
  await drizzle(database).delete(exportJobs).where(eq(exportJobs.id, id));
}

export async function loadExport(database: D1Database, id: string): Promise<ExportRow | undefined> {
  return drizzle(database).select().from(exportJobs).where(eq(exportJobs.id, id)).get();
}

/** One of the account's exports; another account's is as unknown as a missing one. */
export async function accountExport(database: D1Database, accountId: string, id: string): Promise<ExportRow | undefined> {
  return drizzle(database)
    .select()
    .from(exportJobs)
    .where(and(eq(exportJobs.accountId, accountId), eq(exportJobs.id, id)))
    .get();
}

/** The account's exports, newest first (ids are ULIDs), keyed by the last id. */
export async function listExports(database: D1Database, accountId: string, q: { limit: number; cursor?: string }): Promise<{ rows: ExportRow[]; next_cursor: string | null }> {
  const before = q.cursor === undefined ? undefined : lt(exportJobs.id, decodeCursor(q.cursor, z.string()));
  const rows = await drizzle(database)
    .select()
    .from(exportJobs)
    .where(and(eq(exportJobs.accountId, accountId), before))
    .orderBy(desc(exportJobs.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
}

/**
 * Takes step `step` of an unfinished export for `leaseMs`, unless another step holds it: the row as
 * taken, or undefined (finished, another step number, or held).
 */
export async function claimStep(database: D1Database, accountId: string, id: string, step: number, now: number, leaseMs: number): Promise<ExportRow | undefined> {
  const [row] = await drizzle(database)
    .update(exportJobs)
    .set({ leaseUntil: now + leaseMs, status: "running", updatedAt: now })
    .where(
      and(
        eq(exportJobs.id, id),
        eq(exportJobs.accountId, accountId),
        eq(exportJobs.step, step),
        inArray(exportJobs.status, ["queued", "running"]),
        or(isNull(exportJobs.leaseUntil), lt(exportJobs.leaseUntil, now)),
      ),
    )
    .returning();
  return row;
}

/** What a step records: its place, parts and progress (and, for the last, completion). */
export type StepRecord = Pick<ExportRow, "cursor" | "uploadId" | "parts" | "tailBytes" | "conversationsDone" | "messagesDone" | "bytesDone"> &
  Partial<Pick<ExportRow, "status" | "completedAt">>;

/** Records step `step` and releases the job, if step `step` is still the job's next: whether it did. */
export async function recordStep(database: D1Database, id: string, step: number, record: StepRecord, now: number): Promise<boolean> {
  const rows = await drizzle(database)
    .update(exportJobs)
    .set({ ...record, step: step + 1, leaseUntil: null, updatedAt: now })
    .where(and(eq(exportJobs.id, id), eq(exportJobs.step, step)))
    .returning({ id: exportJobs.id });
  return rows.length === 1;
}

/** Lets step `step` be taken again at once (it failed without recording). */
export async function releaseStep(database: D1Database, id: string, step: number): Promise<void> {
  await drizzle(database).update(exportJobs).set({ leaseUntil: null }).where(and(eq(exportJobs.id, id), eq(exportJobs.step, step)));
}

export async function failExport(database: D1Database, id: string, error: string, now: number): Promise<void> {
  await drizzle(database)
    .update(exportJobs)
    .set({ status: "failed", error, leaseUntil: null, updatedAt: now, completedAt: now })
    .where(and(eq(exportJobs.id, id), inArray(exportJobs.status, ["queued", "running"])));
}
