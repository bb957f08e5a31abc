import type { Env } from "../env";
import { conversation } from "../api/http";
import { settingsOf } from "../settings/cached";
import { requestAgent } from "../routing";
import { aiConfigOf, aiOn } from "./config";
import { draftReply } from "./draft";
import { escalationReasons } from "./escalation";
import type { DraftJob } from "./job";
import { markCited } from "./knowledge/store";
import { detectLanguage } from "./language";

/**
 * The DRAFTS queue's consumer: drafts replies to customers' messages and asks routing for agents
 * for conversations handed off. Jobs run concurrently (an LLM engine waits on its endpoint); each
 * is acked on its own, and a failure retries that job alone, backing off.
 */
export const isDrafts = (queue: string) => queue.endsWith("-drafts");
export const isDeadDrafts = (queue: string) => queue.endsWith("-drafts-dlq");

const retryDelay = (attempts: number) => Math.min(300, 2 ** attempts);

export async function consumeDrafts(batch: MessageBatch<DraftJob>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (m) => {
      try {
        if (m.body.kind === "draft") await draft(env, m.body);
        else await route(env, m.body);
        m.ack();
      } catch (error) {
        console.error(`draft job ${m.body.kind} for ${m.body.conversation_id} failed; retrying:`, error);
        m.retry({ delaySeconds: retryDelay(m.attempts) });
      }
    }),
  );
}

/**
 * The DRAFTS queue's dead letters: jobs that failed on every try. A draft that never came hands the
 * conversation to a person (reason `draft_failed`, a `handoff.requested` event, routing asked for an
 * agent), so the customer's message is not left unanswered by anyone; not when AI has been turned off
 * for it since (people answer it anyway). A handoff that routing failed throughout already shows as
 * `handoff_pending` (GET …/handoff, its `handoff.requested` event) for an agent to accept: logged only.
 */
export async function failDeadDrafts(batch: MessageBatch<DraftJob>, env: Env): Promise<void> {
  for (const m of batch.messages) {
    const job = m.body;
    try {
      if (job.kind === "draft") await escalateFailedDraft(env, job);
      else console.error(`routing conversation ${job.conversation_id} failed on every try; it stays handoff_pending`);
      m.ack();
    } catch (error) {
      console.error(`dead draft job ${job.kind} for ${job.conversation_id}; retrying:`, error);
      m.retry({ delaySeconds: 300 });
    }
  }
}

async function escalateFailedDraft(env: Env, job: Extract<DraftJob, { kind: "draft" }>): Promise<void> {
  const stub = conversation(env, job.conversation_id);
  const ctx = await stub.draftContext(job.account_id, job.index);
  if (!ctx.ok || ctx.value.existing || ctx.value.closed) return;
  if (!aiOn(await aiConfigOf(env, job.account_id), ctx.value.ai_enabled)) return;
  const handed = await stub.draftFailed(job.account_id, job.index);
  if (!handed.ok && handed.problem.status >= 500) throw new Error(handed.problem.detail);
}

async function draft(env: Env, job: Extract<DraftJob, { kind: "draft" }>): Promise<void> {
  const stub = conversation(env, job.conversation_id);
  const ctx = await stub.draftContext(job.account_id, job.index);
  // Gone (deleted, its content erased), already drafted (a redelivered job), or closed: nothing to do.
  if (!ctx.ok || ctx.value.existing || ctx.value.closed) return;
  const config = await aiConfigOf(env, job.account_id);
  if (!aiOn(config, ctx.value.ai_enabled)) return;
  const question = ctx.value.message.body;
  const language = detectLanguage(question);
  const drafted = await draftReply(env, config, job.account_id, { question, history: ctx.value.history, language });
  // Before the draft exists, so a document changed meanwhile keeps what the draft will cite.
  await markCited(env.DB, drafted.passages.map((p) => p.passage_id));
  const { fallback_order } = await settingsOf(env, job.account_id);
  const recorded = await stub.recordDraft(
    job.account_id,
    {
      index: job.index,
      body: drafted.body,
      confidence: drafted.confidence,
      features: drafted.features,
      engine: drafted.engine,
      fallback: drafted.fallback,
      passages: drafted.passages,
      escalation: escalationReasons(question, config.escalation),
      topic: drafted.confidence > 0 ? drafted.topic : null,
      language,
    },
    {
      auto_send: config.thresholds.auto_send,
      review: config.thresholds.review,
      low_confidence_streak: config.escalation.low_confidence_streak,
      review_ttl_ms: config.review_ttl_seconds * 1000,
      defaults: { fallback_order },
    },
  );
  // A 404 (deleted meanwhile) or 409 (closed meanwhile) is the conversation's answer, not a failure to retry.
  if (!recorded.ok && recorded.problem.status >= 500) throw new Error(recorded.problem.detail);
}

async function route(env: Env, job: Extract<DraftJob, { kind: "handoff" }>): Promise<void> {
  const stub = conversation(env, job.conversation_id);
  const state = await stub.handoff(job.account_id);
  // Accepted or handed back meanwhile, or gone: nobody to find.
  if (!state.ok || state.value.state !== "handoff_pending") return;
  const routed = await requestAgent(env, {
    accountId: job.account_id,
    conversationId: job.conversation_id,
    ...(state.value.topic !== null && { topic: state.value.topic }),
    ...(state.value.language !== null && { language: state.value.language }),
    priority: state.value.reasons.some((r) => r === "negative_sentiment" || r === "keyword") ? "high" : "normal",
  });
  if (!routed.ok && routed.problem.status >= 500) throw new Error(routed.problem.detail);
}
