import { z } from "@hono/zod-openapi";
import { eq, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { SearchPlan, TextFilter } from "../../api/search/query";
import type { Channel } from "../../contract/common";
import type { Message } from "../../contract/message";
import type { SearchResult } from "../../contract/search";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { LIMITS } from "../../lib/limits";
import { problem, ProblemError } from "../../lib/problem";
import { contactAddresses as ca } from "../schema";
import { conversationsAtContacts } from "./conversations";

/**
 * Full-text search over an account's messages (migrations/0014_search.sql has the index and the
 * triggers that keep it in step with `messages`; docs/architecture.md "Search" the design).
 *
 * One SQL statement per page, answered from the caller's partition only: every FTS5 constraint
 * names the rowid range of the account's documents, [n * 2^40, (n + 1) * 2^40), which FTS5 seeks
 * to in each posting list. Two things keep the rest of the table out of it:
 * - The range comes from search_accounts inside the statement, as an INTEGER. D1 binds every JS
 *   number as a REAL, and FTS5 ignores a rowid bound that is not an integer: a bound `?` would
 *   silently read every account's postings (and an `=` one would answer every row).
 * - The ranking is BM25 computed here from the account's own statistics (search_accounts: documents
 *   and characters; the number of matches; each match's hits and length), not FTS5's bm25(), whose
 *   IDF pass reads each query term's posting list across the whole table, so its cost grew with other
 *   accounts' messages and its scores carried their term counts. Hits are counted with highlight()
 *   (its text is one character longer per match than the message) in messages longer than
 *   LIMITS.searchCountedChars; a shorter one counts each term once.
 * The page is sorted and cut before any message is read, and snippets are made for its rows only.
 */

const SPAN = "1099511627776"; // 2^40: documents per account
const K1 = 1.2;
const B = 0.75;
/** Private-use characters marking matches in highlight() and snippet() output, replaced by <mark> once the text is escaped. */
const OPEN = "\uE000";
const CLOSE = "\uE001";

export type SearchFilters = {
  conversation_id?: string;
  channel?: Channel;
  author_kind?: Message["author_kind"];
  contact_id?: string;
  created_after?: number;
  created_before?: number;
};

/** Keyset pagination: the last row's (score, doc). See `afterCursor`. */
const SearchCursor = z.tuple([z.number(), z.number().int()]);

const dialect = new SQLiteSyncDialect();
const LO = sql.raw("coalesce((SELECT lo FROM acct), 0)");
// An account with no documents gets the empty range [0, -1]: FTS5 then reads nothing (a NULL bound would mean no bound).
const HI = sql.raw("coalesce((SELECT hi FROM acct), -1)");

function docFilters(database: D1Database, accountId: string, f: SearchFilters): SQL {
  const c: SQL[] = [];
  if (f.conversation_id !== undefined) c.push(sql`d.conversation_id = ${f.conversation_id}`);
  if (f.channel !== undefined) c.push(sql`d.channel = ${f.channel}`);
  if (f.author_kind !== undefined) c.push(sql`d.author_kind = ${f.author_kind}`);
  if (f.created_after !== undefined) c.push(sql`d.created_at > ${f.created_after}`);
  if (f.created_before !== undefined) c.push(sql`d.created_at < ${f.created_before}`);
  // The listing's contact join (conversations.ts), evaluated once into a set of conversation ids.
  if (f.contact_id !== undefined) c.push(sql`d.conversation_id IN ${conversationsAtContacts(database, accountId, eq(ca.contactId, f.contact_id))}`);
  return c.length === 0 ? sql`1` : sql.join(c, sql` AND `);
}

/** A text filter as SQL over `text` (the lowercased body): substrings, ignoring ASCII case. */
function textSql(f: TextFilter, text: SQL): SQL {
  switch (f.type) {
    case "has":
      return sql`instr(${text}, lower(${f.text})) > 0`;
    case "not":
      return sql`NOT (${textSql(f.child, text)})`;
    default:
      return sql`(${sql.join(
        f.children.map((c) => textSql(c, text)),
        f.type === "and" ? sql` AND ` : sql` OR `,
      )})`;
  }
}

/** Occurrences of the positive terms in `text`, for a scan's ranking (the index counts them with highlight() otherwise). */
function occurrences(positive: string[], text: SQL): SQL {
  const counts = positive.map((t) => sql`(length(${text}) - length(replace(${text}, lower(${t}), ''))) / max(length(lower(${t})), 1)`);
  return sql.join(counts, sql` + `);
}

/**
 * The page of results after `cursor`. The cursor is the last row's (score, doc), but scores move
 * as the account's history grows (its document count, average length and the query's match count
 * are in them), so the boundary is the last row's score *now* when it still matches: the next page
 * starts right after the row the client last saw. Only a row that changed its place relative to it
 * in between can be missed or repeated, as with any keyset over a moving order.
 */
function afterCursor(cursor: [number, number] | undefined): SQL {
  if (cursor === undefined) return sql`1`;
  const [score, doc] = cursor;
  return sql`(score, doc) < (coalesce((SELECT score FROM scored WHERE doc = ${doc}), ${score}), ${doc})`;
}

/** The statement for one page (exported so a test can ask SQLite how it is planned). */
export function searchStatement(
  database: D1Database,
  accountId: string,
  plan: SearchPlan,
  filters: SearchFilters,
  page: { limit: number; cursor?: [number, number] },
): { sql: string; params: unknown[] } {
  const acct = sql`acct AS (SELECT n * ${sql.raw(SPAN)} AS lo, n * ${sql.raw(SPAN)} + ${sql.raw(SPAN)} - 1 AS hi, docs, chars FROM search_accounts WHERE account_id = ${accountId})`;
  const keep = docFilters(database, accountId, filters);
  // `hits` is the term frequency BM25 wants: matches per query term, at least 1.
  const terms = Math.max(1, plan.positive.length);
  let found: SQL;
  let snippets: SQL;
  if (plan.index === "scan") {
    // Nothing indexable: the account's newest messages in the trigram scripts, by the partial index.
    const text = sql`lower(m.body)`;
    found = sql`recent AS MATERIALIZED (
        SELECT doc FROM search_docs WHERE grams = 1 AND doc BETWEEN ${LO} AND ${HI} ORDER BY doc DESC LIMIT ${sql.raw(String(LIMITS.searchScanMessages))}
      ),
      found AS MATERIALIZED (
        SELECT d.doc AS doc, d.len AS len, CASE WHEN ${keep} THEN max(1.0, (${occurrences(plan.positive, text)}) * 1.0 / ${sql.raw(String(terms))}) END AS hits
        FROM recent r CROSS JOIN search_docs d ON d.doc = r.doc CROSS JOIN messages m ON m.id = d.message_id
        WHERE ${textSql(plan.filter, text)}
      )`;
    snippets = sql`snippets AS (SELECT NULL AS doc, NULL AS snippet WHERE 0)`;
  } else {
    const fts = sql.raw(plan.index === "words" ? "search_words" : "search_grams");
    // Rows the filters drop still count as matches for the IDF, but highlight() runs only for rows
    // they keep, and only for messages longer than LIMITS.searchCountedChars (see there).
    const text = sql`lower(m.body)`;
    // The terms the trigram index cannot take (one or two characters) are part of the match, checked on the text.
    const withText = plan.filter === null ? sql`` : sql` CROSS JOIN messages m ON m.id = d.message_id`;
    const textCheck = plan.filter === null ? sql`` : sql` AND ${textSql(plan.filter, text)}`;
    const tokens = plan.index === "words" ? LIMITS.searchSnippetTokens : LIMITS.searchSnippetTokens * 2;
    found = sql`found AS MATERIALIZED (
        SELECT ${fts}.rowid AS doc, d.len AS len,
          CASE WHEN ${keep} THEN CASE WHEN d.len > ${sql.raw(String(LIMITS.searchCountedChars))}
            THEN max(1.0, (length(highlight(${fts}, 0, ${OPEN}, '')) - d.len) * 1.0 / ${sql.raw(String(terms))}) ELSE 1.0 END END AS hits
        FROM ${fts} CROSS JOIN search_docs d ON d.doc = ${fts}.rowid${withText}
        WHERE ${fts} MATCH ${plan.match} AND ${fts}.rowid BETWEEN ${LO} AND ${HI}${textCheck}
      )`;
    // One more pass over the matches, narrowed to the page's range; + keeps the IN from being
    // handed to FTS5 as one lookup per row (each would set the query up again, prefix expansions included).
    snippets = sql`snippets AS MATERIALIZED (
        SELECT ${fts}.rowid AS doc, snippet(${fts}, 0, ${OPEN}, ${CLOSE}, '…', ${sql.raw(String(tokens))}) AS snippet
        FROM ${fts}
        WHERE ${fts} MATCH ${plan.match}
          AND ${fts}.rowid BETWEEN coalesce((SELECT min(doc) FROM page), 0) AND coalesce((SELECT max(doc) FROM page), -1)
          AND +${fts}.rowid IN (SELECT doc FROM page)
      )`;
  }
  const query = sql`WITH ${acct},
    ${found},
    stats AS (
      SELECT max(coalesce((SELECT docs FROM acct), 0), (SELECT count(*) FROM found)) AS n,
        coalesce((SELECT chars FROM acct), 0) * 1.0 / max(coalesce((SELECT docs FROM acct), 0), 1) AS avglen,
        (SELECT count(*) FROM found) AS df
    ),
    scored AS MATERIALIZED (
      SELECT f.doc AS doc,
        ln(1 + (s.n - s.df + 0.5) / (s.df + 0.5)) * f.hits * ${sql.raw(String(K1 + 1))}
          / (f.hits + ${sql.raw(String(K1))} * (${sql.raw(String(1 - B))} + ${sql.raw(String(B))} * f.len / max(s.avglen, 1))) AS score
      FROM found f, stats s WHERE f.hits IS NOT NULL
    ),
    page AS MATERIALIZED (
      SELECT doc, score FROM scored WHERE ${afterCursor(page.cursor)} ORDER BY score DESC, doc DESC LIMIT ${page.limit + 1}
    ),
    ${snippets}
    SELECT p.doc AS doc, p.score AS score, d.conversation_id AS conversation_id, m.resource AS resource, s.snippet AS snippet
    FROM page p CROSS JOIN search_docs d ON d.doc = p.doc CROSS JOIN messages m ON m.id = d.message_id
      LEFT JOIN snippets s ON s.doc = p.doc
    WHERE m.account_id = ${accountId}
    ORDER BY p.score DESC, p.doc DESC`;
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, params };
}

