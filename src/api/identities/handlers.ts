import type { RouteHandler } from "@hono/zod-openapi";
import { inboxOf } from "../../db/queries/inbox";
import { fail } from "../../lib/problem";
import type { CallerEnv } from "../caller";
import type * as routes from "./routes";

export const listInbox: RouteHandler<typeof routes.inbox, CallerEnv> = async (c) => {
  const { identity } = c.req.valid("param");
  const caller = c.var.caller;
  // A token sees only its own inbox; another identity's is as unknown as a foreign id.
  if (caller.kind === "participant" && caller.claims.identity !== identity) throw fail.notFound("identity");
  // A token limited to some conversations sees only those in the inbox too.
  const conversations = caller.kind === "participant" ? caller.claims.conversations : null;
  return c.json(await inboxOf(c.env.DB, { accountId: caller.accountId, identity, conversations }, c.req.valid("query")), 200);
};
