import { z, type RouteHandler } from "@hono/zod-openapi";
import { createDocument, deleteDocument, getDocument, getPassage, listDocuments, updateDocument } from "../../ai/knowledge/store";
import type { AppEnv } from "../../env";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { isId } from "../../lib/ids";
import { fail } from "../../lib/problem";
import type * as routes from "./routes";

const DocumentCursor = z.string();

const documentId = (id: string) => {
  if (!isId("knowledge", id)) throw fail.notFound("document");
  return id;
};

export const createKnowledge: RouteHandler<typeof routes.create, AppEnv> = async (c) =>
  c.json(await createDocument(c.env.DB, c.var.accountId, c.req.valid("json"), Date.now()), 201);

export const listKnowledge: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const after = q.cursor === undefined ? null : decodeCursor(q.cursor, DocumentCursor);
  const p = await listDocuments(c.env.DB, c.var.accountId, after, q.limit);
  return c.json({ data: p.data, next_cursor: p.next === null ? null : encodeCursor(p.next) }, 200);
};

export const getKnowledge: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  c.json(await getDocument(c.env.DB, c.var.accountId, documentId(c.req.valid("param").document_id)), 200);

export const updateKnowledge: RouteHandler<typeof routes.update, AppEnv> = async (c) =>
  c.json(await updateDocument(c.env.DB, c.var.accountId, documentId(c.req.valid("param").document_id), c.req.valid("json"), Date.now()), 200);

export const deleteKnowledge: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  await deleteDocument(c.env.DB, c.var.accountId, documentId(c.req.valid("param").document_id));
  return c.body(null, 204);
};

export const getKnowledgePassage: RouteHandler<typeof routes.passage, AppEnv> = async (c) => {
  const { passage_id } = c.req.valid("param");
  if (!isId("passage", passage_id)) throw fail.notFound("passage");
  return c.json(await getPassage(c.env.DB, c.var.accountId, passage_id), 200);
};
