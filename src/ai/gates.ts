import type { DraftGate, DraftStatus } from "../contract/draft";
import type { EscalationReason, HandoffState } from "../contract/handoff";

/**
 * The account's confidence gates, applied to one draft: pure, so the labelled-set evaluation
 * (test/ai-labelled.test.ts) measures exactly what the conversation applies.
 *
 * - confidence ≥ auto_send: sent by the bot, unless the message met an escalation rule or a person
 *   has (or is being handed) the conversation: then it waits for review instead;
 * - ≥ review: waits for review;
 * - below, or no answer at all: nothing is sent, and it counts towards the low-confidence streak.
 */
export type GatePolicy = { auto_send: number; review: number; low_confidence_streak: number };

export type GateInput = {
  confidence: number;
  hasAnswer: boolean;
  /** Rules the customer's message met (asked for a human, a keyword, negative sentiment). */
  escalation: readonly EscalationReason[];
  handoff: HandoffState;
  /** Drafts in a row below `review` before this one. */
  lowStreak: number;
};

export type GateDecision = {
  gate: DraftGate;
  status: Extract<DraftStatus, "sent" | "pending" | "discarded">;
  lowStreak: number;
  /** Why the conversation should be handed off now (empty: it should not, or already is). */
  handoff: EscalationReason[];
};

export function decide(input: GateInput, policy: GatePolicy): GateDecision {
  const rated: DraftGate = !input.hasAnswer ? "none" : input.confidence >= policy.auto_send ? "auto_send" : input.confidence >= policy.review ? "review" : "none";
  const botAnswers = input.handoff === "bot" && input.escalation.length === 0;
  const gate: DraftGate = rated === "auto_send" && !botAnswers ? "review" : rated;
  const lowStreak = gate === "none" ? input.lowStreak + 1 : 0;
  const reasons = [...input.escalation];
  if (gate === "none" && policy.low_confidence_streak > 0 && lowStreak >= policy.low_confidence_streak) reasons.push("low_confidence");
  return {
    gate,
    status: gate === "auto_send" ? "sent" : gate === "review" ? "pending" : "discarded",
    lowStreak,
    handoff: input.handoff === "bot" ? reasons : [],
  };
}
