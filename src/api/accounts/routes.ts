import { createRoute, z } from "@hono/zod-openapi";
import { CreateAccount, CreateKey, CreatedAccount, IssuedKey, KeySummary } from "../../contract/account";
import { AccountParams, KeyParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Accounts (admin)"];
const security = [{ AdminToken: [] }];

export const createAccount = createRoute({
  method: "post",
  path: "/v1/accounts",
  tags,
  security,
  summary: "Create an account with its first API key",
  request: { body: jsonBody(CreateAccount) },
  responses: {
    201: jsonResponse(CreatedAccount, "The account and its first key"),
    ...problemResponses(401, 422),
  },
});

export const createKey = createRoute({
  method: "post",
  path: "/v1/accounts/{account_id}/keys",
  tags,
  security,
  summary: "Issue another API key",
  request: { params: AccountParams, body: jsonBody(CreateKey) },
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
