import { z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { decodeCursor } from "../../lib/cursor";
import { conversation, cursorPage, idempotency, respond } from "../http";
import { withContacts } from "./contacts";
import type * as routes from "./routes";

const SeqCursor = z.number().int().min(0);

export const addParticipant: RouteHandler<typeof routes.add, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const input = c.req.valid("json");
  const stub = conversation(c.env, conversation_id);
  // The fingerprint is of the request as sent, so a retry still matches once the contact has changed.
  const idem = await idempotency(c, input);
  const resolved = await withContacts(c.env.DB, c.var.accountId, [input], () => "body");
  const outcome = await stub.addParticipant(c.var.accountId, resolved.participants[0]!, idem);
  if (!outcome.ok) await resolved.undo();
  return respond(c, outcome);
};

export const listParticipants: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, SeqCursor) : 0;
  const outcome = await conversation(c.env, conversation_id).listParticipants(c.var.accountId, after, limit);
  return respond(c, outcome, cursorPage);
};

export const getParticipant: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { conversation_id, participant_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).getParticipant(c.var.accountId, participant_id));
};

export const removeParticipant: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { conversation_id, participant_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).removeParticipant(c.var.accountId, participant_id));
};

export const markRead: RouteHandler<typeof routes.markRead, AppEnv> = async (c) => {
  const { conversation_id, participant_id } = c.req.valid("param");
  const { last_read_index } = c.req.valid("json");
  return respond(c, await conversation(c.env, conversation_id).markRead(c.var.accountId, participant_id, last_read_index));
};
