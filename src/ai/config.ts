import type { AiSettings } from "../contract/ai-settings";
import { readStoredAi } from "../db/queries/settings";
import type { Env } from "../env";
import { openLlmKey, presentAi } from "./settings";

/**
 * What drafting needs of an account's AI settings, with the LLM endpoint's key opened, cached per
 * isolate for CACHE_MS (the conversation's assist sink asks on every customer message; the
 * consumer on every draft). A PATCH through this isolate is seen at once (`forgetAiConfig`).
 */
export type AiConfig = AiSettings & { openaiKey: string | null };

const cache = new Map<string, { config: AiConfig; until: number }>();
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

export async function aiConfigOf(env: Env, accountId: string, now = Date.now()): Promise<AiConfig> {
  const hit = cache.get(accountId);
  if (hit && hit.until > now) return hit.config;
  const stored = await readStoredAi(env.DB, accountId);
  const config: AiConfig = { ...presentAi(stored), openaiKey: await openLlmKey(env, accountId, stored?.openai?.key ?? null) };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(accountId, { config, until: now + CACHE_MS });
  return config;
}

export function forgetAiConfig(accountId: string): void {
  cache.delete(accountId);
}

/** Whether a customer's message in a conversation with this override gets a draft. */
export const aiOn = (config: Pick<AiSettings, "enabled">, override: boolean | null) => override ?? config.enabled;
