import { createRoute, z } from "@hono/zod-openapi";
import { Agent, CreateAgent, RouteConversation, Routing, UpdateAgent } from "../../contract/agent";
import { page, PageQuery } from "../../contract/common";
import { ConversationParams, IdentityParams } from "../../contract/params";
import { API_KEY_OR_TOKEN, jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Routing"];
const security = [{ ApiKey: [] }];

export const create = createRoute({
  method: "post",
  path: "/v1/agents",
  tags,
  security,
  summary: "Create an agent that conversations can be routed to",
  description: "The identity is the agent's chat identity: it is added to conversations under it, and its participant tokens name it. An identity the account already has is a 409.",
  request: { body: jsonBody(CreateAgent) },
  responses: { 201: jsonResponse(Agent, "Created"), ...problemResponses(401, 409, 413, 422) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/agents",
  tags,
  security,
  summary: "List agents, by identity",
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(Agent), "A page of agents"), ...problemResponses(400, 401) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/agents/{identity}",
  tags,
  security,
  summary: "Get an agent, with its load and whether it is online",
  request: { params: IdentityParams },
  responses: { 200: jsonResponse(Agent, "The agent"), ...problemResponses(400, 401, 404) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/agents/{identity}",
  tags,
  security,
  summary: "Change an agent's skills, languages, capacity or status",
  description: "A lower capacity takes nothing away: the agent keeps its conversations and takes new ones once under it. A higher one, or `available` again, serves the queue at once.",
  request: { params: IdentityParams, body: jsonBody(UpdateAgent) },
  responses: { 200: jsonResponse(Agent, "Updated"), ...problemResponses(400, 401, 404, 413, 422) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/agents/{identity}",
  tags,
  security,
  summary: "Delete an agent",
  description: "Its seats are given up (its conversations keep it as a participant, and are no longer routing's), and its sockets are closed.",
  request: { params: IdentityParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 404) },
});

export const stream = createRoute({
  method: "get",
  path: "/v1/agents/{identity}/stream",
  tags,
  security: API_KEY_OR_TOKEN,
  summary: "Open the agent's WebSocket: its presence for routing",
  description:
    "While this socket is open and pinged (the text `ping` every 30 s), the agent is online and takes conversations (if `available`). Frames: `ready`, then `conversation.assigned` with the routing for each conversation given to it. A participant token must name this identity; a browser offers it as `?token=` or a subprotocol beside `parley.v1`.",
  request: { params: IdentityParams },
  responses: { 101: { description: "Switching protocols" }, ...problemResponses(400, 401, 404, 426) },
});

export const route = createRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/route",
  tags,
  security,
  summary: "Route the conversation to an agent",
  description:
    "Assigned at once to the best online, available agent with a free seat who has the topic as a skill and speaks the language (least loaded first); that agent is added as an `agent` participant. Else the conversation waits in the queue (201 either way, 200 when it was already being routed: an assigned one keeps its agent, a queued one its place in time and takes the new need). The seat frees when the conversation is resolved, closed or deleted, or the agent leaves it.",
  request: { params: ConversationParams, body: jsonBody(RouteConversation) },
  responses: { 200: jsonResponse(Routing, "Already being routed"), 201: jsonResponse(Routing, "Routed: assigned or queued"), ...problemResponses(401, 404, 409, 413, 422) },
});

export const routing = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/route",
  tags,
  security,
  summary: "Where the conversation stands in routing",
  description: "Its agent, or its place in the queue and how long it has waited. 404 when it is not being routed.",
  request: { params: ConversationParams },
  responses: { 200: jsonResponse(Routing, "The routing"), ...problemResponses(401, 404) },
});

export const queue = createRoute({
  method: "get",
  path: "/v1/routing/queue",
  tags,
  security,
  summary: "Conversations waiting for an agent, next first",
  description: "Ordered by priority, then by how long each has waited (`waiting_ms`).",
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(Routing), "A page of the queue"), ...problemResponses(400, 401) },
});

/** The cursor of the queue: its offset (the queue moves as it is served, so a page may repeat or skip an entry). */
export const QueueCursor = z.number().int().min(0);
export const AgentCursor = z.string().min(1);
