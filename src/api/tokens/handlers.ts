import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import * as tokens from "../../lib/tokens";
import { tokenSecret } from "../caller";
import type * as routes from "./routes";

export const mintToken: RouteHandler<typeof routes.mint, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const listed = [...(input.conversation_id ? [input.conversation_id] : []), ...(input.conversation_ids ?? [])];
  const minted = await tokens.mintToken(
    await tokenSecret(c.env),
    { account_id: c.var.accountId, identity: input.identity, conversations: listed.length > 0 ? listed : null },
    input.ttl_seconds,
  );
  return c.json({ ...minted, identity: input.identity }, 201);
};
