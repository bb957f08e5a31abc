import type { LoadedChannel } from "../../channels/connections";
import type { MediaRef } from "../../channels/inbound";
import { apiBase, basicAuth } from "../../channels/outbound";
import type { Env } from "../../env";
import { LIMITS } from "../../lib/limits";
import { MediaUnavailable, type LoadedMedia, type MediaLoader } from "../../media/inbound";

/**
 * Where an inbound message's files are fetched from, with which credentials (copied into R2 by
 * src/media/inbound.ts):
 *
 * | ref | from | auth |
 * | --- | --- | --- |
 * | `meta-media:<id>` (WhatsApp Cloud API) | `GET {base_url}/{id}` → `{url, mime_type, file_size}`, then `GET url` | the channel's access token (Bearer), both |
 * | Twilio `MediaUrlN` | the URL, following Twilio's redirect to its CDN | basic `AccountSid:AuthToken`, to the MediaUrl's own origin only |
 * | `mailgun-attachment:<field>` | the file part of the same post | — |
 * | a Mailgun store() URL | the URL | basic `api:<api_key>`, on Mailgun's hosts only |
 * | a Messenger attachment URL | the URL (Meta's CDN, public until it expires) | — |
 * | `cloudflare-attachment:<n>` | postal-mime's n-th attachment of the same mail | — |
 *
 * Only https is fetched (http on a loopback host too, in development, for the provider simulator);
 * credentials never follow a redirect to another origin. What a retry cannot fix (a 4xx, a URL we
 * do not fetch, too many redirects, a file over the limit) is MediaUnavailable; a network error,
 * timeout, 429 or 5xx throws, so the webhook answers 5xx and the provider retries, except from
 * Twilio, which would not retry: there it is MediaUnavailable too (`failed`), and the text is kept.
 */

/** One request of a media fetch: a slow CDN must not hold the webhook past the provider's own timeout (Twilio waits 15 s). */
const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Graph error codes that mean "later", whatever the HTTP status: throttling and temporary failures. */
const GRAPH_TRANSIENT = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131000, 131048, 131056, 133016]);

type Auth = { origin: string; authorization: string };

/** A URL we fetch: https, or http on a loopback host in development (the simulator); else MediaUnavailable. */
function fetchable(env: Env, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MediaUnavailable("unreachable", "the media URL is not a URL");
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname) && env.ENVIRONMENT === "development") return url;
  throw new MediaUnavailable("unreachable", `${url.protocol.replace(/:$/, "")} media URLs are not fetched, only https`);
}

/**
 * GET with redirects followed by hand (so `auth` goes to its own origin only, never to a CDN), each
 * hop checked with `fetchable`. A 2xx is returned unread.
 */
async function get(env: Env, raw: string, what: string, auth?: Auth): Promise<Response> {
  let url = fetchable(env, raw);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = auth && url.origin === auth.origin ? { authorization: auth.authorization } : {};
    let response: Response;
    try {
      response = await fetch(url.href, { headers, redirect: "manual", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      // Transient: the provider retries the webhook.
      throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      url = fetchable(env, new URL(response.headers.get("location")!, url).href);
      continue;
    }
    if (response.ok) return response;
    const text = (await response.text().catch(() => "")).slice(0, 500);
    if (response.status === 429 || response.status >= 500 || isGraphTransient(text)) throw new Error(`${what} answered ${response.status}`);
    throw new MediaUnavailable("refused", `${what} answered ${response.status}`);
  }
  throw new MediaUnavailable("refused", `${what}: more than ${MAX_REDIRECTS} redirects`);
}

function isGraphTransient(text: string): boolean {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; is_transient?: unknown } }).error;
    return error?.is_transient === true || (typeof error?.code === "number" && GRAPH_TRANSIENT.has(error.code));
  } catch {
    return false;
  }
}

function loaded(response: Response): LoadedMedia {
  const length = response.headers.get("content-length");
  return {
    body: response.body ?? new ArrayBuffer(0),
    contentType: response.headers.get("content-type"),
    size: length !== null && /^\d+$/.test(length) ? Number(length) : null,
  };
}

const bearer = (url: string, token: string): Auth => ({ origin: new URL(url).origin, authorization: `Bearer ${token}` });

