import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createAccount, forgetCachedKeys, issueKey } from "../../accounts/keys";
import { accounts, apiKeys } from "../../db/schema";
import { fail } from "../../lib/problem";
import { requireAdmin } from "../auth";
import { createRouter } from "../router";
import * as routes from "./routes";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function requireAccount(db: D1Database, id: string): Promise<void> {
  const row = await drizzle(db).select({ id: accounts.id }).from(accounts).where(eq(accounts.id, id)).get();
  if (!row) throw fail.notFound("account");
}

export const accountRoutes = createRouter();
accountRoutes.use("/v1/accounts", requireAdmin);
accountRoutes.use("/v1/accounts/*", requireAdmin);

accountRoutes.openapi(routes.createAccount, async (c) => {
  const { name } = c.req.valid("json");
  return c.json(await createAccount(c.env.DB, name), 201);
});

accountRoutes.openapi(routes.createKey, async (c) => {
  const { account_id } = c.req.valid("param");
  await requireAccount(c.env.DB, account_id);
  return c.json(await issueKey(c.env.DB, account_id, c.req.valid("json").name ?? null), 201);
});

accountRoutes.openapi(routes.listKeys, async (c) => {
  const { account_id } = c.req.valid("param");
  await requireAccount(c.env.DB, account_id);
  const rows = await drizzle(c.env.DB).select().from(apiKeys).where(eq(apiKeys.accountId, account_id)).orderBy(apiKeys.createdAt);
  const data = rows.map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, created_at: iso(k.createdAt)!, revoked_at: iso(k.revokedAt) }));
  return c.json({ data }, 200);
});

accountRoutes.openapi(routes.revokeKey, async (c) => {
  const { account_id, key_id } = c.req.valid("param");
  const revoked = await drizzle(c.env.DB)
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, key_id), eq(apiKeys.accountId, account_id)))
    .returning({ id: apiKeys.id });
  if (revoked.length === 0) throw fail.notFound("key");
  forgetCachedKeys();
  return c.body(null, 204);
});
