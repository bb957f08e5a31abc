import type { AiSettings, UpdateAiSettings } from "../contract/ai-settings";
import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { ProblemError, problem } from "../lib/problem";
import { deploymentKeyring, openJson, sealJson, type Sealed } from "../lib/secrets";

/**
 * The account's AI settings as stored in its settings row (`ai`), with the LLM endpoint's key
 * sealed under the deployment keyring (bound to the account), and what the drafting code reads.
 */
export type StoredAi = Partial<Omit<AiSettings, "openai" | "thresholds" | "escalation">> & {
  thresholds?: Partial<AiSettings["thresholds"]>;
  escalation?: Partial<AiSettings["escalation"]>;
  openai?: { base_url: string; model: string; timeout_ms: number; key: Sealed | null } | null;
};

/** Words that hand a conversation off until an account lists its own. */
export const DEFAULT_KEYWORDS = ["refund", "complaint", "lawyer", "legal action", "chargeback", "cancel my account"];

export const DEFAULT_AI: AiSettings = {
  enabled: false,
  engine: "offline",
  // Calibrated on the labelled set (test/fixtures/ai): see docs/architecture.md "AI drafts and handoff".
  thresholds: { auto_send: 0.8, review: 0.45 },
  review_ttl_seconds: LIMITS.draftReviewTtlSecondsDefault,
  escalation: { human_request: true, keywords: DEFAULT_KEYWORDS, negative_sentiment: true, low_confidence_streak: 2 },
  openai: null,
  workers_ai_model: "@cf/meta/llama-3.1-8b-instruct",
};

export function presentAi(stored: StoredAi | undefined): AiSettings {
  const s = stored ?? {};
  return {
    enabled: s.enabled ?? DEFAULT_AI.enabled,
    engine: s.engine ?? DEFAULT_AI.engine,
    thresholds: { ...DEFAULT_AI.thresholds, ...s.thresholds },
    review_ttl_seconds: s.review_ttl_seconds ?? DEFAULT_AI.review_ttl_seconds,
    escalation: { ...DEFAULT_AI.escalation, ...s.escalation },
    openai: s.openai ? { base_url: s.openai.base_url, model: s.openai.model, timeout_ms: s.openai.timeout_ms, api_key_set: s.openai.key !== null } : null,
    workers_ai_model: s.workers_ai_model ?? DEFAULT_AI.workers_ai_model,
  };
}

const defined = <T extends object>(o: T | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));

/**
 * The stored AI settings after a PATCH: fields merged, thresholds and escalation field by field,
 * the key replaced only when one is given (`sealedKey`). Throws a 422 naming the field for
 * thresholds out of order, whichever of the two the change set.
 */
export function mergeAi(current: StoredAi | undefined, change: UpdateAiSettings, sealedKey: Sealed | undefined): StoredAi {
  const cur = current ?? {};
  const next: StoredAi = { ...cur, ...defined({ enabled: change.enabled, engine: change.engine, review_ttl_seconds: change.review_ttl_seconds, workers_ai_model: change.workers_ai_model }) };
  if (change.thresholds) next.thresholds = { ...cur.thresholds, ...defined(change.thresholds) };
  if (change.escalation) next.escalation = { ...cur.escalation, ...defined(change.escalation) };
  if (change.openai === null) next.openai = null;
  else if (change.openai) {
    const o = change.openai;
    next.openai = { base_url: o.base_url.replace(/\/+$/, ""), model: o.model, timeout_ms: o.timeout_ms ?? cur.openai?.timeout_ms ?? LIMITS.draftLlmTimeoutMsDefault, key: sealedKey ?? cur.openai?.key ?? null };
  }
  const t = presentAi(next).thresholds;
  if (t.review > t.auto_send) {
    const path = change.thresholds?.review !== undefined ? "body.ai.thresholds.review" : "body.ai.thresholds.auto_send";
    const detail = `ai.thresholds.review (${t.review}) must not be over ai.thresholds.auto_send (${t.auto_send})`;
    throw new ProblemError(problem(422, detail, [{ path, message: detail }]));
  }
  if (presentAi(next).engine === "openai" && !next.openai) {
    const detail = "the openai engine needs ai.openai (base_url and model)";
    throw new ProblemError(problem(422, detail, [{ path: "body.ai.engine", message: detail }]));
  }
  return next;
}

const keyAad = (accountId: string) => `parley:ai-llm-key:${accountId}`;
const UNAVAILABLE = "the LLM endpoint's key cannot be sealed: CREDENTIALS_KEYS is not configured on this deployment";

export async function sealLlmKey(env: Env, accountId: string, key: string): Promise<Sealed> {
  return sealJson(await deploymentKeyring(env, "the AI engine's API key", UNAVAILABLE), key, keyAad(accountId));
}

/** The key in the clear, for the engine's call only; null when none is stored or it no longer opens. */
export async function openLlmKey(env: Env, accountId: string, sealed: Sealed | null): Promise<string | null> {
  if (!sealed) return null;
  try {
    return String(await openJson(await deploymentKeyring(env, "the AI engine's API key", UNAVAILABLE), sealed, keyAad(accountId)));
  } catch (error) {
    console.error(`account ${accountId}: the AI engine's key does not open (${(error as Error).message}); drafting offline`);
    return null;
  }
}
