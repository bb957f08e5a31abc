import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { tailKey, type ExportStepJob } from "./job";
import { runStep, type StepBounds } from "./step";
import { claimStep, failExport, loadExport, recordStep, releaseStep } from "./store";

export const isExports = (queue: string) => queue.endsWith("-exports");
export const isDeadExports = (queue: string) => queue.endsWith("-exports-dlq");

/** For tests: smaller steps, a clock, and where the next step is queued. */
export type AdvanceOptions = StepBounds & { now?: () => number; enqueue?: (job: ExportStepJob) => Promise<void> };

/** What to do with the queue message: done with it, or try it again after a while. */
export type Advance = { ack: true } | { retryAfterSeconds: number };

/** A step that threw is tried again after 2, 4, 8 … seconds, at most 5 minutes. */
const backoffSeconds = (attempts: number) => Math.min(300, 2 ** Math.min(attempts, 9));

/**
 * The EXPORTS queue's consumer: each message is one step of one export (src/export/step.ts), run
 * one after another (a step reads and writes megabytes; the queue's concurrency spreads exports).
 */
export async function consumeExports(batch: MessageBatch<ExportStepJob>, env: Env, options: AdvanceOptions = {}): Promise<void> {
  for (const message of batch.messages) {
    try {
      const outcome = await advanceExport(env, message.body, options);
      if ("ack" in outcome) message.ack();
      else message.retry({ delaySeconds: outcome.retryAfterSeconds });
    } catch (error) {
      console.error(`export ${message.body.export_id}: step ${message.body.step} failed; retrying:`, error);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

/**
 * Step `job.step` of an export, at most once. The step is taken (a lease in the job's row), run, the
 * next step queued, and then recorded with a statement that applies only while `job.step` is still
 * the job's next step. Queued before recording, so a crash in between leaves the next step's
 * message waiting (it retries until this step is recorded, by this message or its retry) rather
 * than an export with nothing queued; a copy of a step that is held waits for the lease, and one
 * that was recorded is dropped.
 */
export async function advanceExport(env: Env, job: ExportStepJob, options: AdvanceOptions = {}): Promise<Advance> {
  const now = options.now?.() ?? Date.now();
  const row = await claimStep(env.DB, job.account_id, job.export_id, job.step, now, LIMITS.exportLeaseMs);
  if (!row) {
    const current = await loadExport(env.DB, job.export_id);
    if (!current || current.accountId !== job.account_id || current.status === "completed" || current.status === "failed" || current.step > job.step) return { ack: true };
    // Another copy holds this step, or this is the next step, queued before its predecessor recorded.
    const held = current.step === job.step && current.leaseUntil !== null ? Math.ceil((current.leaseUntil - now) / 1000) : 1;
    return { retryAfterSeconds: Math.max(1, Math.min(held, LIMITS.exportLeaseMs / 1000)) };
  }
  const enqueue = options.enqueue ?? ((next: ExportStepJob) => env.EXPORTS.send(next, { contentType: "json" }));
  try {
    const { record, done } = await runStep(env, row, options);
    if (!done) await enqueue({ ...job, step: job.step + 1 });
    if (await recordStep(env.DB, row.id, row.step, record, Date.now())) {
      // The staged bytes this step started from are in its parts or its own staged tail now.
      if (row.tailBytes > 0) await env.MEDIA.delete(tailKey(row, row.step)).catch(() => undefined);
    }
    return { ack: true };
  } catch (error) {
    await releaseStep(env.DB, row.id, row.step).catch(() => undefined);
    throw error;
  }
}

/** Steps the queue gave up on (they threw on every retry): their export is failed, unless it has moved on since. */
export async function failDeadExports(batch: MessageBatch<ExportStepJob>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const row = await loadExport(env.DB, message.body.export_id);
    if (row && row.step === message.body.step) await failExport(env.DB, row.id, `step ${row.step} of the export failed on every retry`, Date.now());
    message.ack();
  }
}
