import type { RouteHandler } from "@hono/zod-openapi";
import * as connections from "../../channels/connections";
import { updateFor, type Provider } from "../../contract/channel";
import { listChannelRows } from "../../db/queries/channels";
import type { AppEnv } from "../../env";
import { ProblemError } from "../../lib/problem";
import { validationProblem } from "../http";
import { present } from "./resource";
import type * as routes from "./routes";

export const createChannel: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { row, credentials } = await connections.connectChannel(c.env, c.var.accountId, c.req.valid("json"));
  return c.json(await present(c, row, credentials), 201);
};

export const listChannels: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { rows, next_cursor } = await listChannelRows(c.env.DB, c.var.accountId, c.req.valid("query"));
  return c.json({ data: await Promise.all(rows.map((row) => present(c, row))), next_cursor }, 200);
};

export const getChannel: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const row = await connections.accountChannelRow(c.env, c.var.accountId, c.req.valid("param").channel_id);
  return c.json(await present(c, row), 200);
};

export const updateChannel: RouteHandler<typeof routes.update, AppEnv> = async (c) => {
  const row = await connections.accountChannelRow(c.env, c.var.accountId, c.req.valid("param").channel_id);
  const body = c.req.valid("json");
  // Which credential fields are right depends on the channel's provider, known only now.
  const checked = updateFor(row.provider as Provider).safeParse(body);
  if (!checked.success) throw new ProblemError(validationProblem("json", checked.error));
  const credentials = checked.data.credentials as connections.Credentials | undefined;
  const updated = await connections.updateChannel(c.env, row, { friendly_name: body.friendly_name, base_url: body.base_url, credentials });
  return c.json(await present(c, updated.row, updated.credentials), 200);
};

export const deleteChannel: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  await connections.deleteChannel(c.env, c.var.accountId, c.req.valid("param").channel_id);
  return c.body(null, 204);
};
