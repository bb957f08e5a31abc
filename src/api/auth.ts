import { createMiddleware } from "hono/factory";
import { accountForKey } from "../accounts/keys";
import type { AppEnv } from "../env";
import { secretsEqual } from "../lib/crypto";
import { fail } from "../lib/problem";

import { bearer } from "./caller";

/** Server calls: `Authorization: Bearer sk_…`. Sets the account every later lookup is scoped to. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearer(c);
  if (!key) throw fail.unauthorized("send an API key as `Authorization: Bearer sk_…`");
  const accountId = await accountForKey(c.env.DB, key);
  if (!accountId) throw fail.unauthorized("the API key is not valid or was revoked");
  c.set("accountId", accountId);
  await next();
});

/** Account and key administration: `Authorization: Bearer <ADMIN_TOKEN>`. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c);
  const expected = c.env.ADMIN_TOKEN;
  if (!expected || !token || !secretsEqual(token, expected)) throw fail.unauthorized("this route needs the admin token");
  await next();
});
