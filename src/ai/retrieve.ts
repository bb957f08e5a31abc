import { LIMITS } from "../lib/limits";
import { features, rank, type Candidate, type Scored, type Stats } from "./rank";
import { queryTerms } from "./text";
import type { ConfidenceFeatures } from "../contract/draft";

/**
 * The best passages of the account's knowledge base for a question. FTS5 finds the candidates
 * (any term, as a prefix, in the account's rowid range) and counts each term's matches there;
 * rank.ts scores them with BM25 from those counts and the account's statistics. The range bounds
 * are computed inside the statements (an INTEGER: D1 binds numbers as REAL, which FTS5 would not
 * take as a rowid bound, and read every account's postings).
 */
export type Retrieved = { terms: string[]; passages: Scored[]; features: ConfidenceFeatures };

const SPAN = "1099511627776";
const RANGE = `coalesce((SELECT n * ${SPAN} FROM search_accounts WHERE account_id = ?1), 0) AND coalesce((SELECT n * ${SPAN} + ${SPAN} - 1 FROM search_accounts WHERE account_id = ?1), -1)`;

const quoted = (t: string) => `"${t.replace(/"/g, '""')}"*`;

export async function retrieve(db: D1Database, accountId: string, question: string): Promise<Retrieved> {
  const terms = queryTerms(question, LIMITS.knowledgeQueryTerms);
  if (terms.length === 0) return { terms, passages: [], features: { coverage: 0, margin: 0, strength: 0 } };
  const counts = terms.map((_, i) => `(SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH ?${i + 2} AND rowid BETWEEN ${RANGE}) AS d${i}`).join(", ");
  const [found, statsRow] = await db.batch([
    db
      .prepare(
        `SELECT p.id, p.document_id, p.version, p.heading, p.body, d.topic FROM knowledge_fts f
         JOIN knowledge_passages p ON p.doc = f.rowid JOIN knowledge_documents d ON d.id = p.document_id
         WHERE knowledge_fts MATCH ?2 AND f.rowid BETWEEN ${RANGE} LIMIT ${LIMITS.knowledgeCandidates}`,
      )
      .bind(accountId, terms.map(quoted).join(" OR ")),
    db
      .prepare(`SELECT coalesce((SELECT passages FROM knowledge_accounts WHERE account_id = ?1), 0) AS passages, coalesce((SELECT chars FROM knowledge_accounts WHERE account_id = ?1), 0) AS chars, ${counts}`)
      .bind(accountId, ...terms.map(quoted)),
  ]);
  const candidates = (found!.results ?? []) as Candidate[];
  const row = (statsRow!.results?.[0] ?? {}) as Record<string, number>;
  const stats: Stats = { passages: row.passages ?? 0, chars: row.chars ?? 0 };
  const df = terms.map((_, i) => row[`d${i}`] ?? 0);
  const passages = rank(terms, candidates, stats, df);
  return { terms, passages: passages.slice(0, LIMITS.draftPassages), features: features(terms, passages, stats, df) };
}
