import type { MediaRef } from "../channels/inbound";
import type { MessageMedia } from "../contract/message";
import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { ProblemError } from "../lib/problem";
import { derivedMediaId, signedMediaUrl } from "./signing";
import { findMedia, mediaType, storeMediaAs } from "./store";

/**
 * A customer's files, copied from the provider into R2 before their message is stored, so the
 * message carries a signed URL of ours (and the media_id) instead of a provider reference that
 * only our credentials can open (`meta-media:<id>`, a Twilio MediaUrl) or that is gone after the
 * request (`mailgun-attachment:<field>`, `cloudflare-attachment:<n>`). Where the bytes come from
 * is the loader's business (src/api/inbound/media.ts); this is what happens to them.
 */

export type UnavailableCode = NonNullable<MessageMedia["unavailable"]>["code"];

/**
 * A file the provider will not give, and never will (a 4xx, a URL we do not fetch, a file over the
 * limit), or that failed from a provider that would not retry the webhook (Twilio): the message is
 * stored with it marked `unavailable`, since refusing the webhook would only make the provider
 * retry in vain, or drop the customer's text with it.
 */
export class MediaUnavailable extends Error {
  override readonly name = "MediaUnavailable";
  constructor(
    readonly code: UnavailableCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }
}

/** One file's bytes as a loader found them, with the type and size the source gave, if any. */
export type LoadedMedia = { body: ReadableStream<Uint8Array> | ArrayBuffer; contentType?: string | null; size?: number | null };

/**
 * Gets one file of an inbound message. Throws MediaUnavailable for what a retry cannot fix, and
 * anything else (a network error, a provider's 5xx or 429) for what it may: that reaches the
 * webhook as a 5xx, so the provider retries, and the retry stores the message once.
 */
export type MediaLoader = (ref: MediaRef, index: number) => Promise<LoadedMedia>;

const UNKNOWN_TYPE = "application/octet-stream";

/** A single concrete MIME type, or undefined for a range (`image/*`), a form type, junk or the unknown type. */
function concreteType(type: string | null | undefined): string | undefined {
  try {
    const bare = mediaType(type);
    return bare === UNKNOWN_TYPE ? undefined : bare;
  } catch {
    return undefined;
  }
}

/**
 * Copies each of a message's files into R2 and answers the message's media: our signed URL (good
 * for LIMITS.mediaUrlTtlSecondsMax, as a send's), the type and the media_id; or, for a file that
 * cannot be had, the provider's reference with `unavailable` saying why. In order, one at a time
 * (each file is held in memory while it is written, at most LIMITS.mediaBytes).
 *
 * `name` is what the message is known by for good (provider and provider message id): each file's
 * id is derived from it and its place, so a retried webhook finds the files the first attempt
 * stored and writes none again, and two attempts racing write the same objects.
 *
 * The type is the provider's when it names one (a webhook is signed, a CDN's header is not), else
 * the one the file was served with, else application/octet-stream.
 */
export async function copyInboundMedia(env: Env, accountId: string, name: string, refs: readonly MediaRef[], load: MediaLoader, requestUrl?: string): Promise<MessageMedia[]> {
  const media: MessageMedia[] = [];
  for (const [index, ref] of refs.entries()) {
    const mediaId = await derivedMediaId(env, `${accountId}\n${name}\n${index}`);
    const ours = (filename: string | undefined, type: string): Promise<MessageMedia> =>
      signedMediaUrl(env, accountId, mediaId, LIMITS.mediaUrlTtlSecondsMax, requestUrl).then((url) => ({
        url,
        content_type: type,
        ...(filename !== undefined ? { filename } : {}),
        media_id: mediaId,
      }));
    const stored = await findMedia(env, accountId, mediaId);
    if (stored !== null) {
      media.push(await ours(stored.customMetadata?.filename, stored.httpMetadata?.contentType ?? UNKNOWN_TYPE));
      continue;
    }
    try {
      const loaded = await load(ref, index);
      if (loaded.size != null && loaded.size > LIMITS.mediaBytes) {
        if (!(loaded.body instanceof ArrayBuffer)) await loaded.body.cancel();
        throw new MediaUnavailable("too_large", `the file is ${loaded.size} bytes, over the ${LIMITS.mediaBytes} a file may be`);
      }
      const type = concreteType(ref.content_type) ?? concreteType(loaded.contentType) ?? UNKNOWN_TYPE;
      const resource = await storeMediaAs(env, accountId, mediaId, loaded.body, type, ref.filename, requestUrl).catch((error: unknown) => {
        // storeMedia's refusals are about the file: over the limit (counted as it was read), or empty.
        if (error instanceof ProblemError && error.problem.status === 413) throw new MediaUnavailable("too_large", `the file is over the ${LIMITS.mediaBytes} bytes a file may be`);
        if (error instanceof ProblemError && error.problem.status === 422) throw new MediaUnavailable("empty", "the file has no bytes");
        throw error;
      });
      media.push(await ours(resource.filename ?? undefined, resource.content_type));
    } catch (error) {
      if (!(error instanceof MediaUnavailable)) throw error;
      // The provider only: an email's name holds the sender's address, which stays out of the logs.
      console.warn(`inbound ${name.split("\n")[0]} media ${mediaId} not copied: ${error.message}`);
      media.push({ url: ref.url, content_type: ref.content_type, ...(ref.filename !== undefined ? { filename: ref.filename } : {}), unavailable: { code: error.code, reason: error.reason } });
    }
  }
  return media;
}
