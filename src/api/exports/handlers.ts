import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv, Env } from "../../env";
import { deleteExport, accountExport, insertExport, listExports } from "../../export/store";
import { downloadPath, exportKey, renderExport, type ExportRow } from "../../export/job";
import { attachment, NDJSON } from "../../export/lines";
import { transcriptStream } from "../../export/transcript";
import { newId, isId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { fail, problem, problemResponse, ProblemError } from "../../lib/problem";
import { checkPathSignature, signPathUrl } from "../../media/signing";
import { conversation } from "../http";
import { liveContact } from "../participants/contacts";
import type * as routes from "./routes";

export const exportConversation: RouteHandler<typeof routes.conversationExport, AppEnv> = async (c) => {
  const { conversation_id } = c.req.valid("param");
  const stub = conversation(c.env, conversation_id);
  // Read first, so a foreign or unknown id is a 404 and not a 200 that ends at once.
  const got = await stub.get(c.var.accountId);
  if (!got.ok) return problemResponse(got.problem) as never;
  const headers = { "content-type": NDJSON, "content-disposition": attachment(`${conversation_id}.ndjson`), "cache-control": "no-store" };
  // A stream, not JSON: the route's typed responses cannot describe it (as for media), hence the cast.
  return c.body(transcriptStream(stub, c.var.accountId, got.value), 200, headers) as never;
};

export const createExport: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { from, to, ...filters } = c.req.valid("json");
  if (filters.contact_id !== undefined) await liveContact(c.env.DB, c.var.accountId, filters.contact_id, "body.contact_id");
  const now = Date.now();
  const row: ExportRow = {
    id: newId("export"),
    accountId: c.var.accountId,
    status: "queued",
    filters: JSON.stringify(filters),
    rangeFrom: from === undefined ? null : Date.parse(from),
    rangeTo: to === undefined ? now : Date.parse(to),
    step: 0,
    leaseUntil: null,
    cursor: null,
    uploadId: null,
    parts: "[]",
    tailBytes: 0,
    conversationsDone: 0,
    messagesDone: 0,
    bytesDone: 0,
    error: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
  await insertExport(c.env.DB, row);
  try {
    await c.env.EXPORTS.send({ account_id: row.accountId, export_id: row.id, step: 0 }, { contentType: "json" });
  } catch (error) {
    // Nothing would ever run it: take it back, and let the client try again.
    await deleteExport(c.env.DB, row.id);
    throw error;
  }
  return c.json(renderExport(row, null), 202);
};

/** A completed export's download link, signed afresh on every read. */
async function present(env: Env, row: ExportRow, requestUrl: string) {
  const download = row.status === "completed" ? await signPathUrl(env, downloadPath(row.id), row.accountId, LIMITS.exportUrlTtlSeconds, requestUrl) : null;
  return renderExport(row, download);
}

export const getExport: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { export_id } = c.req.valid("param");
  const row = isId("export", export_id) ? await accountExport(c.env.DB, c.var.accountId, export_id) : undefined;
  if (!row) throw fail.notFound("export");
  return c.json(await present(c.env, row, c.req.url), 200);
};

export const listAccountExports: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const page = await listExports(c.env.DB, c.var.accountId, c.req.valid("query"));
  return c.json({ data: await Promise.all(page.rows.map((row) => present(c.env, row, c.req.url))), next_cursor: page.next_cursor }, 200);
};

const forbidden = (detail: string) => new ProblemError(problem(403, detail, [{ path: "query.signature", message: detail }]));

export const downloadExport: RouteHandler<typeof routes.download, AppEnv> = async (c) => {
  const { export_id } = c.req.valid("param");
  const query = c.req.valid("query");
  // The signature first: until it holds, the account and id are anyone's guess, and nothing is looked up.
  const check = await checkPathSignature(c.env, downloadPath(export_id), query);
  if (check === "invalid") throw forbidden("the signature does not match this URL");
  if (check === "expired") throw forbidden("this download link has expired; GET /v1/exports/{export_id} signs a fresh one");
  const object = await c.env.MEDIA.get(exportKey({ accountId: query.account, id: export_id }));
  if (object === null) throw fail.notFound("export file");
  return c.body(object.body, 200, {
    "content-type": NDJSON,
    "content-length": String(object.size),
    "content-disposition": attachment(`${export_id}.ndjson`),
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
    etag: object.httpEtag,
  }) as never;
};
