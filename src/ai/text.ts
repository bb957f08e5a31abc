/**
 * Words as retrieval sees them: lowercased, Latin accents folded (as the FTS5 index's unicode61
 * `remove_diacritics 2` folds them), split on anything that is not a letter, mark or digit. Query
 * terms are cut to a light stem and matched as prefixes (FTS5 has no stemmer here), so "refunds",
 * "refunded" and "refunding" all find "refund".
 */

const STOPWORDS = new Set(
  (
    "a about above after again against all am an and any are aren as at be because been before being below between both but by can cannot could " +
    "did do does doing don down during each few for from further get got had has have having he her here hers herself him himself his how i if in into " +
    "is isn it its itself just let me more most my myself no nor not of off on once only or other ought our ours ourselves out over own same she should " +
    "so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what " +
    "when where which while who whom why will with would you your yours yourself yourselves hi hello hey please thanks thank hey there im ive id " +
    "dont cant wont also still yet tell know want need like one much many"
  ).split(/\s+/),
);

export function words(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** A light English stem: plural and verb endings off, for words long enough to keep a root. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The distinct content terms of a question, stemmed, in order of first appearance. */
export function queryTerms(text: string, max: number): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOPWORDS.has(w) || (w.length < 2 && !/\p{N}/u.test(w))) continue;
    const t = stem(w);
    if (!out.includes(t)) out.push(t);
    if (out.length === max) break;
  }
  return out;
}

/** How often each term occurs (as a prefix of a word) in a text's words. */
export function termCounts(textWords: readonly string[], terms: readonly string[]): number[] {
  return terms.map((t) => textWords.reduce((n, w) => n + (w.startsWith(t) ? 1 : 0), 0));
}

/** Sentences of a passage, for extractive answers. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
