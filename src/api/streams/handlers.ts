import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { DO_HEADERS } from "../../lib/do-headers";
import { fail } from "../../lib/problem";
import { callerFor, type Caller } from "../caller";
import { conversation } from "../http";
import { socketCredential } from "../socket-auth";
import type * as routes from "./routes";

/**
 * WebSocket upgrades. These routes are mounted before CORS and the other header-changing
 * middleware, and hand the untouched upgrade request to a Durable Object (`stub.fetch`), which
 * accepts it with the Hibernation API; Hono's `upgradeWebSocket` would make a standard socket that
 * keeps the object awake.
 */
function upgradeRequest(c: Context<AppEnv>, headers: Record<string, string | null>): Request {
  const forwarded = new Request(c.req.raw);
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) forwarded.headers.delete(name);
    else forwarded.headers.set(name, value);
  }
  return forwarded;
}

function requireUpgrade(c: Context<AppEnv>): void {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw fail.badRequest("this route takes a WebSocket upgrade (Upgrade: websocket)", "header.upgrade");
  }
}

export const openConversationStream: RouteHandler<typeof routes.conversationStream, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const query = c.req.valid("query");
  const { value, protocol } = socketCredential(c);
  const caller: Caller = await callerFor(c.env, value);
  requireUpgrade(c);
  let identity: string | null = query.identity ?? null;
  if (caller.kind === "participant") {
    const allowed = caller.claims.conversations;
    if (allowed && !allowed.includes(conversation_id)) throw fail.notFound("conversation");
    identity = caller.claims.identity;
  }
  const stub = conversation(c.env, conversation_id) as unknown as DurableObjectStub;
  return stub.fetch(
    upgradeRequest(c, {
      authorization: null,
      [DO_HEADERS.account]: caller.accountId,
      [DO_HEADERS.identity]: identity,
      [DO_HEADERS.lastIndex]: query.last_index === undefined ? null : String(query.last_index),
      [DO_HEADERS.protocol]: protocol,
    }),
  ) as unknown as Response;
};

/** The key comes as the Authorization header or, from a browser (the agent console), as a subprotocol beside parley.v1. */
export const openAccountStream: RouteHandler<typeof routes.accountStream, AppEnv> = async (c) => {
  const { value, protocol } = socketCredential(c);
  const caller = await callerFor(c.env, value);
  if (caller.kind !== "server") throw fail.unauthorized("the account stream needs an API key");
  requireUpgrade(c);
  const hub = c.env.ACCOUNT_HUB.get(c.env.ACCOUNT_HUB.idFromName(caller.accountId));
  return hub.fetch(upgradeRequest(c, { authorization: null, [DO_HEADERS.account]: caller.accountId, [DO_HEADERS.protocol]: protocol })) as unknown as Response;
};