type Row = { doc: number; score: number; conversation_id: string; resource: string; snippet: string | null };

/** A page of the account's messages matching the plan, best first. */
export async function searchMessages(
  database: D1Database,
  accountId: string,
  plan: SearchPlan,
  filters: SearchFilters,
  page: { limit: number; cursor?: string },
): Promise<{ data: SearchResult[]; next_cursor: string | null }> {
  const cursor = page.cursor === undefined ? undefined : decodeCursor(page.cursor, SearchCursor);
  const statement = searchStatement(database, accountId, plan, filters, { limit: page.limit, cursor });
  let rows: Row[];
  try {
    rows = (await database.prepare(statement.sql).bind(...statement.params).all<Row>()).results;
  } catch (error) {
    // The expression is written by planQuery with every term quoted, so FTS5 should never refuse it;
    // if it does, it is still the query that could not be read, not a server fault.
    const message = error instanceof Error ? error.message : String(error);
    if (/fts5|unterminated string|malformed MATCH/i.test(message)) {
      const reason = `the query could not be read (${message.replace(/^D1_ERROR:\s*/, "").replace(/:\s*SQLITE_ERROR.*$/, "")})`;
      throw new ProblemError(problem(422, `query.q: ${reason}`, [{ path: "query.q", message: reason }]));
    }
    throw error;
  }
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    data: shown.map((r) => {
      const message = JSON.parse(r.resource) as Message;
      return {
        message,
        conversation_id: r.conversation_id,
        snippet: r.snippet === null ? textSnippet(message.body, plan.positive) : markup(r.snippet),
        rank: r.score,
      };
    }),
    next_cursor: rows.length > page.limit && last ? encodeCursor([last.score, last.doc]) : null,
  };
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/**
 * snippet() output as HTML: the text escaped, the match markers as <mark> tags. A marker character
 * in the message itself (they are private-use characters, so it would be odd, not harmful) could
 * unbalance them, so tags are only opened when closed and closed when open.
 */
