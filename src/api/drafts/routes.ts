import { createRoute } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { ApproveDraft, Draft, DraftListQuery, DraftParams, RejectDraft } from "../../contract/draft";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Drafts"];
const security = [{ ApiKey: [] }];

export const list = createRoute({
  method: "get",
  path: "/v1/drafts",
  tags,
  security,
  summary: "The account's AI drafts, oldest first (status=pending: the review queue)",
  description: "Served from D1, which the conversations keep up to date moments after each change.",
  request: { query: DraftListQuery },
  responses: { 200: jsonResponse(page(Draft), "A page of drafts"), ...problemResponses(400, 401) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/drafts/{draft_id}",
  tags,
  security,
  summary: "One draft, with its cited passages and its history",
  request: { params: DraftParams },
  responses: { 200: jsonResponse(Draft, "The draft"), ...problemResponses(401, 404) },
});

export const approve = createRoute({
  method: "post",
  path: "/v1/drafts/{draft_id}/approve",
  tags,
  security,
  summary: "Approve a pending draft, as it is or edited: it is sent",
  description: "Sent through normal delivery, by the approving agent's participant when they are in the conversation, else by the bot. The history records who approved, when, and the body before and after an edit. A draft that is not pending is a 409.",
  request: { params: DraftParams, body: jsonBody(ApproveDraft) },
  responses: { 200: jsonResponse(Draft, "Approved and sent"), ...problemResponses(401, 404, 409, 413, 422) },
});

export const reject = createRoute({
  method: "post",
  path: "/v1/drafts/{draft_id}/reject",
  tags,
  security,
  summary: "Reject a pending draft: nothing is sent",
  request: { params: DraftParams, body: jsonBody(RejectDraft) },
  responses: { 200: jsonResponse(Draft, "Rejected"), ...problemResponses(401, 404, 409, 422) },
});
