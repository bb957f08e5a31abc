import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { secretsEqual } from "../lib/crypto";
import { fail } from "../lib/problem";
import { bearer, callerFor } from "./caller";

/** Server calls: `Authorization: Bearer sk_…`. Sets the account every later lookup is scoped to. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearer(c);
  if (!key?.startsWith("sk_")) throw fail.unauthorized("send an API key as `Authorization: Bearer sk_…`");
  const caller = await callerFor(c.env, key);
  c.set("accountId", caller.accountId);
  await next();
});

/** Account and key administration: `Authorization: Bearer <ADMIN_TOKEN>`. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c);
  const expected = c.env.ADMIN_TOKEN;
  if (!expected || !token || !secretsEqual(token, expected)) throw fail.unauthorized("this route needs the admin token");
  await next();
});
