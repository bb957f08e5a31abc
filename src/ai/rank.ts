import type { ConfidenceFeatures } from "../contract/draft";
import { termCounts, words } from "./text";

/**
 * BM25 over an account's passages, from that account's statistics only, and the features the
 * confidence is computed from. Pure: retrieval (retrieve.ts) feeds it what D1's FTS5 index found,
 * and the calibration feeds it the labelled set's knowledge base directly.
 */

const K1 = 1.2;
const B = 0.75;
/** A heading says what its passage is about: its words count this many times. */
const HEADING_WEIGHT = 2;

export type Candidate = { id: string; document_id: string; version: number; heading: string; body: string; topic: string | null };
export type Stats = { passages: number; chars: number };
export type Scored = Candidate & { score: number; matched: number[] };

export const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

export function rank(terms: readonly string[], candidates: readonly Candidate[], stats: Stats, df: readonly number[]): Scored[] {
  const n = Math.max(stats.passages, 1);
  const avg = Math.max(stats.chars / n, 1);
  const weights = terms.map((_, i) => idf(n, df[i] ?? 0));
  return candidates
    .map((c) => {
      const body = termCounts(words(c.body), terms);
      const head = termCounts(words(c.heading), terms);
      const len = c.heading.length + c.body.length;
      let score = 0;
      const matched: number[] = [];
      terms.forEach((_, i) => {
        const tf = body[i]! + HEADING_WEIGHT * head[i]!;
        if (tf === 0) return;
        matched.push(i);
        score += (weights[i]! * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg));
      });
      return { ...c, score, matched };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * - coverage: the share of the question's term weight (IDF) the best passage contains; a term the
 *   knowledge base does not have at all weighs most, so an off-topic question covers little;
 * - margin: how far the best passage is ahead of the second, relative to the best (1: alone);
 * - strength: the best score relative to the most these terms could score (every term, tf → ∞).
 */
export function features(terms: readonly string[], scored: readonly Scored[], stats: Stats, df: readonly number[]): ConfidenceFeatures {
  const best = scored[0];
  if (!best || terms.length === 0) return { coverage: 0, margin: 0, strength: 0 };
  const n = Math.max(stats.passages, 1);
  const weights = terms.map((_, i) => idf(n, df[i] ?? 0));
  const total = weights.reduce((a, w) => a + w, 0);
  const covered = best.matched.reduce((a, i) => a + weights[i]!, 0);
  const second = scored[1]?.score ?? 0;
  return {
    coverage: round(covered / total),
    margin: round((best.score - second) / best.score),
    strength: round(best.score / (total * (K1 + 1))),
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
