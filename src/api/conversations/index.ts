import { createRouter } from "../router";
import { conversation, idempotency, respond } from "../http";
import { createConversation } from "./create";
import { listConversations } from "./list";
import * as routes from "./routes";

export const conversationRoutes = createRouter();

conversationRoutes.openapi(routes.create, async (c) => {
  const input = c.req.valid("json");
  return respond(c, await createConversation(c.env, c.var.accountId, input, await idempotency(c, input)));
});

conversationRoutes.openapi(routes.list, async (c) => c.json(await listConversations(c.env.DB, c.var.accountId, c.req.valid("query")), 200));

conversationRoutes.openapi(routes.get, async (c) => {
  const { conversation_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).get(c.var.accountId));
});

conversationRoutes.openapi(routes.update, async (c) => {
  const { conversation_id } = c.req.valid("param");
  const patch = c.req.valid("json");
  return respond(c, await conversation(c.env, conversation_id).update(c.var.accountId, patch, await idempotency(c, patch)));
});

conversationRoutes.openapi(routes.remove, async (c) => {
  const { conversation_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).destroy(c.var.accountId));
});
