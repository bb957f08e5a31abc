import { z } from "@hono/zod-openapi";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { conversation, idempotency, respond } from "../http";
import { createRouter } from "../router";
import * as routes from "./routes";

const SeqCursor = z.number().int().min(0);

export const participantRoutes = createRouter();

participantRoutes.openapi(routes.add, async (c) => {
  const { conversation_id } = c.req.valid("param");
  const input = c.req.valid("json");
  return respond(c, await conversation(c.env, conversation_id).addParticipant(c.var.accountId, input, await idempotency(c, input)));
});

participantRoutes.openapi(routes.list, async (c) => {
  const { conversation_id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, SeqCursor) : 0;
  const outcome = await conversation(c.env, conversation_id).listParticipants(c.var.accountId, after, limit);
  return respond(c, outcome, (p) => ({ data: p.data, next_cursor: p.next === null ? null : encodeCursor(p.next) }));
});

participantRoutes.openapi(routes.get, async (c) => {
  const { conversation_id, participant_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).getParticipant(c.var.accountId, participant_id));
});

participantRoutes.openapi(routes.remove, async (c) => {
  const { conversation_id, participant_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).removeParticipant(c.var.accountId, participant_id));
});

participantRoutes.openapi(routes.markRead, async (c) => {
  const { conversation_id, participant_id } = c.req.valid("param");
  const { last_read_index } = c.req.valid("json");
  return respond(c, await conversation(c.env, conversation_id).markRead(c.var.accountId, participant_id, last_read_index));
});
