import { createRoute, z } from "@hono/zod-openapi";
import { Timestamp } from "../../contract/common";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Accounts (admin)"];
const security = [{ AdminToken: [] }];

export const IssuedKey = z
  .object({
    id: z.string(),
    prefix: z.string(),
    key: z.string().openapi({ description: "The secret itself. Shown once: only a hash is stored." }),
    name: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi("IssuedKey");

export const KeySummary = z
  .object({ id: z.string(), prefix: z.string(), name: z.string().nullable(), created_at: Timestamp, revoked_at: Timestamp.nullable() })
  .openapi("ApiKey");

const Account = z.object({ id: z.string(), name: z.string(), created_at: Timestamp }).openapi("Account");
const AccountParams = z.object({ account_id: z.string() });
const KeyParams = AccountParams.extend({ key_id: z.string() });

export const createAccount = createRoute({
  method: "post",
  path: "/v1/accounts",
  tags,
  security,
  summary: "Create an account with its first API key",
  request: { body: jsonBody(z.object({ name: z.string().min(1).max(256) })) },
  responses: {
    201: jsonResponse(z.object({ account: Account, api_key: IssuedKey }), "The account and its first key"),
    ...problemResponses(401, 422),
  },
});

export const createKey = createRoute({
  method: "post",
  path: "/v1/accounts/{account_id}/keys",
  tags,
  security,
  summary: "Issue another API key",
  request: { params: AccountParams, body: jsonBody(z.object({ name: z.string().min(1).max(256).optional() })) },
  responses: { 201: jsonResponse(IssuedKey, "The new key"), ...problemResponses(401, 404, 422) },
});

export const listKeys = createRoute({
  method: "get",
  path: "/v1/accounts/{account_id}/keys",
  tags,
  security,
  summary: "List an account's keys (never their secrets)",
  request: { params: AccountParams },
  responses: { 200: jsonResponse(z.object({ data: z.array(KeySummary) }), "Keys"), ...problemResponses(401, 404) },
});

export const revokeKey = createRoute({
  method: "delete",
  path: "/v1/accounts/{account_id}/keys/{key_id}",
  tags,
  security,
  summary: "Revoke a key",
  request: { params: KeyParams },
  responses: { 204: { description: "Revoked" }, ...problemResponses(401, 404) },
});
