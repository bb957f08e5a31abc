import { LIMITS } from "../../lib/limits";
import { confidenceOf } from "../confidence";
import { sentences, termCounts, words } from "../text";
import type { DraftEngine, DraftRequest, EngineAnswer } from "./engine";

/**
 * The offline default: no network, so it works with `npm start` and in tests. The answer is the
 * best passage itself when it is short enough, else its sentences that carry most of the
 * question's terms, in their order; the confidence is the calibrated function of the retrieval's
 * measured features (confidence.ts).
 */
export const offlineEngine: DraftEngine = {
  name: "offline",
  async answer(request: DraftRequest): Promise<EngineAnswer> {
    const best = request.retrieved.passages[0];
    if (!best) return { body: null, confidence: 0 };
    return { body: extract(best.body, request.retrieved.terms), confidence: confidenceOf(request.retrieved.features) };
  },
};

export function extract(passage: string, terms: readonly string[]): string {
  const max = LIMITS.draftAnswerChars;
  if (passage.length <= max) return passage;
  const all = sentences(passage);
  const scored = all.map((s, i) => ({ i, s, hits: termCounts(words(s), terms).filter((n) => n > 0).length }));
  const chosen = new Set<number>();
  let length = 0;
  for (const c of [...scored].sort((a, b) => b.hits - a.hits || a.i - b.i)) {
    if (length + c.s.length + 1 > max) continue;
    chosen.add(c.i);
    length += c.s.length + 1;
  }
  const text = all.filter((_, i) => chosen.has(i)).join(" ");
  return text || `${passage.slice(0, max - 1)}…`;
}
