import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { conversation, respond } from "../http";
import type * as routes from "./routes";

export const getHandoff: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  respond(c, await conversation(c.env, c.req.valid("param").conversation_id).handoff(c.var.accountId));

export const updateHandoff: RouteHandler<typeof routes.update, AppEnv> = async (c) =>
  respond(c, await conversation(c.env, c.req.valid("param").conversation_id).setAi(c.var.accountId, c.req.valid("json").ai_enabled));

export const requestHandoff: RouteHandler<typeof routes.request, AppEnv> = async (c) =>
  respond(c, await conversation(c.env, c.req.valid("param").conversation_id).requestHandoff(c.var.accountId));

export const acceptHandoff: RouteHandler<typeof routes.accept, AppEnv> = async (c) =>
  respond(c, await conversation(c.env, c.req.valid("param").conversation_id).acceptHandoff(c.var.accountId, c.req.valid("json").agent));
