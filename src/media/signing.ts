import { publicBaseUrl } from "../channels/connections";
import type { Env } from "../env";
import { base64ToBytes, bytesToBase64 } from "../lib/crypto";
import { LIMITS } from "../lib/limits";
import { fail } from "../lib/problem";

/**
 * Signed media URLs: `<base>/media/<media_id>?account=…&expires=…&signature=…`, where the signature
 * is HMAC-SHA256 over the path, the account and the expiry. Providers (Twilio, Meta) fetch media
 * by URL with no credentials of ours, so the URL itself is the credential: it names one file of one
 * account until a time, and changing any of the three breaks it.
 */

const encoder = new TextEncoder();

/** What the key is derived with: a label of its own, so the token key is never used as-is for media too. */
const DERIVATION_LABEL = "parley media urls v1";

/** The deployment's secret the key comes from: TOKEN_SECRET, else ADMIN_TOKEN (as participant tokens do); a 503 with neither. */
function rootSecret(env: Env): string {
  const secret = env.TOKEN_SECRET || env.ADMIN_TOKEN;
  if (!secret) throw fail.unavailable("media URLs cannot be signed on this deployment: set TOKEN_SECRET (or ADMIN_TOKEN)");
  return secret;
}

/** One derived key per root secret, per isolate: the derivation is two WebCrypto calls on every URL otherwise. */
let cached: { root: string; key: Promise<CryptoKey> } | undefined;

function signingKey(env: Env): Promise<CryptoKey> {
  const root = rootSecret(env);
  if (cached?.root !== root) {
    const key = (async () => {
      const rootKey = await crypto.subtle.importKey("raw", encoder.encode(root), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const derived = await crypto.subtle.sign("HMAC", rootKey, encoder.encode(DERIVATION_LABEL));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    })();
    cached = { root, key };
  }
  return cached.key;
}

export const mediaPath = (mediaId: string) => `/media/${mediaId}`;

/**
 * The signed text: newline-separated, and none of the parts may hold a newline (checked), so no two
 * triples sign alike. The path says what is signed (`/media/<id>`, `/exports/<id>`), so a signature
 * for one resource never opens another.
 */
const signedText = (path: string, accountId: string, expires: number) => `${path}\n${accountId}\n${expires}`;

const base64Url = (bytes: Uint8Array) => bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function sign(env: Env, path: string, accountId: string, expires: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await signingKey(env), encoder.encode(signedText(path, accountId, expires)));
  return base64Url(new Uint8Array(mac));
}

/**
 * An absolute URL that serves the media's bytes until `ttlSeconds` from now (at most
 * LIMITS.mediaUrlTtlSecondsMax). The origin is PUBLIC_BASE_URL, else `requestUrl`'s; with neither
 * (a queue consumer on a deployment without PUBLIC_BASE_URL) there is no URL a provider could reach,
 * and it throws.
 */
export async function signedMediaUrl(env: Env, accountId: string, mediaId: string, ttlSeconds: number = LIMITS.mediaUrlTtlSeconds, requestUrl?: string): Promise<string> {
  return (await signMediaUrl(env, accountId, mediaId, ttlSeconds, requestUrl)).url;
}

/** `signedMediaUrl`, with the time the URL stops working. */
export async function signMediaUrl(env: Env, accountId: string, mediaId: string, ttlSeconds: number, requestUrl?: string): Promise<{ url: string; expiresAt: Date }> {
  return signPathUrl(env, mediaPath(mediaId), accountId, ttlSeconds, requestUrl);
}

/**
 * A signed URL of one of the account's resources at `path` (media, an export's download), valid
 * for `ttlSeconds` (at most LIMITS.mediaUrlTtlSecondsMax), on PUBLIC_BASE_URL else `requestUrl`'s origin.
 */
