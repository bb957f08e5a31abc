import type { Media, MessageMedia } from "../contract/message";
import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { problem, ProblemError, type FieldError } from "../lib/problem";
import { mediaFromUrl, signedMediaUrl } from "./signing";
import { findMedia } from "./store";

/**
 * Media in messages: a send's `media[]` resolved before the conversation stores it, and the URLs a
 * provider is handed when a message goes out.
 */

/**
 * How long a URL handed to a provider works: Twilio and Meta fetch a message's media within
 * seconds of the send, and an hour covers their retries. Short, so what sits in a provider's logs
 * soon stops serving the file.
 */
export const PROVIDER_MEDIA_TTL_SECONDS = 60 * 60;

const UNKNOWN_TYPE = "application/octet-stream";

/** The problem for these field errors; as for contacts, a 404's detail is its message, a 422's names the field. */
const refuse = (status: number, errors: FieldError[]) =>
  new ProblemError(problem(status, status === 404 ? errors[0]!.message : `${errors[0]!.path}: ${errors[0]!.message}`, errors));

/**
 * A send's media as a conversation stores them. An item naming one of the account's uploads
 * (`media_id`, parsed as a `parley-media:` reference) becomes a signed URL of it, good for LIMITS.mediaUrlTtlSecondsMax, with the upload's
 * type and filename (a filename given in the item wins) and its `media_id`. An item whose `url` is
 * already a signed URL of the account's own media gets its `media_id` too, and a fresh URL, so a
 * pasted URL is handled like the id. Any other URL is kept as given.
 *
 * An unknown media_id, or another account's, is a 404 naming it (`body.media[0].media_id`), as an
 * unknown contact_id in a body is; a content_type that is not the upload's is a 422 naming it.
 * Every failing item of the first failure's status is named. Nothing is written, so a refusal
 * needs no undoing. `path` roots the field names (`body.media`, `body.message.media`).
 */
export async function resolveMedia(env: Env, accountId: string, media: Media[] | undefined, path: string, requestUrl?: string): Promise<MessageMedia[] | undefined> {
  if (media === undefined) return undefined;
  const failures: { i: number; status: number; error: FieldError }[] = [];
  const resolved = await Promise.all(
    media.map(async (item, i): Promise<MessageMedia | undefined> => {
      const at = `${path}[${i}]`;
      if (item.media_id === undefined) {
        const ours = await mediaFromUrl(env, item.url, requestUrl);
        if (ours === null || ours.accountId !== accountId) return item;
        return { ...item, url: await signedMediaUrl(env, accountId, ours.mediaId, LIMITS.mediaUrlTtlSecondsMax, requestUrl), media_id: ours.mediaId };
      }
      const object = await findMedia(env, accountId, item.media_id);
      if (object === null) {
        failures.push({ i, status: 404, error: { path: `${at}.media_id`, message: "media not found" } });
        return undefined;
      }
      const type = object.httpMetadata?.contentType ?? UNKNOWN_TYPE;
      // The parsed item says application/octet-stream when no content_type was given.
      const given = item.content_type.toLowerCase();
      if (given !== UNKNOWN_TYPE && given !== type) {
        failures.push({ i, status: 422, error: { path: `${at}.content_type`, message: `content_type must be the upload's own, ${type}, or left out` } });
        return undefined;
      }
      const filename = item.filename ?? object.customMetadata?.filename;
      return {
        url: await signedMediaUrl(env, accountId, item.media_id, LIMITS.mediaUrlTtlSecondsMax, requestUrl),
        content_type: type,
        ...(filename !== undefined ? { filename } : {}),
        media_id: item.media_id,
      };
    }),
  );
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => (b.i < a.i ? b : a));
    throw refuse(first.status, failures.filter((f) => f.status === first.status).sort((a, b) => a.i - b.i).map((f) => f.error));
  }
  return resolved as MessageMedia[];
}

/** What providerMedia takes and gives: a stored message's media item, or the part of it an outbound message carries. */
export type ProviderMediaItem = { url: string; content_type: string; filename?: string; media_id?: string; unavailable?: unknown };

/**
 * A message's media as a provider should be handed them, for the delivery consumer to call just
 * before a send: each item that is the account's own media (a `media_id`, or a `url` that
 * `mediaFromUrl` recognises as a signed URL of this account's, expired or not) gets a freshly
 * signed URL good for PROVIDER_MEDIA_TTL_SECONDS (an hour), whatever the stored URL's expiry;
 * any other URL (the sender's own https URL, another account's signed URL) is left as it is.
 * Items marked `unavailable` (a customer's file that could not be copied in) are left out: there
 * is nothing a provider could fetch. Order is kept.
 *
 * Needs PUBLIC_BASE_URL (a queue consumer has no request to take an origin from): without it our
 * URLs are not recognised, and a `media_id` item throws, as signedMediaUrl does.
 */
export async function providerMedia<M extends ProviderMediaItem>(env: Env, accountId: string, media: readonly M[]): Promise<M[]> {
  const usable = media.filter((m) => m.unavailable === undefined);
  return Promise.all(
    usable.map(async (item) => {
      const mediaId = item.media_id ?? (await ownMediaId(env, accountId, item.url));
      if (mediaId === undefined) return item;
      return { ...item, url: await signedMediaUrl(env, accountId, mediaId, PROVIDER_MEDIA_TTL_SECONDS), media_id: mediaId };
    }),
  );
}

async function ownMediaId(env: Env, accountId: string, url: string): Promise<string | undefined> {
  const ours = await mediaFromUrl(env, url);
  return ours !== null && ours.accountId === accountId ? ours.mediaId : undefined;
}
