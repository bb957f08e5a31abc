import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, page } from "../../contract/common";
import { Conversation, CreateConversation, CreatedConversation, ListConversationsQuery, UpdateConversation } from "../../contract/conversation";
import { ConversationParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Conversations"];
const security = [{ ApiKey: [] }];

export const create = createRoute({
  method: "post",
  path: "/v1/conversations",
  tags,
  security,
  summary: "Create a conversation, optionally with participants and a first message",
  description:
    "A participant may name its contact (`contact_id`): see AddParticipant. An unknown, foreign or merged contact is a 404 naming `body.participants[i].contact_id`; " +
    "an address another contact has is a 409 naming `body.participants[i].address`. A refused create gives no contact an address.",
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateConversation) },
  responses: {
    201: jsonResponse(CreatedConversation, "Created"),
    ...problemResponses(400, 401, 404, 409, 413, 422),
  },
});

export const list = createRoute({
  method: "get",
  path: "/v1/conversations",
  tags,
  security,
  summary: "List conversations, latest activity first",
  description:
    "Served from D1: a conversation created or changed a moment ago may take a moment to appear. Filters combine (all must match). " +
    "`contact_id` finds the conversations with a participant at any of the contact's addresses as they are now, so a merge or an added address shows at once; " +
    "a contact that is unknown, another account's or merged away is a 404 naming `query.contact_id` (a merged one's detail names the contact it went into), never an empty page. " +
    "`q` finds conversations by name, subject, participant or contact as you type (each word a prefix); for the text of messages, see `GET /v1/search/messages`.",
  request: { query: ListConversationsQuery },
  responses: { 200: jsonResponse(page(Conversation), "A page of conversations"), ...problemResponses(400, 401, 404) },
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
  description:
    "Removes it everywhere: listings, history, participants, search and its events (but `conversation.deleted`) at once, its Durable Object's storage soon after; its id is a 404 from then on. Under a legal hold (the conversation's own, or the account's `retention.legal_hold`) it is a 409 naming the hold, and nothing changes.",
  request: { params: ConversationParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 404, 409) },
});
