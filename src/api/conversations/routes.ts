import { createRoute, z } from "@hono/zod-openapi";
import { Channel, Cursor, IdempotencyHeaders, Identity, Limit, page } from "../../contract/common";
import { Conversation, ConversationStatus, CreateConversation, UpdateConversation } from "../../contract/conversation";
import { Message } from "../../contract/message";
import { Participant } from "../../contract/participant";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Conversations"];
const security = [{ ApiKey: [] }];
export const ConversationParams = z.object({ conversation_id: z.string().openapi({ example: "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T" }) });

export const CreatedConversation = Conversation.extend({
  participants: z.array(Participant),
  message: Message.nullable(),
}).openapi("CreatedConversation");

export const ListConversationsQuery = z.object({
  status: ConversationStatus.optional(),
  channel: Channel.optional(),
  tag: z.string().min(1).optional(),
  address: z.string().min(1).optional().openapi({ description: "Only conversations with a participant at this address." }),
  identity: Identity.optional().openapi({ description: "Only conversations with this chat identity." }),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  limit: Limit,
  cursor: Cursor,
});

export const create = createRoute({
  method: "post",
  path: "/v1/conversations",
  tags,
  security,
  summary: "Create a conversation, optionally with participants and a first message",
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateConversation) },
  responses: {
    201: jsonResponse(CreatedConversation, "Created"),
    ...problemResponses(400, 401, 409, 413, 422),
  },
});

export const list = createRoute({
  method: "get",
  path: "/v1/conversations",
  tags,
  security,
  summary: "List conversations, latest activity first",
  description: "Served from D1: a conversation created or changed a moment ago may take a moment to appear.",
  request: { query: ListConversationsQuery },
  responses: { 200: jsonResponse(page(Conversation), "A page of conversations"), ...problemResponses(400, 401) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}",
  tags,
  security,
  summary: "Get a conversation",
  request: { params: ConversationParams },
  responses: { 200: jsonResponse(Conversation, "The conversation"), ...problemResponses(401, 404) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/conversations/{conversation_id}",
  tags,
  security,
  summary: "Update a conversation",
  request: { params: ConversationParams, headers: IdempotencyHeaders, body: jsonBody(UpdateConversation) },
  responses: { 200: jsonResponse(Conversation, "Updated"), ...problemResponses(400, 401, 404, 413, 422) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/conversations/{conversation_id}",
  tags,
  security,
  summary: "Delete a conversation with all its messages",
  request: { params: ConversationParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 404) },
});
