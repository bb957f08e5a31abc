import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import * as listing from "../../db/queries/conversations";
import { conversation, idempotency, respond } from "../http";
import { resolveMedia } from "../../media/messages";
import { liveContact, withContacts } from "../participants/contacts";
import { createWithClaims } from "./create";
import { applyDeletion } from "../../retention/d1";
import { readPolicy } from "../../retention/policy";
import type * as routes from "./routes";

export const createConversation: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  // The fingerprint is of the request as sent, so a retry still matches once a contact has changed.
  const idem = await idempotency(c, input);
  // The first message's media_ids first: resolving them writes nothing, so a refusal leaves no contact to undo.
  const message = input.message && { ...input.message, media: await resolveMedia(c.env, c.var.accountId, input.message.media, "body.message.media", c.req.url) };
  if (input.participants === undefined) return respond(c, await createWithClaims(c.env, c.var.accountId, { ...input, participants: undefined, message }, idem));
  const resolved = await withContacts(c.env.DB, c.var.accountId, input.participants, (i) => `body.participants[${i}]`);
  const outcome = await createWithClaims(c.env, c.var.accountId, { ...input, participants: resolved.participants, message }, idem);
  if (!outcome.ok) await resolved.undo();
  return respond(c, outcome);
};

export const listConversations: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  if (q.contact_id !== undefined) await liveContact(c.env.DB, c.var.accountId, q.contact_id, "query.contact_id");
  return c.json(await listing.listConversations(c.env.DB, c.var.accountId, q), 200);
};

export const getConversation: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  return respond(c, await conversation(c.env, conversation_id).get(c.var.accountId));
};

export const updateConversation: RouteHandler<typeof routes.update, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const patch = c.req.valid("json");
  return respond(c, await conversation(c.env, conversation_id).update(c.var.accountId, patch, await idempotency(c, patch)));
};

export const deleteConversation: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const accountId = c.var.accountId;
  const { legalHold } = await readPolicy(c.env.DB, accountId);
  const outcome = await conversation(c.env, conversation_id).destroy(accountId, { accountHold: legalHold });
  // Gone from listings and search when the 204 arrives; should this write fail, the outbox's follows.
  if (outcome.ok) await applyDeletion(c.env, accountId, conversation_id).catch((error: unknown) => console.error(`direct deletion of ${conversation_id} in D1 failed; its projection follows:`, error));
  return respond(c, outcome);
};