/** WhatsApp Cloud API: the media id's URL from the Graph, then the bytes from that URL, both with the access token. */
async function whatsAppMedia(env: Env, channel: Extract<LoadedChannel, { provider: "meta" }>, mediaId: string): Promise<LoadedMedia> {
  const token = channel.credentials.access_token;
  const endpoint = `${apiBase(channel)}/${encodeURIComponent(mediaId)}`;
  const response = await get(env, endpoint, "the Graph API's media lookup", bearer(endpoint, token));
  const info = (await response.json().catch(() => null)) as { url?: unknown; mime_type?: unknown; file_size?: unknown } | null;
  if (typeof info?.url !== "string") throw new MediaUnavailable("refused", "the Graph API's media lookup gave no url");
  const size = typeof info.file_size === "number" ? info.file_size : typeof info.file_size === "string" && /^\d+$/.test(info.file_size) ? Number(info.file_size) : null;
  // Over the limit: not fetched at all (WhatsApp videos run to 16 MB, documents to 100 MB).
  if (size !== null && size > LIMITS.mediaBytes) throw new MediaUnavailable("too_large", `the file is ${size} bytes, over the ${LIMITS.mediaBytes} a file may be`);
  const target = fetchable(env, info.url);
  const file = await get(env, target.href, "WhatsApp's media URL", bearer(target.href, token));
  const bytes = loaded(file);
  return { ...bytes, size: bytes.size ?? size, contentType: typeof info.mime_type === "string" ? info.mime_type : bytes.contentType };
}

const isMailgunHost = (host: string) => host === "mailgun.net" || host.endsWith(".mailgun.net");

/**
 * The loader for a verified webhook's messages on `channel`. `form` is the post's own form
 * (Mailgun's forward(), whose attachments are file parts of it).
 */
export function webhookMediaLoader(env: Env, channel: LoadedChannel, form?: FormData): MediaLoader {
  return async (ref: MediaRef) => {
    const { url } = ref;
    switch (channel.provider) {
      case "meta":
        if (url.startsWith("meta-media:")) return whatsAppMedia(env, channel, url.slice("meta-media:".length));
        // Messenger: Meta's CDN, public for a while.
        return loaded(await get(env, url, "Messenger's attachment URL"));
      case "twilio": {
        const { account_sid, auth_token } = channel.credentials;
        const auth = { origin: fetchable(env, url).origin, authorization: basicAuth(account_sid, auth_token) };
        try {
          return loaded(await get(env, url, "Twilio's MediaUrl", auth));
        } catch (error) {
          // Twilio does not retry a messaging webhook that answers 5xx (unless its connection
          // overrides say so), so a 5xx would lose the customer's text too: the message is stored,
          // the file marked failed (the MediaUrl stays valid at Twilio, should someone fetch it later).
          if (error instanceof MediaUnavailable) throw error;
          throw new MediaUnavailable("failed", error instanceof Error ? error.message : String(error));
        }
      }
      case "mailgun": {
        if (url.startsWith("mailgun-attachment:")) {
          const part = form?.get(url.slice("mailgun-attachment:".length));
          if (!part || typeof part === "string") throw new MediaUnavailable("refused", "the post has no such attachment");
          return { body: await part.arrayBuffer(), contentType: part.type, size: part.size };
        }
        // store() attachments are on Mailgun's storage hosts, behind the API key; that key goes nowhere else.
        const target = fetchable(env, url);
        const ownHost = isMailgunHost(target.hostname) || target.host === new URL(apiBase(channel)).host;
        const auth = ownHost ? { origin: target.origin, authorization: basicAuth("api", channel.credentials.api_key) } : undefined;
        return loaded(await get(env, url, "Mailgun's attachment URL", auth));
      }
      case "cloudflare":
        throw new MediaUnavailable("unreachable", "Cloudflare email arrives by email(), not by webhook");
    }
  };
}

/** The loader for a mail from Email Routing: `cloudflare-attachment:<n>` is postal-mime's n-th attachment of it. */
export function emailMediaLoader(attachments: readonly ArrayBuffer[]): MediaLoader {
  return async (ref: MediaRef) => {
    const n = /^cloudflare-attachment:(\d+)$/.exec(ref.url)?.[1];
    const content = n === undefined ? undefined : attachments[Number(n)];
    if (content === undefined) throw new MediaUnavailable("unreachable", "the mail has no such attachment");
    return { body: content, size: content.byteLength };
  };
}
