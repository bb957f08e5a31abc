import { z } from "@hono/zod-openapi";
import { eq, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { SearchPlan, TextFilter } from "../../api/search/query";
import { CLOSE, markup, OPEN, textSnippet } from "../../api/search/snippet";
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
 * One SQL statement per page (two for a page that goes on into the next block), answered from the
 * caller's partition only: every FTS5 constraint
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
 * A frequent word is bounded by ranking a block of its newest LIMITS.searchRankedMatches matches at
 * a time (see there and `afterCursor`): FTS5 walks the posting lists newest first and stops, so hits
 * are counted for the block only. The page is sorted and cut before any message is read, and
 * snippets are made for its rows only.
 */

const SPAN = "1099511627776"; // 2^40: documents per account
const K1 = 1.2;
const B = 0.75;

export type SearchFilters = {
  conversation_id?: string;
  channel?: Channel;
  author_kind?: Message["author_kind"];
  contact_id?: string;
  created_after?: number;
  created_before?: number;
};

/** Keyset pagination: the last row's (block, score, doc); see `afterCursor`. A cursor from before blocks, (score, doc), is in the first one. */
const SearchCursor = z.union([
  z.tuple([z.number().int(), z.number(), z.number().int()]),
  z.tuple([z.number(), z.number().int()]).transform(([score, doc]): [null, number, number] => [null, score, doc]),
]);
type Cursor = z.infer<typeof SearchCursor>;

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

/** BM25 of a row of `f` (doc, len, hits) with the statistics `s` (n, avglen, df). */
const bm25 = sql.raw(
  `ln(1 + (s.n - s.df + 0.5) / (s.df + 0.5)) * f.hits * ${K1 + 1} / (f.hits + ${K1} * (${1 - B} + ${B} * f.len / max(s.avglen, 1)))`,
);

/**
 * The page of results after `cursor` (block, score, doc). Rows come block by block, newest block
 * first, best first within a block (see LIMITS.searchRankedMatches): a block is the newest
 * searchRankedMatches matches the filters keep at or below its top, and is named by its newest
 * document, so the blocks of a pagination stay where its first page found them while the account
 * grows. Scores move as the account's history grows (its document count, average length and the
 * query's match count are in them), so the boundary is the last row's score *now* when it still
 * matches: the next page starts right after the row the client last saw. Only a row that changed
 * its place relative to it in between can be missed or repeated, as with any keyset over a moving order.
 */
function afterCursor(cursor: Cursor | undefined): SQL {
  if (cursor === undefined) return sql`1`;
  const [, score, doc] = cursor;
  return sql`(score, doc) < (coalesce((SELECT score FROM scored WHERE doc = ${doc}), ${score}), ${doc})`;
}

/**
 * The statement for one page of one block (exported so a test can ask SQLite how it is planned):
 * the block at the cursor's top (the account's newest document without one), rows after the cursor;
 * or, with `next`, the block below that one, from its best row. Each CTE is referred to from as few
 * places as can be: SQLite expands a CTE's definition again at every reference (materialized or
 * not), so a statement whose CTEs refer to each other many times takes milliseconds to prepare
 * (node's SQLite 3.51: 11 ms for a version with both blocks in one statement, which cost every
 * search ~25 ms under wrangler dev; this one 0.5 ms, the statement before blocks 0.7 ms).
 */
export function searchStatement(
  database: D1Database,
  accountId: string,
  plan: SearchPlan,
  filters: SearchFilters,
  page: { limit: number; cursor?: Cursor; next?: boolean },
): { sql: string; params: unknown[] } {
  const acct = sql`acct AS (SELECT n * ${sql.raw(SPAN)} AS lo, n * ${sql.raw(SPAN)} + ${sql.raw(SPAN)} - 1 AS hi, docs, chars FROM search_accounts WHERE account_id = ${accountId})`;
  const keep = docFilters(database, accountId, filters);
  // `hits` is the term frequency BM25 wants: matches per query term, at least 1.
  const terms = Math.max(1, plan.positive.length);
  const block = sql.raw(String(LIMITS.searchRankedMatches));
  // A cursor names its row's block by the block's newest document. An integer expression, never
  // the bound number itself (a REAL, which FTS5 would not take as a bound).
  const top = page.cursor?.[0] == null ? HI : sql`min(CAST(${page.cursor[0]} AS INTEGER), ${HI})`;
  const cursor = page.next ? undefined : page.cursor;
  let blockSql: SQL;
  let df: SQL;
  let snippets: SQL;
  if (plan.index === "scan") {
    // Nothing indexable: the account's newest messages in the trigram scripts, by the partial index,
    // one block of them (LIMITS.searchScanMessages). Rows the filters drop have no hits, and count
    // as matches for the IDF.
    const text = sql`lower(m.body)`;
    blockSql = sql`recent AS MATERIALIZED (
        SELECT doc FROM search_docs WHERE grams = 1 AND doc BETWEEN ${LO} AND ${page.next ? sql`-1` : top} ORDER BY doc DESC LIMIT ${sql.raw(String(LIMITS.searchScanMessages))}
      ),
      found AS MATERIALIZED (
        SELECT d.doc AS doc, d.len AS len, CASE WHEN ${keep} THEN max(1.0, (${occurrences(plan.positive, text)}) * 1.0 / ${sql.raw(String(terms))}) END AS hits
        FROM recent r CROSS JOIN search_docs d ON d.doc = r.doc CROSS JOIN messages m ON m.id = d.message_id
        WHERE ${textSql(plan.filter, text)}
      )`;
    df = sql`f.found AS df, (SELECT max(doc) FROM recent) AS top, 0 AS filled`;
    snippets = sql`snippets AS (SELECT NULL AS doc, NULL AS snippet WHERE 0)`;
  } else {
    const fts = sql.raw(plan.index === "words" ? "search_words" : "search_grams");
    const text = sql`lower(m.body)`;
    // The terms the trigram index cannot take (one or two characters) are part of the match, checked on the text.
    const withText = plan.filter === null ? sql`` : sql` CROSS JOIN messages m ON m.id = d.message_id`;
    const textCheck = plan.filter === null ? sql`` : sql` AND ${textSql(plan.filter, text)}`;
    const tokens = plan.index === "words" ? LIMITS.searchSnippetTokens : LIMITS.searchSnippetTokens * 2;
    // A block: FTS5 walks the posting lists down from `upper` (in the rowid order it keeps them in)
    // and stops at the block's last row, so highlight() (only for messages longer than
    // LIMITS.searchCountedChars, see there) runs for the block's rows only.
    const matches = (upper: SQL, columns: SQL) => sql`SELECT ${fts}.rowid AS doc${columns}
        FROM ${fts} CROSS JOIN search_docs d ON d.doc = ${fts}.rowid${withText}
        WHERE ${fts} MATCH ${plan.match} AND ${fts}.rowid BETWEEN ${LO} AND ${upper}${textCheck} AND ${keep}
        ORDER BY ${fts}.rowid DESC LIMIT ${block}`;
    const hits = sql`, d.len AS len, CASE WHEN d.len > ${sql.raw(String(LIMITS.searchCountedChars))}
            THEN max(1.0, (length(highlight(${fts}, 0, ${OPEN}, '')) - d.len) * 1.0 / ${sql.raw(String(terms))}) ELSE 1.0 END AS hits`;
    // The block below the one at `top` starts under that block's oldest row, when it is a full block
    // (computed once: SQLite copies an expression a BETWEEN bound holds).
    const edge = sql`edge AS MATERIALIZED (SELECT coalesce((SELECT min(doc) - 1 FROM (${matches(top, sql``)}) HAVING count(*) = ${block}), -1) AS upper),`;
    blockSql = sql`${page.next ? edge : sql``}found AS MATERIALIZED (${matches(page.next ? sql`(SELECT upper FROM edge)` : top, hits)})`;
    // The IDF's document frequency is every match in the account, whatever the filters keep: the
    // first block when it holds them all, else FTS5 counts them from the posting lists alone (for a
    // trigram query, the index's matches, before the check of its short terms on the text).
    const everyMatch = sql`(SELECT count(*) FROM ${fts} WHERE ${fts} MATCH ${plan.match} AND ${fts}.rowid BETWEEN ${LO} AND ${HI})`;
    const whole = page.cursor === undefined && !page.next && plan.filter === null && Object.values(filters).every((v) => v === undefined);
    df = sql`${whole ? sql`CASE WHEN f.found < ${block} THEN f.found ELSE ${everyMatch} END` : everyMatch} AS df, f.top AS top, f.found = ${block} AS filled`;
    // One more pass over the matches, narrowed to the page's range (the page's bounds read once, see
    // above); + keeps the IN from being handed to FTS5 as one lookup per row (each would set the
    // query up again, prefix expansions included).
    snippets = sql`shown AS MATERIALIZED (SELECT coalesce(min(doc), 0) AS lo, coalesce(max(doc), -1) AS hi FROM page),
      snippets AS MATERIALIZED (
        SELECT ${fts}.rowid AS doc, snippet(${fts}, 0, ${OPEN}, ${CLOSE}, '…', ${sql.raw(String(tokens))}) AS snippet
        FROM shown CROSS JOIN ${fts}
        WHERE ${fts} MATCH ${plan.match} AND ${fts}.rowid BETWEEN shown.lo AND shown.hi
          AND +${fts}.rowid IN (SELECT doc FROM page)
      )`;
  }
  const query = sql`WITH ${acct},
    ${blockSql},
    counts AS MATERIALIZED (SELECT ${df} FROM (SELECT count(*) AS found, max(doc) AS top FROM found) f),
    stats AS MATERIALIZED (
      SELECT max(coalesce(a.docs, 0), c.df) AS n, coalesce(a.chars, 0) * 1.0 / max(coalesce(a.docs, 0), 1) AS avglen, c.df AS df, c.top AS top, c.filled AS filled
      FROM counts c LEFT JOIN acct a
    ),
    scored AS MATERIALIZED (SELECT f.doc AS doc, ${bm25} AS score FROM found f, stats s WHERE f.hits IS NOT NULL),
    page AS MATERIALIZED (SELECT doc, score FROM scored WHERE ${afterCursor(cursor)} ORDER BY score DESC, doc DESC LIMIT ${page.limit + 1}),
    ${snippets}
    SELECT st.top AS top, st.filled AS filled, p.doc AS doc, p.score AS score, d.conversation_id AS conversation_id, m.resource AS resource, s.snippet AS snippet
    FROM stats st CROSS JOIN page p CROSS JOIN search_docs d ON d.doc = p.doc CROSS JOIN messages m ON m.id = d.message_id
      LEFT JOIN snippets s ON s.doc = p.doc
    WHERE m.account_id = ${accountId}
    ORDER BY p.score DESC, p.doc DESC`;
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, params };
}

