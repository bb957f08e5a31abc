import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, page } from "../../contract/common";
import { HistoryQuery, Message, SendMessage } from "../../contract/message";
import { ConversationParams, MessageParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Messages"];
const security = [{ ApiKey: [] }];

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
  request: { params: MessageParams },
  responses: { 200: jsonResponse(Message, "The message"), ...problemResponses(401, 404) },
});
