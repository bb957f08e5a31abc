import { aiConfigOf, aiOn } from "../../../ai/config";
import type { DraftJob } from "../../../ai/job";
import type { Env } from "../../../env";
import type { PassBatch, Sink } from "../sink";

/**
 * The AI's work, off the request path and at least once: each `assist` row (a customer's message
 * to draft a reply to, `draft:<index>`; a handoff to route, `handoff`) becomes a job on the DRAFTS
 * queue (src/ai/consumer.ts). A draft is asked for only where AI is on (the conversation's
 * override, else the account's setting, read through a per-isolate cache); the consumer checks
 * again, and drafts each message once, so a row carried twice costs a job and nothing else.
 */
export class AssistSink implements Sink {
  readonly name = "assist";

  constructor(private readonly env: Env) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv || batch.deleted) return;
    const refs = batch.rows.filter((r) => r.kind === "assist").map((r) => r.ref);
    if (refs.length === 0) return;
    const base = { v: 1 as const, account_id: conv.account_id, conversation_id: conv.id };
    const override = batch.assistant().ai_enabled;
    const drafting = refs.some((r) => r.startsWith("draft:")) && aiOn(await this.aiSetting(conv.account_id), override === null ? null : override === 1);
    const jobs: MessageSendRequest<DraftJob>[] = [];
    for (const ref of refs) {
      if (ref === "handoff") jobs.push({ body: { ...base, kind: "handoff" }, contentType: "json" });
      else if (drafting) jobs.push({ body: { ...base, kind: "draft", index: Number(ref.slice("draft:".length)) }, contentType: "json" });
    }
    if (jobs.length > 0) await this.env.DRAFTS.sendBatch(jobs);
  }

  private aiSetting(accountId: string) {
    return aiConfigOf(this.env, accountId);
  }
}
