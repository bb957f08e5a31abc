import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { contactThreads } from "../schema";

/**
 * Which conversation a contact's inbound messages go to: one row per contact, claimed before the
 * conversation exists (as unique names are), so two webhooks at once for a new person agree on one
 * conversation instead of each creating their own.
 */

/**
 * Claims `conversationId` for the contact unless it has a thread; returns the thread's conversation.
 * One statement: on a conflict the no-op update makes RETURNING give the row that is there.
 */
export async function claimThread(database: D1Database, accountId: string, contactId: string, conversationId: string): Promise<string> {
  const [row] = await drizzle(database)
    .insert(contactThreads)
    .values({ accountId, contactId, conversationId, claimedAt: Date.now() })
    .onConflictDoUpdate({ target: [contactThreads.accountId, contactThreads.contactId], set: { conversationId: sql`${contactThreads.conversationId}` } })
    .returning({ conversationId: contactThreads.conversationId });
  if (!row) throw new Error("thread claim vanished");
  return row.conversationId;
}

/** Moves the contact's thread from a closed or deleted conversation to a new one; false if another request moved it first. */
export async function moveThread(database: D1Database, accountId: string, contactId: string, from: string, to: string): Promise<boolean> {
  const moved = await drizzle(database)
    .update(contactThreads)
    .set({ conversationId: to, claimedAt: Date.now() })
    .where(and(eq(contactThreads.accountId, accountId), eq(contactThreads.contactId, contactId), eq(contactThreads.conversationId, from)))
    .returning({ id: contactThreads.conversationId });
  return moved.length === 1;
}
