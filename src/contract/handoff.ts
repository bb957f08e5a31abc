import { z } from "@hono/zod-openapi";
import { Identity, Timestamp } from "./common";

/**
 * Who answers a conversation: the bot (AI drafts may be sent on their own), or a person. Escalation
 * (or a request) makes it `handoff_pending`; an agent accepting makes it `agent_active`, and the bot
 * no longer sends on its own; resolving the conversation hands it back to the bot.
 */
export const HandoffState = z.enum(["bot", "handoff_pending", "agent_active"]).openapi("HandoffState");
export type HandoffState = z.infer<typeof HandoffState>;

export const EscalationReason = z
  .enum(["human_requested", "keyword", "negative_sentiment", "low_confidence", "api", "draft_failed"])
  .openapi("EscalationReason", { description: "`human_requested`: the customer asked for a person; `keyword`: a word of the account's list; `negative_sentiment`: the offline lexicon scored the message negative; `low_confidence`: drafts below the review threshold in a row; `api`: requested by POST …/handoff; `draft_failed`: drafting a reply to the customer's message failed on every try (the DRAFTS queue's dead letters), so a person answers it." });
export type EscalationReason = z.infer<typeof EscalationReason>;

export const Handoff = z
  .object({
    conversation_id: z.string(),
    state: HandoffState,
    ai_enabled: z.boolean().nullable().openapi({ description: "This conversation's override of the account's `ai.enabled`; null: the account's setting applies." }),
    reasons: z.array(EscalationReason).openapi({ description: "Why the current handoff was requested (empty while the bot answers)." }),
    agent: z.string().nullable().openapi({ description: "The identity of the agent who accepted." }),
    topic: z.string().nullable().openapi({ description: "The knowledge-base topic of the customer's question, when one matched (what routing looks for in agents' skills)." }),
    language: z.string().nullable().openapi({ description: "The customer's language as detected offline (ISO 639-1 where it has one, else 639-3)." }),
    low_confidence_streak: z.number().int().openapi({ description: "Drafts in a row below the review threshold." }),
    requested_at: Timestamp.nullable(),
    accepted_at: Timestamp.nullable(),
  })
  .openapi("Handoff");
export type Handoff = z.infer<typeof Handoff>;

export const RequestHandoff = z.object({}).strict().openapi("RequestHandoff");
export const AcceptHandoff = z.object({ agent: Identity.openapi({ description: "The accepting agent's identity: joins the conversation as an agent participant if not in it." }) }).openapi("AcceptHandoff");
export const UpdateAssistant = z
  .object({ ai_enabled: z.boolean().nullable().openapi({ description: "true or false overrides the account's `ai.enabled` for this conversation; null follows it again." }) })
  .openapi("UpdateAssistant");
