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

export const remove = createRoute({
  method: "delete",
  path: "/v1/conversations/{conversation_id}/messages/{message_id}",
  tags,
  security,
  summary: "Delete a message (it leaves a tombstone in its slot)",
  description:
    "`message_id` is the message's id or its index. The message becomes a tombstone: body empty, media, attributes and delivery erased, `deleted_at` set, id and index kept, so indexes stay gapless; it is gone from search when this returns, and sockets get a `message.deleted` frame, webhooks a `message.deleted` event. Deleting a tombstone answers it again. Under a legal hold (the conversation's own, or the account's `retention.legal_hold`) it is a 409 naming the hold, and nothing changes.",
  request: { params: MessageParams },
  responses: { 200: jsonResponse(Message, "The tombstone"), ...problemResponses(401, 404, 409) },
});
