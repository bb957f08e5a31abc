/**
 * What the DRAFTS queue carries, from each conversation's assist sink to src/ai/consumer.ts: names
 * only, so the consumer reads the message and the conversation's state as they are when it runs.
 * - `draft`: draft a reply to the customer's message at `index`;
 * - `handoff`: the conversation was handed off: ask routing for an agent.
 */
export type DraftJob =
  | { v: 1; kind: "draft"; account_id: string; conversation_id: string; index: number }
  | { v: 1; kind: "handoff"; account_id: string; conversation_id: string };
