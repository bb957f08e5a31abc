import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, PageQuery, page } from "../../contract/common";
import { AddParticipant, MarkRead, Participant } from "../../contract/participant";
import { ConversationParams, ParticipantParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Participants"];
const security = [{ ApiKey: [] }];

export const add = createRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/participants",
  tags,
  security,
  summary: "Add a participant: an address on a channel, or a chat identity",
  description:
    "With `contact_id` and a channel, the address may be left out: it is the contact's first address on that channel (422 naming `body.address` when it has none). " +
    "With `contact_id` and an address, the address is added to the contact unless it has it (409 naming `body.address` when another contact does). " +
    "An unknown, foreign or merged contact is a 404 naming `body.contact_id`. A refused add gives the contact nothing.",
  request: { params: ConversationParams, headers: IdempotencyHeaders, body: jsonBody(AddParticipant) },
  responses: { 201: jsonResponse(Participant, "Added"), ...problemResponses(400, 401, 404, 409, 413, 422) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/participants",
  tags,
  security,
  summary: "List participants in the order they joined",
  request: { params: ConversationParams, query: PageQuery },
  responses: { 200: jsonResponse(page(Participant), "A page of participants"), ...problemResponses(400, 401, 404) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/participants/{participant_id}",
  tags,
  security,
  summary: "Get a participant",
  request: { params: ParticipantParams },
  responses: { 200: jsonResponse(Participant, "The participant"), ...problemResponses(401, 404) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/conversations/{conversation_id}/participants/{participant_id}",
  tags,
  security,
  summary: "Remove a participant",
  request: { params: ParticipantParams },
  responses: { 204: { description: "Removed" }, ...problemResponses(401, 404) },
});

export const markRead = createRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/participants/{participant_id}/read",
  tags,
  security,
  summary: "Move a participant's read horizon forward",
  request: { params: ParticipantParams, body: jsonBody(MarkRead) },
  responses: { 200: jsonResponse(Participant, "The participant with its new horizon"), ...problemResponses(400, 401, 404, 422) },
});
