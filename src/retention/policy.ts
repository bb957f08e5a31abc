import type { Retention } from "../contract/retention";
import { readSettings } from "../db/queries/settings";
import { parseDuration } from "../lib/duration";

/** An account's retention as the job and the conversations apply it: periods in ms (null: for ever). */
export type RetentionPolicy = { messagesMs: number | null; conversationsMs: number | null; legalHold: boolean };

export function policyOf(r: Retention): RetentionPolicy {
  const ms = (d: string | null) => (d === null ? null : parseDuration(d));
  return { messagesMs: ms(r.messages), conversationsMs: ms(r.conversations), legalHold: r.legal_hold };
}

/** The account's policy, read from D1 now (not from a cache: a hold just placed must be seen). */
export async function readPolicy(db: D1Database, accountId: string): Promise<RetentionPolicy> {
  return policyOf((await readSettings(db, accountId)).retention);
}
