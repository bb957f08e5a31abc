import { createRoute } from "@hono/zod-openapi";
import { StreamQuery } from "../../contract/frames";
import { ConversationParams } from "../../contract/params";
import { API_KEY_OR_TOKEN, problemResponses } from "../http";

const tags = ["Real-time"];

export const conversationStream = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/stream",
  tags,
  security: API_KEY_OR_TOKEN,
  summary: "Open the conversation's WebSocket",
  description: "Frames are JSON `{ type, … }`: the `ServerFrame`/`ClientFrame` unions of src/contract/frames.ts. Send the text `ping` every 30 s.",
  request: { params: ConversationParams, query: StreamQuery },
  responses: { 101: { description: "Switching protocols" }, ...problemResponses(400, 401, 404, 426) },
});

export const accountStream = createRoute({
  method: "get",
  path: "/v1/stream",
  tags,
  security: [{ ApiKey: [] }],
  summary: "Open the account-wide WebSocket (agent consoles)",
  description: "`conversation.created`, `conversation.updated`, `conversation.deleted` and `message.added` summaries for every conversation of the account. Browsers, which cannot set headers on a WebSocket, offer the API key as a subprotocol beside `parley.v1`.",
  responses: { 101: { description: "Switching protocols" }, ...problemResponses(401, 426) },
});
