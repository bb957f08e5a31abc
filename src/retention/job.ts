import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { readPolicy, type RetentionPolicy } from "./policy";
import { claimRun, nextAccount, releaseRun, saveRun, type Phase, type Run } from "./runs";
import { candidates, type Candidate } from "./candidates";

/**
 * The retention job (docs/architecture.md "Retention and deletion"), run by the Cron Trigger:
 * deletes whole conversations past their period since their last activity, and turns messages
 * past theirs into tombstones, unless a legal hold (the account's or the conversation's) is in
 * the way. D1 says where to look, by index; each conversation's Durable Object decides and does
 * it (`retain`), with its own periods and hold read in the same transaction as the deletion, so a
 * hold placed a moment ago wins over a D1 row that has not caught up. The objects' outboxes then
 * carry the deletions to D1, the search index and webhooks (`conversation.deleted`,
 * `message.deleted` with reason `retention`), and a deleted conversation's object erases its own
 * storage (commands/deletion.ts `erase`).
 *
 * Bounded and resumable: a run judges everything at the instant it started, walks the accounts in
 * id order and each account's phases in turn, in batches of `batchRows`, and saves where it is in
 * D1 after every batch (src/retention/runs.ts). An invocation stops after `callsPerRun` calls and
 * the next tick carries on from the saved place; whatever an interrupted batch did is done again,
 * which changes nothing (a tombstone is not made twice, a deleted conversation is a no-op).
 */

/** The cron expression of wrangler.toml's trigger that runs the job (hourly). */
export const RETENTION_CRON = "17 * * * *";

export type RetentionOptions = { batchRows: number; callsPerRun: number; messagesPerCall: number; leaseMs: number };

export const RETENTION_DEFAULTS: RetentionOptions = {
  batchRows: LIMITS.retentionBatchRows,
  callsPerRun: LIMITS.retentionCallsPerRun,
  messagesPerCall: LIMITS.retentionMessagesPerCall,
  leaseMs: LIMITS.retentionLeaseMs,
};

/** What an invocation left: the run's totals, and whether it finished. Null: another invocation holds the run. */
export type RetentionReport = { started_at: number; finished: boolean; conversations_deleted: number; messages_deleted: number; calls: number };

const PHASES: readonly Phase[] = ["conversations", "conversations_own", "messages", "messages_own"];

export async function runRetention(env: Pick<Env, "DB" | "CONVERSATION">, now: number, options: RetentionOptions = RETENTION_DEFAULTS): Promise<RetentionReport | null> {
  const run = await claimRun(env.DB, now, options.leaseMs);
  if (!run) return null;
  const budget = { left: options.callsPerRun };
  try {
    run.account_id ??= await nextAccount(env.DB, null);
    while (run.account_id !== null) {
      const policy = await readPolicy(env.DB, run.account_id);
      if (!policy.legalHold) {
        for (let p = PHASES.indexOf(run.phase); p < PHASES.length; p++) {
          if (run.phase !== PHASES[p]) Object.assign(run, { phase: PHASES[p], cursor: null });
          if (!(await runPhase(env, run, policy, options, budget))) return report(run, false);
        }
      }
      Object.assign(run, { account_id: await nextAccount(env.DB, run.account_id), phase: PHASES[0], cursor: null });
      await saveRun(env.DB, run);
    }
    run.finished_at = Date.now();
    return report(run, true);
  } finally {
    await releaseRun(env.DB, run);
  }
}

/** Runs one phase of one account to its end (true), or until the budget is spent (false), saving after every batch. */
async function runPhase(env: Pick<Env, "DB" | "CONVERSATION">, run: Run, policy: RetentionPolicy, options: RetentionOptions, budget: { left: number }): Promise<boolean> {
  const accountId = run.account_id!;
  for (;;) {
    const rows = await candidates(env.DB, run.phase, accountId, policy, run.started_at, run.cursor, options.batchRows);
    if (rows.length === 0) return true;
    // Each conversation once per batch, in the order it first appears: every row before a
    // conversation's first one belongs to a conversation already done.
    const first = new Map<string, number>();
    rows.forEach((r, i) => first.has(r.conversation_id) || first.set(r.conversation_id, i));
    for (const conversationId of first.keys()) {
      const done = await retainAll(env, run, conversationId, policy, options, budget);
      if (!done) {
        // Out of budget: the next invocation starts again at this conversation.
        const at = first.get(conversationId)!;
        if (at > 0) run.cursor = cursorOf(rows[at - 1]!);
        await saveRun(env.DB, run);
        return false;
      }
    }
    run.cursor = cursorOf(rows.at(-1)!);
    await saveRun(env.DB, run);
    if (rows.length < options.batchRows) return true;
  }
}

/** Calls the conversation until nothing of it is past its time (true), or the budget runs out first (false). */
async function retainAll(env: Pick<Env, "CONVERSATION">, run: Run, conversationId: string, policy: RetentionPolicy, options: RetentionOptions, budget: { left: number }): Promise<boolean> {
  const stub = env.CONVERSATION.get(env.CONVERSATION.idFromName(conversationId));
  for (;;) {
    if (budget.left <= 0) return false;
    budget.left--;
    run.calls++;
    const outcome = await stub.retain(run.account_id!, policy, run.started_at, options.messagesPerCall);
    if (!outcome.ok) throw new Error(`retention of ${conversationId} failed: ${outcome.problem.detail}`);
    const r = outcome.value;
    if (r.conversation_deleted) run.conversations_deleted++;
    run.messages_deleted += r.messages_deleted;
    if (!r.more) return true;
  }
}

const cursorOf = (c: Candidate) => JSON.stringify([c.at, c.key]);

function report(run: Run, finished: boolean): RetentionReport {
  return { started_at: run.started_at, finished, conversations_deleted: run.conversations_deleted, messages_deleted: run.messages_deleted, calls: run.calls };
}
