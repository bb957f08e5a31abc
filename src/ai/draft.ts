import type { CitedPassage } from "../contract/draft";
import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import type { AiConfig } from "./config";
import type { DraftEngine, DraftRequest, EngineAnswer } from "./engines/engine";
import { offlineEngine } from "./engines/offline";
import { openAiEngine } from "./engines/openai";
import { workersAiEngine } from "./engines/workers-ai";
import { retrieve } from "./retrieve";

/**
 * One draft: retrieval from the account's knowledge base, then the account's engine. An LLM engine
 * has `timeout_ms` (LIMITS.draftLlmTimeoutMsDefault unless set, at most draftLlmTimeoutMsMax); on a
 * timeout or any error the offline engine drafts instead, and the draft says why (`fallback`).
 */
export type Drafted = EngineAnswer & {
  engine: DraftEngine["name"];
  fallback: string | null;
  passages: CitedPassage[];
  features: DraftRequest["retrieved"]["features"];
  /** The best passage's document topic (what routing matches to agents' skills). */
  topic: string | null;
};

export async function draftReply(env: Env, config: AiConfig, accountId: string, request: Omit<DraftRequest, "retrieved">): Promise<Drafted> {
  const retrieved = await retrieve(env.DB, accountId, request.question);
  const full: DraftRequest = { ...request, retrieved };
  const passages: CitedPassage[] = retrieved.passages.map((p) => ({ passage_id: p.id, document_id: p.document_id, document_version: p.version, heading: p.heading, text: p.body, score: Math.round(p.score * 1e4) / 1e4 }));
  const base = { passages, features: retrieved.features, topic: retrieved.passages[0]?.topic ?? null };
  const llm = llmEngine(env, config);
  // Nothing retrieved: nothing to ground an LLM's answer in.
  if (llm && retrieved.passages.length > 0) {
    const timeout = Math.min(config.openai?.timeout_ms ?? LIMITS.draftLlmTimeoutMsDefault, LIMITS.draftLlmTimeoutMsMax);
    try {
      const answer = await llm.answer(full, AbortSignal.timeout(timeout));
      return { ...answer, ...base, engine: llm.name, fallback: null };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const fallback = timedOut ? "timeout" : `error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200);
      console.warn(`account ${accountId}: the ${llm.name} engine failed (${fallback}); drafting offline`);
      return { ...(await offlineEngine.answer(full, AbortSignal.timeout(timeout))), ...base, engine: "offline", fallback };
    }
  }
  const fallback = config.engine !== "offline" && !llm ? `the ${config.engine} engine is not available here` : null;
  return { ...(await offlineEngine.answer(full, AbortSignal.timeout(LIMITS.draftLlmTimeoutMsMax))), ...base, engine: "offline", fallback };
}

function llmEngine(env: Env, config: AiConfig): DraftEngine | null {
  if (config.engine === "openai" && config.openai) return openAiEngine({ base_url: config.openai.base_url, model: config.openai.model, key: config.openaiKey });
  if (config.engine === "workers_ai" && env.AI) return workersAiEngine(env.AI, config.workers_ai_model);
  return null;
}
