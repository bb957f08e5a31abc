import { createRoute } from "@hono/zod-openapi";
import { AcceptHandoff, Handoff, UpdateAssistant } from "../../contract/handoff";
import { ConversationParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Handoff"];
const security = [{ ApiKey: [] }];

export const get = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/handoff",
  tags,
  security,
  summary: "Who answers the conversation: the bot, or a person",
  request: { params: ConversationParams },
  responses: { 200: jsonResponse(Handoff, "The handoff state"), ...problemResponses(401, 404) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/conversations/{conversation_id}/handoff",
  tags,
  security,
  summary: "Turn AI drafts on or off for this conversation",
  request: { params: ConversationParams, body: jsonBody(UpdateAssistant) },
  responses: { 200: jsonResponse(Handoff, "The handoff state"), ...problemResponses(401, 404, 422) },
});

export const request = createRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/handoff/request",
  tags,
  security,
  summary: "Hand the conversation to a person (`handoff_pending`), as the escalation rules do",
  description: "Routing is asked for an agent. 201 when this request moved it; 200 when a person already has it or is being found.",
  request: { params: ConversationParams },
  responses: { 200: jsonResponse(Handoff, "Already handed off"), 201: jsonResponse(Handoff, "Handed off"), ...problemResponses(401, 404, 409) },
});

export const accept = createRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/handoff/accept",
  tags,
  security,
  summary: "An agent takes the conversation (`agent_active`): the bot stops sending on its own",
  description: "The agent joins as an `agent` participant if not in it. Resolving the conversation hands it back to the bot. A 409 when another agent has it, or the identity is a non-agent participant.",
  request: { params: ConversationParams, body: jsonBody(AcceptHandoff) },
  responses: { 200: jsonResponse(Handoff, "Accepted"), ...problemResponses(401, 404, 409, 422) },
});
