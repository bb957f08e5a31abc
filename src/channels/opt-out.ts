import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { optOuts } from "../db/schema";

/**
 * SMS opt-out, as US carriers (CTIA) and Twilio's Advanced Opt-Out expect: a message that is only
 * one of these keywords (any case, surrounding space and punctuation ignored) opts the number out
 * of, or back into, the business's messages by SMS. The message is still stored in the thread, so
 * agents see it; what changes is that later SMS to that number are skipped (`opted_out`), falling
 * back to the next channel if the message has one.
 */
const STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]);
const START = new Set(["START", "UNSTOP", "YES", "OPTIN"]);

/** SMS and MMS share a number and its opt-out. */
const OPT_OUT_CHANNEL = "sms";

export type Keyword = { kind: "stop" | "start"; keyword: string };

export function optOutKeyword(body: string): Keyword | null {
  const word = body.trim().replace(/[.!]+$/, "").toUpperCase();
  if (STOP.has(word)) return { kind: "stop", keyword: word };
  if (START.has(word)) return { kind: "start", keyword: word };
  return null;
}

/**
 * The reply carriers expect to a keyword (Twilio sends its own when Advanced Opt-Out is on, and
 * then drops this one).
 */
export function keywordReply(k: Keyword): string {
  return k.kind === "stop"
    ? "You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe."
    : "You have successfully been re-subscribed to messages from this number. Reply STOP to unsubscribe.";
}

export async function applyKeyword(database: D1Database, accountId: string, address: string, k: Keyword, now = Date.now()): Promise<void> {
  const db = drizzle(database);
  if (k.kind === "stop") {
    await db.insert(optOuts).values({ accountId, channel: OPT_OUT_CHANNEL, address, keyword: k.keyword, optedOutAt: now }).onConflictDoNothing();
  } else {
    await db.delete(optOuts).where(and(eq(optOuts.accountId, accountId), eq(optOuts.channel, OPT_OUT_CHANNEL), eq(optOuts.address, address)));
  }
}

export async function isOptedOut(database: D1Database, accountId: string, address: string): Promise<boolean> {
  const row = await drizzle(database)
    .select({ address: optOuts.address })
    .from(optOuts)
    .where(and(eq(optOuts.accountId, accountId), eq(optOuts.channel, OPT_OUT_CHANNEL), eq(optOuts.address, address)))
    .get();
  return row !== undefined;
}
