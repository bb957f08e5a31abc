import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Timers } from "../../contract/conversation";
import type { Settings } from "../../contract/settings";
import { accountSettings } from "../schema";

/** What an account that never changed its settings has. */
export const DEFAULT_SETTINGS: Settings = { timers: { inactive_after: null, closed_after: null }, updated_at: null };

export async function readSettings(database: D1Database, accountId: string): Promise<Settings> {
  const row = await drizzle(database).select().from(accountSettings).where(eq(accountSettings.accountId, accountId)).get();
  if (!row) return DEFAULT_SETTINGS;
  const stored = JSON.parse(row.settings) as Partial<Omit<Settings, "updated_at">>;
  return { timers: { ...DEFAULT_SETTINGS.timers, ...stored.timers }, updated_at: new Date(row.updatedAt).toISOString() };
}

/** Writes the whole settings document (the caller merged the change into the current one). */
export async function writeSettings(database: D1Database, accountId: string, settings: Omit<Settings, "updated_at">, now: number): Promise<void> {
  const value = { accountId, settings: JSON.stringify(settings), updatedAt: now };
  await drizzle(database).insert(accountSettings).values(value).onConflictDoUpdate({ target: accountSettings.accountId, set: { settings: value.settings, updatedAt: now } });
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
