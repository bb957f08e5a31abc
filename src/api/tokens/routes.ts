import { createRoute, z } from "@hono/zod-openapi";
import { Identity, Timestamp } from "../../contract/common";
import { MAX_TOKEN_TTL_SECONDS } from "../../lib/tokens";
import { isId } from "../../lib/ids";

const ConversationId = z.string().refine((v) => isId("conversation", v), "must be a conversation id (conv_…)");
import { jsonBody, jsonResponse, problemResponses } from "../http";

export const MintToken = z
  .object({
    identity: Identity,
    conversation_id: ConversationId.optional().openapi({ description: "Limit the token to this conversation." }),
    conversation_ids: z.array(ConversationId).min(1).max(100).optional().openapi({ description: "Limit the token to these conversations." }),
    ttl_seconds: z.number().int().min(60).max(MAX_TOKEN_TTL_SECONDS).default(3600),
  })
  .openapi("MintToken");

export const mint = createRoute({
  method: "post",
  path: "/v1/tokens",
  tags: ["Tokens"],
  security: [{ ApiKey: [] }],
  summary: "Mint a participant token for a browser or app",
  description: "A short-lived JWT that acts as one chat identity: for the conversation stream and the identity's inbox.",
  request: { body: jsonBody(MintToken) },
  responses: {
    201: jsonResponse(z.object({ token: z.string(), identity: z.string(), expires_at: Timestamp }).openapi("ParticipantToken"), "The token"),
    ...problemResponses(401, 422),
  },
});
