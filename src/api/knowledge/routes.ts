import { createRoute } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { CreateKnowledgeDocument, KnowledgeDocument, KnowledgeDocumentWithPassages, KnowledgeListQuery, KnowledgeParams, KnowledgePassage, PassageParams, UpdateKnowledgeDocument } from "../../contract/knowledge";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Knowledge"];
const security = [{ ApiKey: [] }];

export const create = createRoute({
  method: "post",
  path: "/v1/knowledge",
  tags,
  security,
  summary: "Add a document to the knowledge base",
  description: "Plain text, Markdown or HTML, split into passages (sections, then paragraphs) and indexed for AI drafts at once.",
  request: { body: jsonBody(CreateKnowledgeDocument) },
  responses: { 201: jsonResponse(KnowledgeDocument, "Indexed"), ...problemResponses(401, 413, 422) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/knowledge",
  tags,
  security,
  summary: "The knowledge base's documents, oldest first",
  request: { query: KnowledgeListQuery },
  responses: { 200: jsonResponse(page(KnowledgeDocument), "A page of documents"), ...problemResponses(400, 401) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/knowledge/{document_id}",
  tags,
  security,
  summary: "A document with the passages of its current version",
  request: { params: KnowledgeParams },
  responses: { 200: jsonResponse(KnowledgeDocumentWithPassages, "The document"), ...problemResponses(401, 404) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/knowledge/{document_id}",
  tags,
  security,
  summary: "Change a document",
  description: "A new title, format or content is a new version: new passages are indexed and the old ones leave the index; passages a draft cited are kept (GET /v1/knowledge/passages/{id}). A topic alone changes no passage. A 409 if another change landed meanwhile.",
  request: { params: KnowledgeParams, body: jsonBody(UpdateKnowledgeDocument) },
  responses: { 200: jsonResponse(KnowledgeDocument, "The document"), ...problemResponses(401, 404, 409, 413, 422) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/knowledge/{document_id}",
  tags,
  security,
  summary: "Delete a document",
  description: "Its passages leave the index at once; those a draft cited stay readable by id.",
  request: { params: KnowledgeParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 404) },
});

export const passage = createRoute({
  method: "get",
  path: "/v1/knowledge/passages/{passage_id}",
  tags,
  security,
  summary: "One passage, current or retired",
  description: "What a draft cited, as it was, with the document version it came from.",
  request: { params: PassageParams },
  responses: { 200: jsonResponse(KnowledgePassage, "The passage"), ...problemResponses(401, 404) },
});
