import type { RouteHandler } from "@hono/zod-openapi";
import * as keys from "../../accounts/keys";
import { accountExists, keysOf } from "../../db/queries/keys";
import type { AppEnv } from "../../env";
import { fail } from "../../lib/problem";
import type * as routes from "./routes";

async function requireAccount(db: D1Database, id: string): Promise<void> {
  if (!(await accountExists(db, id))) throw fail.notFound("account");
}

export const createAccount: RouteHandler<typeof routes.createAccount, AppEnv> = async (c) => {
  const { name } = c.req.valid("json");
  return c.json(await keys.createAccount(c.env.DB, name), 201);
};

export const issueKey: RouteHandler<typeof routes.createKey, AppEnv> = async (c) => {
  const { account_id } = c.req.valid("param");
  await requireAccount(c.env.DB, account_id);
  return c.json(await keys.issueKey(c.env.DB, account_id, c.req.valid("json").name ?? null), 201);
};

export const listKeys: RouteHandler<typeof routes.listKeys, AppEnv> = async (c) => {
  const { account_id } = c.req.valid("param");
  await requireAccount(c.env.DB, account_id);
  return c.json({ data: await keysOf(c.env.DB, account_id) }, 200);
};

export const revokeKey: RouteHandler<typeof routes.revokeKey, AppEnv> = async (c) => {
  const { account_id, key_id } = c.req.valid("param");
  if (!(await keys.revokeKey(c.env.DB, account_id, key_id))) throw fail.notFound("key");
  return c.body(null, 204);
};