function markup(marked: string): string {
  let html = "";
  let open = false;
  for (const part of marked.split(/([\uE000\uE001])/u)) {
    if (part === OPEN) {
      if (!open) html += "<mark>";
      open = true;
    } else if (part === CLOSE) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += escapeHtml(part);
    }
  }
  return open ? `${html}</mark>` : html;
}

/**
 * A snippet for a scan's match, which has no index to mark it: the text around the first occurrence
 * of a term, every occurrence in it marked (case-insensitively, like the scan).
 */
export function textSnippet(body: string, positive: string[], context = 40): string {
  const chars = Array.from(body);
  const lower = chars.map((c) => c.toLowerCase());
  const needles = positive.map((t) => Array.from(t.toLowerCase())).filter((n) => n.length > 0);
  const at = (i: number) => needles.find((n) => n.every((c, k) => lower[i + k] === c));
  let first = chars.findIndex((_, i) => at(i) !== undefined);
  if (first < 0) first = 0;
  const start = Math.max(0, first - context);
  const end = Math.min(chars.length, first + context * 2);
  let html = start > 0 ? "…" : "";
  for (let i = start; i < end; ) {
    const n = at(i);
    if (n !== undefined) {
      html += `<mark>${escapeHtml(chars.slice(i, i + n.length).join(""))}</mark>`;
      i += n.length;
    } else {
      html += escapeHtml(chars[i]!);
      i++;
    }
  }
  return end < chars.length ? `${html}…` : html;
}