export async function signPathUrl(env: Env, path: string, accountId: string, ttlSeconds: number, requestUrl?: string): Promise<{ url: string; expiresAt: Date }> {
  if (!env.PUBLIC_BASE_URL && requestUrl === undefined) throw new Error("set PUBLIC_BASE_URL: a signed URL needs the origin this deployment is reached at");
  const ttl = Math.max(1, Math.min(Math.floor(ttlSeconds), LIMITS.mediaUrlTtlSecondsMax));
  const expires = Math.floor(Date.now() / 1000) + ttl;
  const query = new URLSearchParams({ account: accountId, expires: String(expires), signature: await sign(env, path, accountId, expires) });
  return { url: `${publicBaseUrl(env, requestUrl ?? "")}${path}?${query}`, expiresAt: new Date(expires * 1000) };
}

export type SignatureCheck = "valid" | "expired" | "invalid";

/**
 * Whether a signed URL's parts are ours. The signature is checked before the expiry, so an expired
 * answer means the URL was genuine; the comparison is WebCrypto's verify, in constant time.
 */
export async function checkMediaSignature(
  env: Env,
  mediaId: string,
  parts: { account: string; expires: string; signature: string },
  nowMs = Date.now(),
): Promise<SignatureCheck> {
  if (!/^[\w-]{1,64}$/.test(mediaId)) return "invalid";
  return checkPathSignature(env, mediaPath(mediaId), parts, nowMs);
}

/** `checkMediaSignature` for any signed path (`signPathUrl`). */
export async function checkPathSignature(env: Env, path: string, parts: { account: string; expires: string; signature: string }, nowMs = Date.now()): Promise<SignatureCheck> {
  // Well-formed parts only: none can then hold the newline that separates them in the signed text.
  if (!/^(\/[\w-]{1,64}){1,4}$/.test(path) || !/^[\w-]{1,64}$/.test(parts.account) || !/^\d{1,12}$/.test(parts.expires) || !/^[\w-]{1,128}$/.test(parts.signature)) return "invalid";
  let mac: Uint8Array;
  try {
    mac = base64ToBytes(parts.signature);
  } catch {
    return "invalid";
  }
  const expires = Number(parts.expires);
  const valid = await crypto.subtle.verify("HMAC", await signingKey(env), mac, encoder.encode(signedText(path, parts.account, expires)));
  if (!valid) return "invalid";
  return expires * 1000 <= nowMs ? "expired" : "valid";
}

/**
 * The account and media a URL of ours names, if its signature is good, expired or not: a message
 * stored with a signed URL may be sent (or resent) after the URL has expired, and the sender
 * re-signs a fresh one for the provider. The caller must check the account is the message's own.
 * Null for any other URL (another host, another path, a bad signature).
 */
export async function mediaFromUrl(env: Env, url: string, requestUrl?: string): Promise<{ accountId: string; mediaId: string; expired: boolean } | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!env.PUBLIC_BASE_URL && requestUrl === undefined) return null;
  const prefix = `${publicBaseUrl(env, requestUrl ?? "")}/media/`;
  const location = `${parsed.origin}${parsed.pathname}`;
  const mediaId = location.startsWith(prefix) ? location.slice(prefix.length) : "";
  const account = parsed.searchParams.get("account");
  const expires = parsed.searchParams.get("expires");
  const signature = parsed.searchParams.get("signature");
  if (!/^[\w-]+$/.test(mediaId) || account === null || expires === null || signature === null) return null;
  const check = await checkMediaSignature(env, mediaId, { account, expires, signature });
  return check === "invalid" ? null : { accountId: account, mediaId, expired: check === "expired" };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A media id that is always the same for the same `name` (a provider's message id and the file's
 * place in it), so a retried webhook stores its files under the ids of the first attempt. Keyed
 * with the media key, so nobody who knows the provider's ids can work out ours. Shaped like any
 * other (`med_` and 26 Crockford characters, a valid ULID), though it does not sort by time. The
 * text it is derived from starts unlike any signed URL's (`/media/…`), so it is never a signature.
 */
export async function derivedMediaId(env: Env, name: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await signingKey(env), encoder.encode(`derived media id\n${name}`)));
  // 3 bits, then 25 × 5: 128 bits, the first character 0–7 as a ULID's is.
  const body = Array.from({ length: 26 }, (_, i) => CROCKFORD[i === 0 ? mac[i]! & 7 : mac[i]! & 31]).join("");
  return `med_${body}`;
}
