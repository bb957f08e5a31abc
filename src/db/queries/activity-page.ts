import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { conversations } from "../schema";

/**
 * Keyset pagination over conversations, latest activity first: the cursor is the last row's
 * (last_activity_at, id). New conversations never shift a page boundary; a conversation whose
 * activity moves above the cursor while a client pages is not shown again on later pages.
 */
const ActivityCursor = z.tuple([z.number().int(), z.string()]);

export const byActivity = [desc(conversations.lastActivityAt), desc(conversations.id)] as const;

/** The condition for rows after `cursor`, if one was given. */
export function afterCursor(cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = decodeCursor(cursor, ActivityCursor);
  return or(lt(conversations.lastActivityAt, at), and(eq(conversations.lastActivityAt, at), lt(conversations.id, id)));
}

/** From `limit + 1` rows fetched in `byActivity` order: the page and the cursor to the next one. */
export function activityPage<T extends { at: number; id: string }>(rows: T[], limit: number): { rows: T[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next_cursor: rows.length > limit && last ? encodeCursor([last.at, last.id]) : null };
}
