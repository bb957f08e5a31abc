import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Timers } from "../../contract/conversation";
import type { Retention } from "../../contract/retention";
import { DEFAULT_AI, mergeAi, presentAi, type StoredAi } from "../../ai/settings";
import type { UpdateAiSettings } from "../../contract/ai-settings";
import type { Settings } from "../../contract/settings";
import { formatDuration } from "../../lib/duration";
import type { Env } from "../../env";
import { LIMITS } from "../../lib/limits";
import type { Sealed } from "../../lib/secrets";
import { openSecrets } from "../../webhooks/secrets";
import { accountSettings } from "../schema";

/** What the row holds: the settings, with the hook's secret sealed (never in the clear, never returned). */
type Stored = Partial<Pick<Settings, "fallback_order" | "delivery_timeouts" | "whatsapp_template" | "chat_grace_seconds">> & {
  timers?: Partial<Settings["timers"]>;
  retention?: Partial<Retention>;
  pre_event_hook?: { url: string; sealed: Sealed } | null;
  ai?: StoredAi;
};

/** The plain (unsealed) settings a change may replace whole. */
export type PlainChange = Partial<Pick<Settings, "fallback_order" | "delivery_timeouts" | "whatsapp_template" | "chat_grace_seconds">>;

/** What an account that never changed its settings has. */
export const DEFAULT_SETTINGS: Settings = {
  timers: { inactive_after: null, closed_after: null },
  pre_event_hook: null,
  fallback_order: null,
  delivery_timeouts: {},
  whatsapp_template: null,
  chat_grace_seconds: LIMITS.chatGraceSecondsDefault,
  ai: DEFAULT_AI,
  retention: { messages: formatDuration(LIMITS.retentionDefaultMs), conversations: formatDuration(LIMITS.retentionDefaultMs), legal_hold: false },
  updated_at: null,
};

/** The sealed secret is bound to the account and to this use, as a webhook's is to its endpoint. */
export const HOOK_SECRET_ID = "pre-event-hook";

/** The stored AI settings, key still sealed (src/ai/settings.ts reads them for drafting). */
export async function readStoredAi(database: D1Database, accountId: string): Promise<StoredAi | undefined> {
  return (await readStored(database, accountId))?.stored.ai;
}

async function readStored(database: D1Database, accountId: string): Promise<{ stored: Stored; updatedAt: number } | null> {
  const row = await drizzle(database).select().from(accountSettings).where(eq(accountSettings.accountId, accountId)).get();
  return row ? { stored: JSON.parse(row.settings) as Stored, updatedAt: row.updatedAt } : null;
}

function present(found: { stored: Stored; updatedAt: number } | null): Settings {
  if (!found) return DEFAULT_SETTINGS;
  const { stored, updatedAt } = found;
  return {
    timers: { ...DEFAULT_SETTINGS.timers, ...stored.timers },
    pre_event_hook: stored.pre_event_hook ? { url: stored.pre_event_hook.url } : null,
    fallback_order: stored.fallback_order ?? null,
    delivery_timeouts: stored.delivery_timeouts ?? {},
    whatsapp_template: stored.whatsapp_template ?? null,
    chat_grace_seconds: stored.chat_grace_seconds ?? LIMITS.chatGraceSecondsDefault,
    retention: { ...DEFAULT_SETTINGS.retention, ...stored.retention },
    ai: presentAi(stored.ai),
    updated_at: new Date(updatedAt).toISOString(),
  };
}

export async function readSettings(database: D1Database, accountId: string): Promise<Settings> {
  return present(await readStored(database, accountId));
}

/** What the running code needs of an account's settings: the defaults, and the hook with its secret opened. */
export type RuntimeSettings = Pick<Settings, "fallback_order" | "delivery_timeouts" | "whatsapp_template" | "chat_grace_seconds"> & { hook: { url: string; secret: string } | null };

export async function readRuntimeSettings(env: Env, accountId: string): Promise<RuntimeSettings> {
  const found = await readStored(env.DB, accountId);
  const settings = present(found);
  const sealed = found?.stored.pre_event_hook;
  const hook = sealed ? { url: sealed.url, secret: (await openSecrets(env, { accountId, id: HOOK_SECRET_ID, keyId: sealed.sealed.keyId, ciphertext: sealed.sealed.ciphertext })).current } : null;
  return { fallback_order: settings.fallback_order, delivery_timeouts: settings.delivery_timeouts, whatsapp_template: settings.whatsapp_template, chat_grace_seconds: settings.chat_grace_seconds, hook };
}

/**
 * Applies a change: timers and retention merged field by field; the hook replaced (with its new sealed secret),
 * removed (null) or kept (undefined).
 */
export async function updateSettings(
  database: D1Database,
  accountId: string,
  change: { timers?: Partial<Settings["timers"]>; retention?: Partial<Retention>; hook?: { url: string; sealed: Sealed } | null; plain?: PlainChange; ai?: { change: UpdateAiSettings; sealedKey?: Sealed } },
  now: number,
): Promise<Settings> {
  const current = (await readStored(database, accountId))?.stored ?? {};
  const next: Stored = {
    ...current,
    ...change.plain,
    timers: { ...DEFAULT_SETTINGS.timers, ...current.timers, ...change.timers },
    ...((current.retention !== undefined || change.retention !== undefined) && { retention: { ...current.retention, ...change.retention } }),
    pre_event_hook: change.hook === undefined ? (current.pre_event_hook ?? null) : change.hook,
    ...(change.ai && { ai: mergeAi(current.ai, change.ai.change, change.ai.sealedKey) }),
  };
  const value = { accountId, settings: JSON.stringify(next), updatedAt: now };
  await drizzle(database).insert(accountSettings).values(value).onConflictDoUpdate({ target: accountSettings.accountId, set: { settings: value.settings, updatedAt: now } });
  return present({ stored: next, updatedAt: now });
}

/**
 * A new conversation's timers: those its create gives (a null included: off), else the account's
 * defaults. One D1 read per create, which already writes D1 (its name and creation-key claims).
 */
export async function timersForNew(database: D1Database, accountId: string, given: Timers | undefined): Promise<Timers> {
  const defaults = (await readSettings(database, accountId)).timers;
  return {
    inactive_after: given?.inactive_after !== undefined ? given.inactive_after : defaults.inactive_after,
    closed_after: given?.closed_after !== undefined ? given.closed_after : defaults.closed_after,
  };
}
