import { createRoute, z } from "@hono/zod-openapi";
import { Cursor, IdempotencyHeaders, Limit, page } from "../../contract/common";
import { Message, SendMessage } from "../../contract/message";
import { ConversationParams } from "../conversations/routes";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Messages"];
const security = [{ ApiKey: [] }];
const Index = z.coerce.number().int().min(0);

export const HistoryQuery = z.object({
  order: z.enum(["asc", "desc"]).default("asc"),
  after_index: Index.optional().openapi({ description: "Only messages with a greater index." }),
  before_index: Index.optional().openapi({ description: "Only messages with a smaller index." }),
  limit: Limit,
  cursor: Cursor,
});

export const send = createRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/messages",
  tags,
  security,
  summary: "Send a message",
  description: "The message is committed at the conversation's next index before this returns.",
  request: { params: ConversationParams, headers: IdempotencyHeaders, body: jsonBody(SendMessage) },
  responses: { 201: jsonResponse(Message, "Committed"), ...problemResponses(400, 401, 404, 409, 413, 422) },
});

export const history = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/messages",
  tags,
  security,
  summary: "Message history, oldest first unless order=desc",
  request: { params: ConversationParams, query: HistoryQuery },
  responses: { 200: jsonResponse(page(Message), "A page of messages"), ...problemResponses(400, 401, 404) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/messages/{message_id}",
  tags,
  security,
  summary: "Get a message",
  request: { params: ConversationParams.extend({ message_id: z.string() }) },
  responses: { 200: jsonResponse(Message, "The message"), ...problemResponses(401, 404) },
});
