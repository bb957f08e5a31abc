import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Timers } from "../../contract/conversation";
import type { Settings } from "../../contract/settings";
import type { Env } from "../../env";
import type { Sealed } from "../../lib/secrets";
import { openSecrets } from "../../webhooks/secrets";
import { accountSettings } from "../schema";

/** What the row holds: the settings, with the hook's secret sealed (never in the clear, never returned). */
type Stored = { timers?: Partial<Settings["timers"]>; pre_event_hook?: { url: string; sealed: Sealed } | null };

/** What an account that never changed its settings has. */
export const DEFAULT_SETTINGS: Settings = { timers: { inactive_after: null, closed_after: null }, pre_event_hook: null, updated_at: null };

/** The sealed secret is bound to the account and to this use, as a webhook's is to its endpoint. */
export const HOOK_SECRET_ID = "pre-event-hook";

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
    updated_at: new Date(updatedAt).toISOString(),
  };
}

export async function readSettings(database: D1Database, accountId: string): Promise<Settings> {
  return present(await readStored(database, accountId));
}

/** The account's pre-event hook with its secret opened, or null when it has none. */
export async function readHook(env: Env, accountId: string): Promise<{ url: string; secret: string } | null> {
  const hook = (await readStored(env.DB, accountId))?.stored.pre_event_hook;
  if (!hook) return null;
  const secrets = await openSecrets(env, { accountId, id: HOOK_SECRET_ID, keyId: hook.sealed.keyId, ciphertext: hook.sealed.ciphertext });
  return { url: hook.url, secret: secrets.current };
}

/**
 * Applies a change: timers merged field by field; the hook replaced (with its new sealed secret),
 * removed (null) or kept (undefined).
 */
export async function updateSettings(
  database: D1Database,
  accountId: string,
  change: { timers?: Partial<Settings["timers"]>; hook?: { url: string; sealed: Sealed } | null },
  now: number,
): Promise<Settings> {
  const current = (await readStored(database, accountId))?.stored ?? {};
  const next: Stored = {
    timers: { ...DEFAULT_SETTINGS.timers, ...current.timers, ...change.timers },
    pre_event_hook: change.hook === undefined ? (current.pre_event_hook ?? null) : change.hook,
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
