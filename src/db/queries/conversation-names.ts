import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { conversationNames as names } from "../schema";

/** Claims of `unique_name`s: one row per account and name, naming the conversation that holds it. */
const named = (accountId: string, name: string) => and(eq(names.accountId, accountId), eq(names.uniqueName, name));

/** Claims the name for `conversationId` unless it is claimed; returns the claim that holds. */
export async function claimName(database: D1Database, accountId: string, name: string, conversationId: string) {
  const db = drizzle(database);
  await db.insert(names).values({ accountId, uniqueName: name, conversationId, claimedAt: Date.now() }).onConflictDoNothing();
  return db.select({ conversationId: names.conversationId, claimedAt: names.claimedAt }).from(names).where(named(accountId, name)).get();
}

/** The conversation holding the name, if any. */
export async function nameHolder(database: D1Database, accountId: string, name: string): Promise<string | undefined> {
  return (await drizzle(database).select({ id: names.conversationId }).from(names).where(named(accountId, name)).get())?.id;
}

/** Moves the claim from `from` to `to`; false if `from` no longer held it. */
export async function moveName(database: D1Database, accountId: string, name: string, from: string, to: string): Promise<boolean> {
  const moved = await drizzle(database)
    .update(names)
    .set({ conversationId: to, claimedAt: Date.now() })
    .where(and(named(accountId, name), eq(names.conversationId, from)))
    .returning({ id: names.conversationId });
  return moved.length === 1;
}

/** Gives the name up, if `conversationId` still holds it. */
export async function releaseName(database: D1Database, accountId: string, name: string, conversationId: string): Promise<void> {
  await drizzle(database).delete(names).where(and(named(accountId, name), eq(names.conversationId, conversationId)));
}
