import type { RouteHandler } from "@hono/zod-openapi";
import { readSettings, writeSettings } from "../../db/queries/settings";
import type { AppEnv } from "../../env";
import type * as routes from "./routes";

export const getSettings: RouteHandler<typeof routes.get, AppEnv> = async (c) => c.json(await readSettings(c.env.DB, c.var.accountId), 200);

export const updateSettings: RouteHandler<typeof routes.update, AppEnv> = async (c) => {
  const patch = c.req.valid("json");
  const current = await readSettings(c.env.DB, c.var.accountId);
  const timers = { ...current.timers };
  if (patch.timers?.inactive_after !== undefined) timers.inactive_after = patch.timers.inactive_after;
  if (patch.timers?.closed_after !== undefined) timers.closed_after = patch.timers.closed_after;
  await writeSettings(c.env.DB, c.var.accountId, { timers }, Date.now());
  return c.json(await readSettings(c.env.DB, c.var.accountId), 200);
};
