import { z } from "@hono/zod-openapi";
import type { ExportJob } from "../contract/export";
import type { exportJobs } from "../db/schema";

/** A queue message of EXPORTS: do step `step` of an export (names only; everything else is in D1). */
export type ExportStepJob = { account_id: string; export_id: string; step: number };

export type ExportRow = typeof exportJobs.$inferSelect;

/** Where the next step starts: the last conversation whose line was written, and its last message's index written (−1: none yet). */
export const ExportCursor = z.object({
  conversation: z.object({ id: z.string(), created_at: z.number().int() }),
  after_index: z.number().int(),
});
export type ExportCursor = z.infer<typeof ExportCursor>;

export type UploadedPart = { partNumber: number; etag: string };

/** The R2 key of an export's file: under the account, in a prefix of its own (for a lifecycle rule). */
export const exportKey = (row: Pick<ExportRow, "accountId" | "id">) => `exports/${row.accountId}/${row.id}.ndjson`;

/** The staging object holding the bytes past the last full part that step `step` starts from. */
export const tailKey = (row: Pick<ExportRow, "accountId" | "id">, step: number) => `exports/${row.accountId}/${row.id}.tail/${step}`;

/** The path its signed download URL signs (src/media/signing.ts signPathUrl). */
export const downloadPath = (id: string) => `/exports/${id}`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The row as the API shows it; the download link is signed by the caller when the file exists. */
export function renderExport(row: ExportRow, download: { url: string; expiresAt: Date } | null): ExportJob {
  return {
    id: row.id,
    status: row.status,
    filters: JSON.parse(row.filters) as Record<string, string>,
    from: iso(row.rangeFrom),
    to: iso(row.rangeTo)!,
    progress: { conversations: row.conversationsDone, messages: row.messagesDone, bytes: row.bytesDone },
    download_url: download?.url ?? null,
    download_expires_at: download ? download.expiresAt.toISOString() : null,
    error: row.error,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
    completed_at: iso(row.completedAt),
  };
}
