import { LIMITS } from "../../lib/limits";
import { problem, ProblemError } from "../../lib/problem";

/**
 * The search syntax a person types, read into a tree and written back out as FTS5 (or SQL) that quotes
 * every word, so nothing the person types is FTS5 syntax by accident: no column filters, no `^`, no
 * `+`, no stray `"` or `*`. What cannot be read is a 422 naming `query.q` that says why.
 *
 *   q       := or
 *   or      := and ("OR" and)*
 *   and     := not (["AND"] not)*          adjacent terms are ANDed
 *   not     := primary ("NOT" primary)*    `a -b` is `a NOT b`; NOT needs a term before it, as in FTS5
 *   primary := word | word* | "phrase" | ( or )
 *
 * Precedence is FTS5's (NOT, then AND, then OR). AND, OR and NOT are operators only in capitals;
 * NEAR(…) is not offered (a phrase does most of its work).
 */
export type Term = { kind: "word" | "prefix" | "phrase"; text: string };
export type Query = { type: "term"; term: Term } | { type: "and" | "or"; children: Query[] } | { type: "not"; left: Query; right: Query };

/**
 * Code points of the scripts written without spaces between words (Han, kana, Hangul, Thai, Lao,
 * Khmer, Myanmar, Yi) and of emoji, which the word index cannot serve (unicode61 would make a whole
 * Chinese sentence one token, and drops emoji). Messages containing one are also in the trigram index,
 * and a query containing one goes there. The migration (0014_search.sql) tests messages with GLOB
 * classes of exactly these ranges; test/search.test.ts checks that the two agree.
 */
export const GRAM_RANGES: readonly (readonly [number, number])[] = [
  [0x0e00, 0x0eff],
  [0x1000, 0x109f],
  [0x1100, 0x11ff],
  [0x1780, 0x17ff],
  [0x2600, 0x2bff],
  [0x2e80, 0xa4cf],
  [0xac00, 0xd7af],
  [0xf900, 0xfaff],
  [0xff66, 0xff9f],
  [0x1f000, 0x1faff],
  [0x20000, 0x3134f],
];

export function isGramChar(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return GRAM_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/** Whether a term has anything an index could find: a letter, a digit, or a character of the trigram scripts. */
const searchable = (text: string) => /[\p{L}\p{N}]/u.test(text) || Array.from(text).some(isGramChar);

function refuse(reason: string): ProblemError {
  const detail = `query.q: ${reason}`;
  return new ProblemError(problem(422, detail, [{ path: "query.q", message: reason }]));
}

type Token = { t: "term"; term: Term } | { t: "and" | "or" | "not" | "(" | ")" };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i]!;
    if (/\s/u.test(ch)) {
      i++;
    } else if (ch === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw refuse('a phrase needs its closing " (to search for a quote mark, leave it out: punctuation is not indexed)');
      const text = q.slice(i + 1, end).trim();
      // A phrase of punctuation only has nothing to find, like punctuation between words.
      if (searchable(text)) tokens.push({ t: "term", term: { kind: "phrase", text: text.replace(/\s+/gu, " ") } });
      i = end + 1;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ t: ch });
      i++;
    } else {
      let end = i;
      while (end < q.length && !/[\s"()]/u.test(q[end]!)) end++;
      let word = q.slice(i, end);
      i = end;
      if (word === "AND" || word === "OR" || word === "NOT") {
        tokens.push({ t: word.toLowerCase() as "and" | "or" | "not" });
        continue;
      }
      if (word === "NEAR" && q[i] === "(") throw refuse('NEAR(…) is not supported: put the words in quotes to find them as a phrase, or just list them');
      if (word.startsWith("-") && searchable(word)) {
        tokens.push({ t: "not" });
        word = word.slice(1);
      }
      if (word.includes("*")) {
        const stem = word.slice(0, -1);
        const letters = Array.from(stem).filter((c) => /[\p{L}\p{N}]/u.test(c) || isGramChar(c)).length;
        if (!word.endsWith("*") || stem.includes("*") || letters < LIMITS.searchPrefixMinChars) {
          throw refuse(`* ends a prefix of at least ${LIMITS.searchPrefixMinChars} letters, as in deliv* (a lone * or one inside a word finds nothing)`);
        }
        tokens.push({ t: "term", term: { kind: "prefix", text: stem } });
      } else if (searchable(word)) {
        tokens.push({ t: "term", term: { kind: "word", text: word } });
      }
      // Punctuation alone (a dash between words, "?") is not indexed: it separates, like a space.
    }
  }
  return tokens;
}

