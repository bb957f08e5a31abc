import type { AiSettings } from "../contract/ai-settings";
import type { EscalationReason } from "../contract/handoff";
import { isNegative } from "./sentiment";
import { words } from "./text";

/**
 * The escalation rules a customer's message can meet on its own (the low-confidence streak is the
 * gates' to count): asking for a person, a keyword of the account's list, negative sentiment.
 */

/** Ways of asking for a person, in the languages the offline detector knows best; matched on folded, lowercased text. */
const HUMAN_REQUESTS: readonly RegExp[] = [
  /\b(speak|talk|chat|connect me|put me through|transfer me)\b.{0,20}\b(human|person|agent|representative|rep|someone|somebody|operator|manager|supervisor|staff|people)\b/,
  /\b(real|live|actual|human)\s+(person|agent|human|being|support|representative)\b/,
  /\b(want|need|get)\s+(a|an|to)?\s*(human|person|agent|representative|operator)\b/,
  /^\s*(human|agent|operator|representative)\s*[.!?]*\s*$/,
  /\bhablar con\b.{0,15}\b(persona|humano|agente|alguien)\b/,
  /\b(parler|discuter)\b.{0,15}\b(humain|personne|conseiller|agent)\b/,
  /\b(mit einem|mit einer)\b.{0,15}\b(menschen|mitarbeiter|person)\b/,
  /\bfalar com\b.{0,15}\b(pessoa|humano|atendente|agente)\b/,
];

const fold = (s: string) => words(s).join(" ");

export function asksForHuman(text: string): boolean {
  const t = fold(text);
  return HUMAN_REQUESTS.some((r) => r.test(t));
}

/** Whole words or phrases, in any case and with accents folded. */
export function keywordIn(text: string, keywords: readonly string[]): boolean {
  const t = ` ${fold(text)} `;
  return keywords.some((k) => {
    const f = fold(k);
    return f.length > 0 && t.includes(` ${f} `);
  });
}

export function escalationReasons(text: string, rules: AiSettings["escalation"]): EscalationReason[] {
  const reasons: EscalationReason[] = [];
  if (rules.human_request && asksForHuman(text)) reasons.push("human_requested");
  if (keywordIn(text, rules.keywords)) reasons.push("keyword");
  if (rules.negative_sentiment && isNegative(text)) reasons.push("negative_sentiment");
  return reasons;
}
