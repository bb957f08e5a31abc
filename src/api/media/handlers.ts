import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { LIMITS } from "../../lib/limits";
import { fail, problem, ProblemError } from "../../lib/problem";
import { checkMediaSignature } from "../../media/signing";
import { deleteMedia, findMedia, presentMedia, readMedia, storeMedia, tooLarge } from "../../media/store";
import type * as routes from "./routes";

export const uploadMedia: RouteHandler<typeof routes.upload, AppEnv> = async (c) => {
  const { filename } = c.req.valid("query");
  // A declared length over the limit is refused before any of it is read; a chunked body is
  // counted as it is read, and refused at the first byte past the limit.
  if (Number(c.req.header("content-length")) > LIMITS.mediaBytes) throw tooLarge();
  const stored = await storeMedia(c.env, c.var.accountId, c.req.raw.body ?? new ArrayBuffer(0), c.req.header("content-type"), filename, c.req.url);
  return c.json(stored, 201);
};

export const getMedia: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const object = await findMedia(c.env, c.var.accountId, c.req.valid("param").media_id);
  if (object === null) throw fail.notFound("media");
  return c.json(await presentMedia(c.env, c.var.accountId, object, c.req.url), 200);
};

export const deleteMediaFile: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  if (!(await deleteMedia(c.env, c.var.accountId, c.req.valid("param").media_id))) throw fail.notFound("media");
  return c.body(null, 204);
};

/**
 * Shown inline: types a browser renders as media, never as a document that runs script. SVG is an
 * image that can carry script, so it goes out as an attachment like HTML and everything else.
 */
const servedInline = (type: string) => /^(image|audio|video)\//.test(type) && type !== "image/svg+xml";

/** Content-Disposition with the stored filename: an ASCII fallback, and the exact name per RFC 6266/8187. */
function disposition(type: string, filename: string | undefined): string {
  const kind = servedInline(type) ? "inline" : "attachment";
  if (!filename) return kind;
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

const isBody = (object: R2Object): object is R2ObjectBody => "body" in object;

const forbidden = (detail: string) => new ProblemError(problem(403, detail, [{ path: "query.signature", message: detail }]));

export const serveMedia: RouteHandler<typeof routes.serve, AppEnv> = async (c) => {
  const { media_id } = c.req.valid("param");
  const query = c.req.valid("query");
  // The signature first: until it holds, the account and id are anyone's guess, and nothing is looked up.
  const check = await checkMediaSignature(c.env, media_id, query);
  if (check === "invalid") throw forbidden("the signature does not match this URL");
  if (check === "expired") throw forbidden("this media URL has expired; GET /v1/media/{media_id} signs a fresh one");
  // HEAD (Twilio asks before it fetches) reads the metadata only; Hono answers it from this GET
  // route, without a body.
  const object = c.req.method === "HEAD" ? await findMedia(c.env, query.account, media_id) : await readMedia(c.env, query.account, media_id);
  if (object === null) throw fail.notFound("media");
  const type = object.httpMetadata?.contentType ?? "application/octet-stream";
  // Never cached past the URL's own expiry, nor so long that a deletion goes unnoticed for long.
  const maxAge = Math.max(0, Math.min(LIMITS.mediaCacheSeconds, Number(query.expires) - Math.floor(Date.now() / 1000)));
  const headers = {
    "content-type": type,
    "content-length": String(object.size),
    "content-disposition": disposition(type, object.customMetadata?.filename),
    "cache-control": `private, max-age=${maxAge}`,
    "x-content-type-options": "nosniff",
    // Should the file be opened as a page after all, it runs nothing.
    "content-security-policy": "sandbox",
    etag: object.httpEtag,
  };
  return isBody(object) ? c.body(object.body, 200, headers) : c.body(null, 200, headers);
};
