import type { DraftRequest } from "./engine";

/** What an LLM engine is told: answer from the passages only, or say it cannot. */
export const NO_ANSWER = "NO_ANSWER";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export function chatMessages(r: DraftRequest): ChatMessage[] {
  const passages = r.retrieved.passages.map((p, i) => `[${i + 1}] ${p.heading}\n${p.body}`).join("\n\n");
  const system =
    "You are a customer support assistant writing a reply to the customer's last message. " +
    "Answer only from the knowledge-base passages below, briefly and politely" +
    (r.language ? `, in the customer's language (${r.language})` : "") +
    `. If the passages do not answer the question, reply with exactly ${NO_ANSWER} and nothing else.\n\nPassages:\n${passages}`;
  const history = r.history.map((m): ChatMessage => ({ role: m.author_kind === "customer" ? "user" : "assistant", content: m.body }));
  return [{ role: "system", content: system }, ...history, { role: "user", content: r.question }];
}

/** The model's text as a reply: null when it said it cannot answer (or said nothing). */
export function replyOf(text: string | undefined | null): string | null {
  const t = (text ?? "").trim();
  return t === "" || t.includes(NO_ANSWER) ? null : t;
}
