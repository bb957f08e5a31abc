import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { DraftEngine } from "./draft";

/** The account's AI settings (`ai` of GET/PATCH /v1/settings): drafts, their gates, escalation and the engine. */

const Threshold = z.number().min(0).max(1);
const Keyword = z.string().trim().min(1).max(LIMITS.escalationKeywordChars);
const BaseUrl = z.url({ protocol: /^https?$/ }).max(LIMITS.baseUrlChars);

const Thresholds = z.object({
  auto_send: Threshold.openapi({ description: "A draft this confident or more is sent by the bot on its own." }),
  review: Threshold.openapi({ description: "A draft this confident or more (and under `auto_send`) waits for an agent's review; under it nothing is sent." }),
});

const Escalation = z.object({
  human_request: z.boolean().openapi({ description: "A customer asking for a person (\"talk to a human\", \"real agent\", …) is handed off." }),
  keywords: z.array(Keyword).max(LIMITS.escalationKeywords).openapi({ description: "Words or phrases (any case, whole words) that hand the conversation off." }),
  negative_sentiment: z.boolean().openapi({ description: "A message the offline lexicon (AFINN-165, with negation) scores clearly negative hands off." }),
  low_confidence_streak: z.number().int().min(0).max(20).openapi({ description: "This many drafts in a row below `review` hand off (0: never)." }),
});

export const AiSettings = z
  .object({
    enabled: z.boolean().openapi({ description: "Draft replies to customers' messages (each conversation may override it)." }),
    engine: DraftEngine.openapi({ description: "`offline`: retrieval with extractive answers (no network); `openai`: any OpenAI-compatible chat completions endpoint (`openai` below); `workers_ai`: the deployment's Workers AI binding (production only). Either LLM engine falls back to `offline` on error or timeout." }),
    thresholds: Thresholds,
    review_ttl_seconds: z.number().int().openapi({ description: "How long a draft waits for review before it expires." }),
    escalation: Escalation,
    openai: z
      .object({ base_url: z.string(), model: z.string(), timeout_ms: z.number().int(), api_key_set: z.boolean().openapi({ description: "The key is sealed at rest and never returned." }) })
      .nullable(),
    workers_ai_model: z.string(),
  })
  .openapi("AiSettings");
export type AiSettings = z.infer<typeof AiSettings>;

export const UpdateAiSettings = z
  .object({
    enabled: z.boolean().optional(),
    engine: DraftEngine.optional(),
    thresholds: Thresholds.partial().optional(),
    review_ttl_seconds: z.number().int().min(60).max(LIMITS.draftReviewTtlSecondsMax).optional(),
    escalation: Escalation.partial().optional(),
    openai: z
      .object({
        base_url: BaseUrl.openapi({ example: "https://api.openai.com/v1", description: "`/chat/completions` is appended." }),
        model: z.string().min(1).max(128),
        api_key: z.string().min(1).max(LIMITS.credentialChars).optional().openapi({ description: "Sealed at rest, never returned; absent keeps the stored one." }),
        timeout_ms: z.number().int().min(100).max(LIMITS.draftLlmTimeoutMsMax).optional(),
      })
      .nullable()
      .optional(),
    workers_ai_model: z.string().min(1).max(128).optional(),
  })
  .openapi("UpdateAiSettings");
export type UpdateAiSettings = z.infer<typeof UpdateAiSettings>;
