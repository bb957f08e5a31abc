import { readRuntimeSettings, type RuntimeSettings } from "../db/queries/settings";
import type { Env } from "../env";

/**
 * Per isolate, what sends need of an account's settings (its fallback order, delivery timeouts,
 * WhatsApp template, pre-event hook), so a send pays no D1 read: CACHE_MS old at most. A change
 * through this isolate is seen at once (`forgetSettings`), one through another within CACHE_MS.
 */
const cache = new Map<string, { settings: RuntimeSettings; until: number }>();
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

export async function settingsOf(env: Env, accountId: string, now = Date.now()): Promise<RuntimeSettings> {
  const hit = cache.get(accountId);
  if (hit && hit.until > now) return hit.settings;
  const settings = await readRuntimeSettings(env, accountId);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(accountId, { settings, until: now + CACHE_MS });
  return settings;
}

/** What the cache knows without a read; undefined when it must be read. */
export function knownSettings(accountId: string, now = Date.now()): RuntimeSettings | undefined {
  const hit = cache.get(accountId);
  return hit && hit.until > now ? hit.settings : undefined;
}

export function forgetSettings(accountId: string): void {
  cache.delete(accountId);
}
