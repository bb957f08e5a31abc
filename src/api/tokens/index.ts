import { mintToken } from "../../lib/tokens";
import { tokenSecret } from "../caller";
import { createRouter } from "../router";
import * as routes from "./routes";

export const tokenRoutes = createRouter();

tokenRoutes.openapi(routes.mint, async (c) => {
  const input = c.req.valid("json");
  const listed = [...(input.conversation_id ? [input.conversation_id] : []), ...(input.conversation_ids ?? [])];
  const minted = await mintToken(
    await tokenSecret(c.env),
    { account_id: c.var.accountId, identity: input.identity, conversations: listed.length > 0 ? listed : null },
    input.ttl_seconds,
  );
  return c.json({ ...minted, identity: input.identity }, 201);
});
