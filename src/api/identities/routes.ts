import { createRoute } from "@hono/zod-openapi";
import { PageQuery, page } from "../../contract/common";
import { InboxEntry } from "../../contract/conversation";
import { IdentityParams } from "../../contract/params";
import { API_KEY_OR_TOKEN, jsonResponse, problemResponses } from "../http";

export const inbox = createRoute({
  method: "get",
  path: "/v1/identities/{identity}/conversations",
  tags: ["Identities"],
  security: API_KEY_OR_TOKEN,
  summary: "A chat identity's inbox: its conversations, latest activity first, with unread counts",
  description: "Served from D1, so it may lag a conversation's own view by a moment.",
  request: { params: IdentityParams, query: PageQuery },
  responses: { 200: jsonResponse(page(InboxEntry), "A page of the inbox"), ...problemResponses(400, 401, 404) },
});
