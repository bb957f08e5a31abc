import { createRoute } from "@hono/zod-openapi";
import { MintToken, ParticipantToken } from "../../contract/token";
import { jsonBody, jsonResponse, problemResponses } from "../http";

export const mint = createRoute({
  method: "post",
  path: "/v1/tokens",
  tags: ["Tokens"],
  security: [{ ApiKey: [] }],
  summary: "Mint a participant token for a browser or app",
  description: "A short-lived JWT that acts as one chat identity: for the conversation stream and the identity's inbox.",
  request: { body: jsonBody(MintToken) },
  responses: { 201: jsonResponse(ParticipantToken, "The token"), ...problemResponses(401, 422) },
});
