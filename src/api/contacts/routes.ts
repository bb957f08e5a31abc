import { createRoute } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { Contact, CreateContact, ListContactsQuery, MergeContact, UpdateContact } from "../../contract/contact";
import { ContactParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Contacts"];
const security = [{ ApiKey: [] }];
const MERGED = "A merged contact's id is a 404 whose detail names the contact it was merged into.";

export const create = createRoute({
  method: "post",
  path: "/v1/contacts",
  tags,
  security,
  summary: "Create a contact with its addresses",
  description: "Each address is normalised by its channel's rules. An address already on another contact of the account is a 409 naming it, and nothing is created.",
  request: { body: jsonBody(CreateContact) },
  responses: { 201: jsonResponse(Contact, "Created"), ...problemResponses(401, 409, 413, 422) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/contacts",
  tags,
  security,
  summary: "List contacts, newest first",
  request: { query: ListContactsQuery },
  responses: { 200: jsonResponse(page(Contact), "A page of contacts"), ...problemResponses(400, 401) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/contacts/{contact_id}",
  tags,
  security,
  summary: "Get a contact",
  description: MERGED,
  request: { params: ContactParams },
  responses: { 200: jsonResponse(Contact, "The contact"), ...problemResponses(401, 404) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/contacts/{contact_id}",
  tags,
  security,
  summary: "Rename a contact, replace its attributes, add or remove addresses",
  description: `Removals apply before additions, all at once; an added address on another contact is a 409 and nothing changes. A contact keeps at least one address. ${MERGED}`,
  request: { params: ContactParams, body: jsonBody(UpdateContact) },
  responses: { 200: jsonResponse(Contact, "Updated"), ...problemResponses(401, 404, 409, 413, 422) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/contacts/{contact_id}",
  tags,
  security,
  summary: "Delete a contact, freeing its addresses",
  description: "The contacts merged into it are deleted with it.",
  request: { params: ContactParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 404) },
});

export const merge = createRoute({
  method: "post",
  path: "/v1/contacts/{contact_id}/merge",
  tags,
  security,
  summary: "Merge another contact into this one",
  description: `Every address of \`from\` moves to this contact, which takes \`from\`'s name if it has none (its own attributes stay), all at once. ${MERGED}`,
  request: { params: ContactParams, body: jsonBody(MergeContact) },
  responses: { 200: jsonResponse(Contact, "The contact, with the addresses it gained"), ...problemResponses(401, 404, 422) },
});
