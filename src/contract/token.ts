import { z } from "@hono/zod-openapi";
import { isId } from "../lib/ids";
import { LIMITS } from "../lib/limits";
import { Identity, Timestamp } from "./common";

const ConversationId = z.string().refine((v) => isId("conversation", v), "must be a conversation id (conv_…)");

export const MintToken = z
  .object({
    identity: Identity,
    conversation_id: ConversationId.optional().openapi({ description: "Limit the token to this conversation." }),
    conversation_ids: z.array(ConversationId).min(1).max(100).optional().openapi({ description: "Limit the token to these conversations." }),
    ttl_seconds: z.number().int().min(60).max(LIMITS.tokenTtlSecondsMax).default(3600),
  })
  .openapi("MintToken");
export type MintToken = z.infer<typeof MintToken>;

export const ParticipantToken = z.object({ token: z.string(), identity: z.string(), expires_at: Timestamp }).openapi("ParticipantToken");
export type ParticipantToken = z.infer<typeof ParticipantToken>;