/** Reads `q` into a query tree, or throws the 422 that says what is wrong with it. */
export function parseQuery(q: string): Query {
  const tokens = tokenize(q);
  const terms = tokens.filter((t) => t.t === "term").length;
  const operator = tokens.find((t) => t.t === "and" || t.t === "or" || t.t === "not");
  if (terms === 0 && operator !== undefined) throw refuse(`${operator.t.toUpperCase()} needs a term on each side (to search for the word itself, write it in lower case or in quotes)`);
  if (terms === 0) throw refuse("nothing to search for: give at least one word (punctuation is not indexed)");
  if (terms > LIMITS.searchTerms) throw refuse(`at most ${LIMITS.searchTerms} terms (words, prefixes and phrases); this query has ${terms}`);
  let at = 0;
  const peek = () => tokens[at];
  const operand = (op: string) => refuse(`${op} needs a term on each side (to search for the word itself, write it in lower case or in quotes)`);

  const primary = (): Query => {
    const token = peek();
    if (token === undefined) throw refuse("the query ends where a term was expected");
    if (token.t === "term") {
      at++;
      return { type: "term", term: token.term };
    }
    if (token.t === "(") {
      at++;
      const inner = or();
      if (peek()?.t !== ")") throw refuse("a ( needs its )");
      at++;
      return inner;
    }
    if (token.t === ")") throw refuse("a ) without its (");
    throw operand(token.t.toUpperCase());
  };
  const not = (): Query => {
    let left = primary();
    while (peek()?.t === "not") {
      at++;
      if (peek() === undefined) throw operand("NOT");
      left = { type: "not", left, right: primary() };
    }
    return left;
  };
  const startsPrimary = (token: Token | undefined) => token !== undefined && (token.t === "term" || token.t === "(");
  const and = (): Query => {
    const children = [not()];
    for (;;) {
      const token = peek();
      if (token?.t === "and") {
        at++;
        if (!startsPrimary(peek())) throw operand("AND");
      } else if (token?.t === "not") {
        // NOT binds to the term before it; one here follows an operator or starts the query.
        throw operand("NOT");
      } else if (!startsPrimary(token)) {
        break;
      }
      children.push(not());
    }
    return children.length === 1 ? children[0]! : { type: "and", children };
  };
  const or = (): Query => {
    const children = [and()];
    while (peek()?.t === "or") {
      at++;
      if (!startsPrimary(peek())) throw operand("OR");
      children.push(and());
    }
    return children.length === 1 ? children[0]! : { type: "or", children };
  };

  if (peek()?.t === "not") throw refuse("NOT (or -) needs a term before it: a query cannot be only exclusions");
  const tree = or();
  const rest = peek();
  if (rest !== undefined) throw rest.t === ")" ? refuse("a ) without its (") : operand(rest.t.toUpperCase());
  return tree;
}

/** Every term of the tree, and whether it counts for the match (not under the right side of a NOT). */
export function terms(query: Query, positive = true): { term: Term; positive: boolean }[] {
  if (query.type === "term") return [{ term: query.term, positive }];
  if (query.type === "not") return [...terms(query.left, positive), ...terms(query.right, false)];
  return query.children.flatMap((c) => terms(c, positive));
}

/** A term in FTS5's syntax: always a quoted string (`"` doubled), so its text is only ever text. */
const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The tree as an FTS5 expression for the word index. */
export function wordsExpression(query: Query): string {
  switch (query.type) {
    case "term":
      return query.term.kind === "prefix" ? `${quote(query.term.text)}*` : quote(query.term.text);
    case "not":
      return `(${wordsExpression(query.left)} NOT ${wordsExpression(query.right)})`;
    default:
      return `(${query.children.map(wordsExpression).join(query.type === "and" ? " AND " : " OR ")})`;
  }
}

