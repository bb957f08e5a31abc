import { createRoute, z } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { CreateExport, ExportJob, ExportParams, ListExportsQuery } from "../../contract/export";
import { SignedMediaQuery } from "../../contract/media";
import { ConversationParams } from "../../contract/params";
import { LIMITS } from "../../lib/limits";
import { NDJSON } from "../../export/lines";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Exports"];
const security = [{ ApiKey: [] }];

const Ndjson = z.string().openapi({
  description:
    "NDJSON: one JSON object per line. The first is `{\"type\":\"conversation\",\"conversation\":Conversation}` (ExportConversationLine), each next one `{\"type\":\"message\",\"message\":Message}` (ExportMessageLine), in index order.",
});

export const conversationExport = createRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/export",
  tags,
  security,
  summary: "The conversation's whole transcript, as NDJSON",
  description:
    `Streamed from the conversation itself (read-your-writes), ${LIMITS.exportPageMessages} messages at a time as you read, so any length exports in constant memory. ` +
    "The transcript holds the messages the conversation had when the export began (`message_count` in its first line): indexes 0 to message_count − 1 with no gaps, each with its delivery state and attempts; a deleted message is its tombstone. " +
    "A conversation deleted while it streams ends the response early.",
  request: { params: ConversationParams },
  responses: {
    200: { description: "The transcript", content: { [NDJSON]: { schema: Ndjson } } },
    ...problemResponses(401, 404),
  },
});

export const create = createRoute({
  method: "post",
  path: "/v1/exports",
  tags,
  security,
  summary: "Export the account's conversations and messages to a file, in the background",
  description:
    "Filters are the listing's (`GET /v1/conversations`), over D1 (which may lag a conversation by moments); `from`/`to` bound the messages by creation time, and a conversation is included when it matches the filters and was created before `to` and active since `from`. " +
    "The file is NDJSON, each conversation's line followed by its messages', conversations in creation order. Answers 202 at once; `GET /v1/exports/{export_id}` shows progress and, once completed, a signed download link. " +
    "A `contact_id` that is unknown, another account's or merged away is a 404 naming `body.contact_id`.",
  request: { body: jsonBody(CreateExport) },
  responses: { 202: jsonResponse(ExportJob, "Queued"), ...problemResponses(400, 401, 404, 413, 415, 422) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/exports/{export_id}",
  tags,
  security,
  summary: "An export: its status and progress, and its download link once completed",
  request: { params: ExportParams },
  responses: { 200: jsonResponse(ExportJob, "The export"), ...problemResponses(401, 404, 503) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/exports",
  tags,
  security,
  summary: "The account's exports, newest first",
  request: { query: ListExportsQuery },
  responses: { 200: jsonResponse(page(ExportJob), "A page of exports"), ...problemResponses(400, 401) },
});

export const download = createRoute({
  method: "get",
  path: "/exports/{export_id}",
  tags,
  security: [],
  summary: "An export's file, by signed URL (no API key)",
  description: "The URL an export's `download_url` gives. A signature that does not match, or an expired one, is a 403 (`GET /v1/exports/{export_id}` signs a fresh one); an export that is not completed a 404.",
  // The same signed-URL query as media's: both are signed by src/media/signing.ts.
  request: { params: ExportParams, query: SignedMediaQuery },
  responses: {
    200: { description: "The NDJSON file", content: { [NDJSON]: { schema: Ndjson } } },
    ...problemResponses(400, 403, 404, 503),
  },
});
