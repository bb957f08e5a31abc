import type { RouteHandler } from "@hono/zod-openapi";
import * as store from "../../db/queries/search";
import type { AppEnv } from "../../env";
import { liveContact } from "../participants/contacts";
import { parseQuery, planQuery } from "./query";
import type * as routes from "./routes";

export const searchMessages: RouteHandler<typeof routes.messages, AppEnv> = async (c) => {
  const { q, limit, cursor, created_after, created_before, ...filters } = c.req.valid("query");
  // The query is read before anything is looked up, so a query that cannot be read is a 422 whatever else is asked.
  const plan = planQuery(parseQuery(q));
  if (filters.contact_id !== undefined) await liveContact(c.env.DB, c.var.accountId, filters.contact_id, "query.contact_id");
  const page = await store.searchMessages(
    c.env.DB,
    c.var.accountId,
    plan,
    {
      ...filters,
      created_after: created_after === undefined ? undefined : Date.parse(created_after),
      created_before: created_before === undefined ? undefined : Date.parse(created_before),
    },
    { limit, cursor },
  );
  return c.json(page, 200);
};
