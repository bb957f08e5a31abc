import type { RouteHandler } from "@hono/zod-openapi";
import { addressKey, type Contact, type ContactAddress } from "../../contract/contact";
import * as store from "../../db/queries/contacts";
import type { AppEnv } from "../../env";
import { isId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { problem, ProblemError } from "../../lib/problem";
import type * as routes from "./routes";

/** A problem naming the field at fault, if there is one (a 404 for an id given in the path names none). */
function refuse(status: 404 | 422, detail: string, path?: string): ProblemError {
  return new ProblemError(problem(status, detail, path ? [{ path, message: detail }] : undefined));
}

/**
 * A live contact of the account. Unknown, malformed and foreign ids are alike a 404; a merged one is
 * a 404 too (it has no addresses left to be a person by), whose detail names the contact it went into.
 */
async function liveContact(db: D1Database, accountId: string, id: string, path?: string): Promise<Contact> {
  const found = isId("contact", id) ? await store.findContact(db, accountId, id) : undefined;
  if (found === undefined) throw refuse(404, "contact not found", path);
  if ("mergedInto" in found) throw refuse(404, `contact ${id} was merged into ${found.mergedInto}`, path);
  return found;
}

/** The 409 for addresses another contact holds, each named by its place in the body. */
function taken(field: string, addresses: ContactAddress[], indexes: number[]): ProblemError {
  const errors = indexes.map((i) => ({
    path: `body.${field}[${i}].address`,
    message: `${addresses[i]!.address} on ${addresses[i]!.channel} belongs to another contact`,
  }));
  return new ProblemError(problem(409, `${errors[0]!.path}: ${errors[0]!.message}`, errors));
}

export const createContact: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const created = await store.createContact(c.env.DB, c.var.accountId, input);
  if ("taken" in created) throw taken("addresses", input.addresses, created.taken);
  return c.json(created, 201);
};

export const listContacts: RouteHandler<typeof routes.list, AppEnv> = async (c) =>
  c.json(await store.listContacts(c.env.DB, c.var.accountId, c.req.valid("query")), 200);

export const getContact: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  c.json(await liveContact(c.env.DB, c.var.accountId, c.req.valid("param").contact_id), 200);

export const updateContact: RouteHandler<typeof routes.update, AppEnv> = async (c) => {
  const { contact_id } = c.req.valid("param");
  const u = c.req.valid("json");
  const current = await liveContact(c.env.DB, c.var.accountId, contact_id);
  // The counts are checked against what the contact has now; a concurrent change may move them a little.
  const after = new Set(current.addresses.map(addressKey));
  for (const a of u.remove_addresses ?? []) after.delete(addressKey(a));
  for (const a of u.add_addresses ?? []) after.add(addressKey(a));
  if (after.size === 0) throw refuse(422, "a contact keeps at least one address; delete the contact instead", "body.remove_addresses");
  // A merge may leave a contact over the limit; an update only may not grow it further.
  if (after.size > LIMITS.contactAddresses && after.size > current.addresses.length) {
    throw refuse(422, `a contact has at most ${LIMITS.contactAddresses} addresses`, "body.add_addresses");
  }
  const updated = await store.updateContact(c.env.DB, c.var.accountId, contact_id, u);
  if (updated === undefined) throw refuse(404, "contact not found");
  if ("taken" in updated) throw taken("add_addresses", u.add_addresses ?? [], updated.taken);
  return c.json(updated, 200);
};

export const deleteContact: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { contact_id } = c.req.valid("param");
  await liveContact(c.env.DB, c.var.accountId, contact_id);
  if (!(await store.deleteContact(c.env.DB, c.var.accountId, contact_id))) throw refuse(404, "contact not found");
  return c.body(null, 204);
};

export const mergeContact: RouteHandler<typeof routes.merge, AppEnv> = async (c) => {
  const { contact_id } = c.req.valid("param");
  const { from } = c.req.valid("json");
  await liveContact(c.env.DB, c.var.accountId, contact_id);
  if (from === contact_id) throw refuse(422, "a contact cannot be merged into itself", "body.from");
  await liveContact(c.env.DB, c.var.accountId, from, "body.from");
  // Both were live a moment ago; a delete or merge in between makes the merge do nothing.
  if (!(await store.mergeContacts(c.env.DB, c.var.accountId, contact_id, from))) throw refuse(404, "contact not found");
  return c.json(await liveContact(c.env.DB, c.var.accountId, contact_id), 200);
};