type Row = { top: number; filled: number; doc: number; score: number; conversation_id: string; resource: string; snippet: string | null };

/** A page of the account's messages matching the plan, best first. */
export async function searchMessages(
  database: D1Database,
  accountId: string,
  plan: SearchPlan,
  filters: SearchFilters,
  page: { limit: number; cursor?: string },
): Promise<{ data: SearchResult[]; next_cursor: string | null }> {
  const cursor = page.cursor === undefined ? undefined : decodeCursor(page.cursor, SearchCursor);
  let rows = await pageRows(database, searchStatement(database, accountId, plan, filters, { limit: page.limit, cursor }));
  // The page goes on into the next block when its block ends before it is full (with no row at all
  // to say whether the block was a full one, only a cursor's block can have ended there).
  if (rows.length <= page.limit && (rows.length > 0 ? rows[0]!.filled === 1 : cursor !== undefined)) {
    const next = { limit: page.limit - rows.length, cursor, next: true };
    rows = rows.concat(await pageRows(database, searchStatement(database, accountId, plan, filters, next)));
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
    next_cursor: rows.length > page.limit && last ? encodeCursor([last.top, last.score, last.doc]) : null,
  };
}

async function pageRows(database: D1Database, statement: { sql: string; params: unknown[] }): Promise<Row[]> {
  try {
    return (await database.prepare(statement.sql).bind(...statement.params).all<Row>()).results;
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
}
