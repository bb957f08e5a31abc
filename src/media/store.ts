import type { MediaResource } from "../contract/media";
import type { Env } from "../env";
import { isId, newId } from "../lib/ids";
import { LIMITS } from "../lib/limits";
import { problem, ProblemError } from "../lib/problem";
import { signMediaUrl } from "./signing";

/**
 * Media in R2 (the MEDIA bucket). Every object lives under its account's prefix, so a lookup is
 * always by (account, id): another account's id is simply not there, and a 404 like an unknown one.
 * The object carries its own metadata (type, filename), so media needs no D1 table.
 */

export const mediaKey = (accountId: string, mediaId: string) => `acct/${accountId}/${mediaId}`;

/** A single MIME type, as a message's `media[].content_type` takes it (no parameters, no wildcards). */
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

const refuse = (status: number, detail: string, path: string) => new ProblemError(problem(status, detail, [{ path, message: detail }]));

/**
 * The bare, lowercased MIME type of a Content-Type (`Image/JPEG; q=1` → `image/jpeg`), or a 415
 * naming the header. A form is refused: a multipart upload would store the form, boundaries and
 * all, not the file; and `curl --data-binary` without `-H content-type` sends urlencoded.
 */
export function mediaType(contentType: string | undefined | null): string {
  const type = contentType?.split(";")[0]!.trim().toLowerCase() ?? "";
  if (type === "") throw refuse(415, "send the file's type as content-type (for example image/jpeg)", "header.content-type");
  if (!MIME_TYPE.test(type)) throw refuse(415, `"${contentType}" is not a MIME type such as image/jpeg`, "header.content-type");
  if (type.startsWith("multipart/") || type === "application/x-www-form-urlencoded") {
    throw refuse(415, `send the file itself as the body with its own content-type (such as image/jpeg), not ${type}`, "header.content-type");
  }
  return type;
}

/** The 413 for a file over the limit. */
export const tooLarge = () => refuse(413, `the file is over ${LIMITS.mediaBytes} bytes`, "body");

/**
 * The bytes, read no further than one past the limit. R2 needs a body of known length, and a
 * stream from a chunked upload or a provider's response has none, so it is read into memory (at
 * most LIMITS.mediaBytes, well within a Worker's memory).
 */
async function readCapped(body: ReadableStream<Uint8Array> | ArrayBuffer, max: number): Promise<Uint8Array> {
  if (body instanceof ArrayBuffer) {
    if (body.byteLength > max) throw tooLarge();
    return new Uint8Array(body);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function resource(mediaId: string, object: R2Object, signed: { url: string; expiresAt: Date }): MediaResource {
  return {
    id: mediaId,
    content_type: object.httpMetadata?.contentType ?? "application/octet-stream",
    filename: object.customMetadata?.filename ?? null,
    size: object.size,
    created_at: object.uploaded.toISOString(),
    url: signed.url,
    url_expires_at: signed.expiresAt.toISOString(),
  };
}

/**
 * A filename as MediaFilename takes it, from whatever a provider or mail client sent: the last
 * path segment (`C:\fakepath\a.pdf` → `a.pdf`), no control characters, cut to the limit; none if
 * nothing is left. The API refuses such names instead; copied-in media should not fail over one.
 */
function cleanFilename(name: string | undefined): string | undefined {
  const cleaned = name?.split(/[/\\]/).pop()!.replace(/[\x00-\x1f\x7f]/g, "").trim().slice(0, LIMITS.mediaFilenameChars);
  return cleaned || undefined;
}

/** The resource for one of the account's objects, with a freshly signed URL. */
export async function presentMedia(env: Env, accountId: string, object: R2Object, requestUrl?: string): Promise<MediaResource> {
  const mediaId = object.key.slice(mediaKey(accountId, "").length);
  return resource(mediaId, object, await signMediaUrl(env, accountId, mediaId, LIMITS.mediaUrlTtlSeconds, requestUrl));
}

/**
 * Stores a file for an account (an upload, or later a customer's media copied in from a provider)
 * and answers its resource. `contentType` may carry parameters, which are dropped; a missing or
 * unusable one is a 415, an empty file a 422, one over LIMITS.mediaBytes a 413, and in each case
 * nothing is stored (nor when no URL can be signed: a 503 without a secret). The URL's origin is
 * PUBLIC_BASE_URL, else `requestUrl`'s.
 */
export async function storeMedia(
  env: Env,
  accountId: string,
  body: ReadableStream<Uint8Array> | ArrayBuffer,
  contentType: string | undefined | null,
  filename?: string,
  requestUrl?: string,
): Promise<MediaResource> {
  return storeMediaAs(env, accountId, newId("media"), body, contentType, filename, requestUrl);
}

/**
 * `storeMedia` under an id the caller chose: a customer's file copied in from a provider gets an
 * id derived from the provider's message id (src/media/inbound.ts), so a retried webhook writes
 * the same object again instead of leaving a second one behind.
 */
export async function storeMediaAs(
  env: Env,
  accountId: string,
  mediaId: string,
  body: ReadableStream<Uint8Array> | ArrayBuffer,
  contentType: string | undefined | null,
  filename?: string,
  requestUrl?: string,
): Promise<MediaResource> {
  if (!isId("media", mediaId)) throw new Error(`not a media id: ${mediaId}`);
  const type = mediaType(contentType);
  const bytes = await readCapped(body, LIMITS.mediaBytes);
  if (bytes.byteLength === 0) throw refuse(422, "the file is empty", "body");
  const clean = cleanFilename(filename);
  // Signed first: a deployment that cannot sign (no secret, no origin) stores nothing it could not hand out.
  const signed = await signMediaUrl(env, accountId, mediaId, LIMITS.mediaUrlTtlSeconds, requestUrl);
  const object = await env.MEDIA.put(mediaKey(accountId, mediaId), bytes, {
    httpMetadata: { contentType: type },
    // The account is in the key already; here too, so an object read on its own says whose it is.
    customMetadata: { account_id: accountId, ...(clean ? { filename: clean } : {}) },
  });
  return resource(mediaId, object, signed);
}

/** The account's media object (metadata only), or null; a malformed id is unknown without a lookup. */
export async function findMedia(env: Env, accountId: string, mediaId: string): Promise<R2Object | null> {
  return isId("media", mediaId) ? env.MEDIA.head(mediaKey(accountId, mediaId)) : null;
}

/** The account's media object with its bytes, or null. */
export async function readMedia(env: Env, accountId: string, mediaId: string): Promise<R2ObjectBody | null> {
  return isId("media", mediaId) ? env.MEDIA.get(mediaKey(accountId, mediaId)) : null;
}

/** Deletes one of the account's media; false when there was none. Its signed URLs answer 404 from then on. */
export async function deleteMedia(env: Env, accountId: string, mediaId: string): Promise<boolean> {
  if ((await findMedia(env, accountId, mediaId)) === null) return false;
  await env.MEDIA.delete(mediaKey(accountId, mediaId));
  return true;
}
