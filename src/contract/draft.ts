import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Cursor, Identity, Limit, Timestamp, withinBytes } from "./common";
import { EscalationReason } from "./handoff";

/**
 * An AI reply draft: made off the request path for a customer's message, with its confidence and
 * the knowledge-base passages it used, then sent (confidence at or over the account's `auto_send`),
 * held for review (at or over `review`) or kept unsent. Its `history` is the audit trail.
 */
export const DraftStatus = z
  .enum(["sent", "pending", "approved", "rejected", "expired", "discarded"])
  .openapi("DraftStatus", { description: "`sent`: auto-sent by the bot; `pending`: waiting for review; `approved` (sent) and `rejected` by a reviewer; `expired`: not reviewed in time; `discarded`: below the review threshold, or nothing to say: never sent." });
export type DraftStatus = z.infer<typeof DraftStatus>;

export const DraftGate = z.enum(["auto_send", "review", "none"]).openapi("DraftGate", { description: "What the account's thresholds made of the draft when it was made." });
export type DraftGate = z.infer<typeof DraftGate>;

export const DraftEngine = z.enum(["offline", "openai", "workers_ai"]).openapi("DraftEngine");
export type DraftEngine = z.infer<typeof DraftEngine>;

export const CitedPassage = z
  .object({
    passage_id: z.string(),
    document_id: z.string(),
    document_version: z.number().int(),
    heading: z.string(),
    text: z.string().openapi({ description: "The passage as it was when cited (GET /v1/knowledge/passages/{id} still reads it after the document changes)." }),
    score: z.number().openapi({ description: "Its BM25 score for the question, from the account's own knowledge base." }),
  })
  .openapi("CitedPassage");
export type CitedPassage = z.infer<typeof CitedPassage>;

export const ConfidenceFeatures = z
  .object({
    coverage: z.number().openapi({ description: "Share of the question's terms (weighted by rarity) the best passage contains." }),
    margin: z.number().openapi({ description: "How far the best passage's score is ahead of the second's, relative to the best." }),
    strength: z.number().openapi({ description: "The best score relative to the most the question's terms could score." }),
  })
  .openapi("ConfidenceFeatures");
export type ConfidenceFeatures = z.infer<typeof ConfidenceFeatures>;

export const DraftAuditEntry = z
  .object({
    action: z.enum(["created", "sent", "approved", "rejected", "expired"]),
    by: z.string().openapi({ description: "An agent's identity, or `bot` / `system`." }),
    at: Timestamp,
    edited: z.boolean().optional().openapi({ description: "Approvals: whether the reviewer changed the body." }),
    body_before: z.string().optional().openapi({ description: "Approvals with an edit: the body as drafted." }),
    body_after: z.string().optional().openapi({ description: "Approvals with an edit: the body as sent." }),
    reason: z.string().optional(),
  })
  .openapi("DraftAuditEntry");
export type DraftAuditEntry = z.infer<typeof DraftAuditEntry>;

export const Draft = z
  .object({
    id: z.string().openapi({ example: "drf_01JD5V7J3E9Q8M2K4N6P0R1S2T000001" }),
    conversation_id: z.string(),
    message_id: z.string().openapi({ description: "The customer's message it answers." }),
    message_index: z.number().int(),
    status: DraftStatus,
    gate: DraftGate,
    body: z.string().nullable().openapi({ description: "The reply (as sent, when approved with an edit); null when the engine had nothing to say." }),
    confidence: z.number().min(0).max(1),
    features: ConfidenceFeatures,
    engine: DraftEngine.openapi({ description: "The engine that wrote it (`offline` when an LLM engine failed or timed out: see `fallback`)." }),
    fallback: z.string().nullable().openapi({ description: "Why the account's LLM engine was not used (`timeout`, `error: …`), when it was not." }),
    passages: z.array(CitedPassage),
    escalation: z.array(EscalationReason).openapi({ description: "The escalation rules this message met." }),
    reply_message_id: z.string().nullable().openapi({ description: "The message it became, once sent or approved." }),
    expires_at: Timestamp.nullable(),
    history: z.array(DraftAuditEntry),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("Draft");
export type Draft = z.infer<typeof Draft>;

export const DraftParams = z.object({ draft_id: z.string().openapi({ example: "drf_01JD5V7J3E9Q8M2K4N6P0R1S2T000001" }) });

export const DraftListQuery = z.object({
  status: DraftStatus.optional().openapi({ description: "Only drafts in this state (`pending`: the review queue)." }),
  conversation_id: z.string().min(1).optional(),
  limit: Limit,
  cursor: Cursor,
});

export const ApproveDraft = z
  .object({
    agent: Identity.openapi({ description: "Who approves (recorded in the draft's history). Their participant sends it when they are in the conversation; else the bot does." }),
    body: withinBytes(z.string().min(1), LIMITS.messageBodyBytes, "body").optional().openapi({ description: "The reply as edited; absent: the draft as it is." }),
  })
  .openapi("ApproveDraft");
export type ApproveDraft = z.infer<typeof ApproveDraft>;

export const RejectDraft = z
  .object({ agent: Identity, reason: z.string().min(1).max(1000).optional() })
  .openapi("RejectDraft");
export type RejectDraft = z.infer<typeof RejectDraft>;
