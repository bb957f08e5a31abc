import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { DO_HEADERS } from "../../lib/do-headers";
import { isId } from "../../lib/ids";
import { fail } from "../../lib/problem";
import { requestAgent } from "../../routing";
import { routingRpc, routingStub } from "../../routing/stubs";
import { callerFor } from "../caller";
import { respond } from "../http";
import { socketCredential } from "../socket-auth";
import * as routes from "./routes";

const nextCursor = <K>(next: K | null) => (next === null ? null : encodeCursor(next));

export const createAgent: RouteHandler<typeof routes.create, AppEnv> = async (c) =>
  respond(c, await routingRpc(c.env, c.var.accountId).createAgent(c.var.accountId, c.req.valid("json")));

export const listAgents: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const after = cursor === undefined ? "" : decodeCursor(cursor, routes.AgentCursor);
  return respond(c, await routingRpc(c.env, c.var.accountId).listAgents(c.var.accountId, after, limit), (p) => ({ data: p.data, next_cursor: nextCursor(p.next) }));
};

export const getAgent: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  respond(c, await routingRpc(c.env, c.var.accountId).getAgent(c.var.accountId, c.req.valid("param").identity));

export const updateAgent: RouteHandler<typeof routes.update, AppEnv> = async (c) =>
  respond(c, await routingRpc(c.env, c.var.accountId).updateAgent(c.var.accountId, c.req.valid("param").identity, c.req.valid("json")));

export const deleteAgent: RouteHandler<typeof routes.remove, AppEnv> = async (c) =>
  respond(c, await routingRpc(c.env, c.var.accountId).deleteAgent(c.var.accountId, c.req.valid("param").identity));

export const routeConversation: RouteHandler<typeof routes.route, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  if (!isId("conversation", conversation_id)) throw fail.notFound("conversation");
  const body = c.req.valid("json");
  return respond(c, await requestAgent(c.env, { accountId: c.var.accountId, conversationId: conversation_id, ...body }));
};

export const getRouting: RouteHandler<typeof routes.routing, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  if (!isId("conversation", conversation_id)) throw fail.notFound("conversation");
  return respond(c, await routingRpc(c.env, c.var.accountId).routing(c.var.accountId, conversation_id));
};

export const listQueue: RouteHandler<typeof routes.queue, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const offset = cursor === undefined ? 0 : decodeCursor(cursor, routes.QueueCursor);
  return respond(c, await routingRpc(c.env, c.var.accountId).listQueue(c.var.accountId, offset, limit), (p) => ({ data: p.data, next_cursor: nextCursor(p.next) }));
};

/**
 * The agent's presence socket, handed untouched to the account's RoutingDO (hibernated there). An
 * API key may open it for any agent of the account; a participant token only for its own identity
 * (any other is a 404, as for an agent that does not exist).
 */
export const openAgentStream: RouteHandler<typeof routes.stream, AppEnv> = async (c) => {
  const { identity } = c.req.valid("param");
  const { value, protocol } = socketCredential(c);
  const caller = await callerFor(c.env, value);
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw fail.badRequest("this route takes a WebSocket upgrade (Upgrade: websocket)", "header.upgrade");
  if (caller.kind === "participant" && caller.claims.identity !== identity) throw fail.notFound("agent");
  const forwarded = new Request(c.req.raw);
  forwarded.headers.delete("authorization");
  forwarded.headers.set(DO_HEADERS.account, caller.accountId);
  forwarded.headers.set(DO_HEADERS.identity, identity);
  if (protocol) forwarded.headers.set(DO_HEADERS.protocol, protocol);
  else forwarded.headers.delete(DO_HEADERS.protocol);
  return routingStub(c.env, caller.accountId).fetch(forwarded) as unknown as Response;
};