/**
 * A condition on the message text, for what the trigram index cannot answer: a term of one or two
 * characters (the index's tokens are three). Matched as a substring, ignoring ASCII case.
 */
export type TextFilter = { type: "has"; text: string } | { type: "and" | "or"; children: TextFilter[] } | { type: "not"; child: TextFilter };

/**
 * How a query is answered:
 * - `words`: the word index answers it all (no term contains a trigram-script character);
 * - `grams`: the trigram index answers the conjuncts whose terms are all three characters or more
 *   (every term as a substring: a prefix is a substring too), and `filter` the rest;
 * - `scan`: nothing indexable (a lone 包裹 or 🎉): `filter` over the account's newest messages in
 *   those scripts (LIMITS.searchScanMessages).
 * `positive` are the texts that count as hits for the ranking and the marks of a scan's snippet.
 */
export type SearchPlan =
  | { index: "words"; match: string; filter: null; positive: string[] }
  | { index: "grams"; match: string; filter: TextFilter | null; positive: string[] }
  | { index: "scan"; match: null; filter: TextFilter; positive: string[] };

const gramsTerm = (term: Term) => quote(term.text);
const indexable = (query: Query) => terms(query).every(({ term }) => Array.from(term.text).length >= 3);

function textFilter(query: Query): TextFilter {
  switch (query.type) {
    case "term":
      return { type: "has", text: query.term.text };
    case "not":
      return { type: "and", children: [textFilter(query.left), { type: "not", child: textFilter(query.right) }] };
    default:
      return { type: query.type, children: query.children.map(textFilter) };
  }
}

function gramsExpression(query: Query): string {
  switch (query.type) {
    case "term":
      return gramsTerm(query.term);
    case "not":
      return `(${gramsExpression(query.left)} NOT ${gramsExpression(query.right)})`;
    default:
      return `(${query.children.map(gramsExpression).join(query.type === "and" ? " AND " : " OR ")})`;
  }
}

/** The top-level conjuncts of a tree, a NOT's right side as an excluded one: `a b NOT c` is a, b, not c. */
function conjuncts(query: Query): { query: Query; excluded: boolean }[] {
  if (query.type === "and") return query.children.flatMap(conjuncts);
  if (query.type === "not") return [...conjuncts(query.left), { query: query.right, excluded: true }];
  return [{ query, excluded: false }];
}

const hasGramChar = (text: string) => Array.from(text).some(isGramChar);

/** Whether every match must contain a trigram-script character, so that the trigram index (which holds only such messages) has them all. */
function needsGrams(query: Query): boolean {
  switch (query.type) {
    case "term":
      return hasGramChar(query.term.text);
    case "not":
      return needsGrams(query.left);
    case "and":
      return query.children.some(needsGrams);
    case "or":
      return query.children.every(needsGrams);
  }
}

export function planQuery(query: Query): SearchPlan {
  const all = terms(query);
  const positive = all.filter((t) => t.positive).map((t) => t.term.text);
  if (!all.some(({ term }) => hasGramChar(term.text))) return { index: "words", match: wordsExpression(query), filter: null, positive };
  if (!needsGrams(query)) {
    throw refuse(
      "terms in Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar or emoji are found by another index than other words, so every match must need one of them: AND them with other words, but do not OR them with other words or only exclude them; search for each side separately",
    );
  }
  const parts = conjuncts(query);
  const included = parts.filter((p) => !p.excluded && indexable(p.query));
  if (included.length === 0) return { index: "scan", match: null, filter: textFilter(query), positive };
  const excluded = parts.filter((p) => p.excluded && indexable(p.query));
  const rest = parts.filter((p) => !indexable(p.query)).map((p) => (p.excluded ? { type: "not" as const, child: textFilter(p.query) } : textFilter(p.query)));
  let match = included.map((p) => gramsExpression(p.query)).join(" AND ");
  if (excluded.length > 0) match = `(${match}) NOT (${excluded.map((p) => gramsExpression(p.query)).join(" OR ")})`;
  const filter = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { type: "and" as const, children: rest };
  return { index: "grams", match, filter, positive };
}
