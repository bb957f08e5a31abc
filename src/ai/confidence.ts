import type { ConfidenceFeatures } from "../contract/draft";

/**
 * Confidence as a logistic function of the measured features, fitted on the labelled set
 * (test/fixtures/ai): the probability that the best passage answers the question. How it was
 * fitted, and what it measured, is in docs/architecture.md ("AI drafts and handoff").
 */
export const WEIGHTS = { bias: -3.5, coverage: 4.5, margin: 1, strength: 2 } as const;

export function confidenceOf(f: ConfidenceFeatures): number {
  if (f.coverage === 0) return 0;
  const z = WEIGHTS.bias + WEIGHTS.coverage * f.coverage + WEIGHTS.margin * f.margin + WEIGHTS.strength * f.strength;
  return Math.round((1 / (1 + Math.exp(-z))) * 1e4) / 1e4;
}
