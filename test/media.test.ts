import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Media } from "../src/contract/message";
import { LIMITS } from "../src/lib/limits";
import { mediaFromUrl, signedMediaUrl } from "../src/media/signing";
import { storeMedia } from "../src/media/store";
import { ADMIN, call, env, errorPaths, newAccount, problemOf, rawCall } from "./helpers";

const worker = (exports as unknown as { default: Fetcher }).default;

/** Bytes that are not all alike, so a truncated or reordered copy shows. */
function bytes(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return out;
}

async function fetchApp(method: string, path: string, init: { key?: string; body?: BodyInit | null; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  const response = await worker.fetch(`http://parley.test${path}`, { method, headers, body: init.body ?? null });
  const body = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(body);
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, body, json };
}

async function upload(key: string, data: Uint8Array, contentType: string | undefined, query = "") {
  return fetchApp("POST", `/v1/media${query}`, { key, body: data, headers: contentType === undefined ? {} : { "content-type": contentType } });
}

async function uploaded(key: string, data: Uint8Array, contentType: string, query = "") {
  const res = await upload(key, data, contentType, query);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as { id: string; content_type: string; filename: string | null; size: number; created_at: string; url: string; url_expires_at: string };
}

/** A signed URL, asked of this Worker: its path and query, whatever origin PUBLIC_BASE_URL gave it. */
const viaUrl = (url: string, method = "GET") => {
  const u = new URL(url);
  return fetchApp(method, `${u.pathname}${u.search}`);
};

/** What R2 holds under an account's prefix. */
const storedKeys = async (accountId: string) => (await env.MEDIA.list({ prefix: `acct/${accountId}/` })).objects.map((o) => o.key);

/**
 * A signature computed here from the documented recipe, not with the app's code: HMAC-SHA256 over
 * "<path>\n<account>\n<expires>" under a key derived from the root secret with the media label.
 */
async function signByHand(root: string, mediaId: string, account: string, expires: number, label: string | null = "parley media urls v1") {
  const enc = new TextEncoder();
  const hmac = async (key: BufferSource, text: string) =>
    new Uint8Array(await crypto.subtle.sign("HMAC", await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]), enc.encode(text)));
  const key = label === null ? enc.encode(root) : await hmac(enc.encode(root), label);
  const mac = await hmac(key, `/media/${mediaId}\n${account}\n${expires}`);
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const signedPath = (mediaId: string, account: string, expires: number, signature: string) =>
  `/media/${mediaId}?${new URLSearchParams({ account, expires: String(expires), signature })}`;

describe("POST /v1/media", () => {
  it("stores the file under the account and serves the same bytes by its signed URL", async () => {
    const { id: accountId, key } = await newAccount();
    const data = bytes(300 * 1024); // over the JSON body limit, which uploads do not go by
    expect(data.byteLength).toBeGreaterThan(LIMITS.requestBodyBytes);
    const before = Date.now();
    const media = await uploaded(key, data, "image/jpeg", "?filename=cat%20photo.jpg");
    expect(media).toMatchObject({ content_type: "image/jpeg", filename: "cat photo.jpg", size: data.byteLength });
    expect(media.id).toMatch(/^med_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Date.parse(media.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(media.url.startsWith(`${env.PUBLIC_BASE_URL}/media/${media.id}?`)).toBe(true);
    const expiresAt = Date.parse(media.url_expires_at);
    expect(expiresAt - Date.now()).toBeGreaterThan((LIMITS.mediaUrlTtlSeconds - 60) * 1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(LIMITS.mediaUrlTtlSeconds * 1000);
    expect(await storedKeys(accountId)).toEqual([`acct/${accountId}/${media.id}`]);

    const served = await viaUrl(media.url);
    expect(served.status).toBe(200);
    expect(served.body).toEqual(data);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("content-length")).toBe(String(data.byteLength));
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toBe(`private, max-age=${LIMITS.mediaCacheSeconds}`);
    expect(served.headers.get("content-disposition")).toBe(`inline; filename="cat photo.jpg"; filename*=UTF-8''cat%20photo.jpg`);
  });

  it("takes a file exactly at the limit, and refuses one byte more with 413, storing nothing", async () => {
    const { id: accountId, key } = await newAccount();
    const atLimit = await uploaded(key, bytes(LIMITS.mediaBytes), "video/mp4");
    expect(atLimit.size).toBe(LIMITS.mediaBytes);

    const over = await upload(key, bytes(LIMITS.mediaBytes + 1), "video/mp4");
    expect(errorPaths(problemOf(over, 413))).toEqual(["body"]);
    // Without a Content-Length (a streamed upload) the bytes are counted as they arrive.
    const data = bytes(LIMITS.mediaBytes + 1);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < data.byteLength; at += 64 * 1024) controller.enqueue(data.slice(at, at + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await fetchApp("POST", "/v1/media", { key, body: stream, headers: { "content-type": "video/mp4" } });
    expect(errorPaths(problemOf(streamed, 413))).toEqual(["body"]);
    expect(await storedKeys(accountId)).toEqual([`acct/${accountId}/${atLimit.id}`]);
  });

  it("needs a usable content type, named as the field at fault", async () => {
    const { id: accountId, key } = await newAccount();
    const data = bytes(100);
    for (const type of [undefined, "", "jpeg", "image/*", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]) {
      const res = await upload(key, data, type);
      expect(errorPaths(problemOf(res, 415)), String(type)).toEqual(["header.content-type"]);
    }
    // Parameters are dropped and the type lowercased: what a message's media[].content_type takes.
    expect((await uploaded(key, data, "Text/Plain; charset=utf-8")).content_type).toBe("text/plain");
    expect(await storedKeys(accountId)).toHaveLength(1);
  });

  it("refuses an empty file, a filename with a newline, and a call without an API key", async () => {
    const { id: accountId, key } = await newAccount();
    expect(errorPaths(problemOf(await upload(key, new Uint8Array(0), "image/png"), 422))).toEqual(["body"]);
    expect(errorPaths(problemOf(await upload(key, bytes(10), "image/png", "?filename=a%0Ab.png"), 400))).toEqual(["query.filename"]);
    expect(errorPaths(problemOf(await upload(key, bytes(10), "image/png", "?filename=..%2Fetc.png"), 400))).toEqual(["query.filename"]);
    problemOf(await upload("", bytes(10), "image/png"), 401);
    problemOf(await upload(ADMIN, bytes(10), "image/png"), 401);
    expect(await storedKeys(accountId)).toEqual([]);
  });
});

describe("GET and DELETE /v1/media/{media_id}", () => {
  it("reads the resource with a fresh signed URL; DELETE removes it and its URLs answer 404", async () => {
    const { key } = await newAccount();
    const data = bytes(2048);
    const media = await uploaded(key, data, "audio/ogg");
    const got = await call("GET", `/v1/media/${media.id}`, { key });
    expect(got.status).toBe(200);
    const { url, url_expires_at, ...rest } = got.json;
    const { url: _u, url_expires_at: _e, ...uploadedRest } = media;
    expect(rest).toEqual({ ...uploadedRest, filename: null });
    expect((await viaUrl(url)).body).toEqual(data);

    expect((await call("DELETE", `/v1/media/${media.id}`, { key })).status).toBe(204);
    problemOf(await viaUrl(media.url), 404);
    expect((await viaUrl(url, "HEAD")).status).toBe(404);
    problemOf(await call("GET", `/v1/media/${media.id}`, { key }), 404);
    problemOf(await call("DELETE", `/v1/media/${media.id}`, { key }), 404);
  });

  it("answers 404 for another account's media, an unknown id and a malformed one, and leaves the owner's alone", async () => {
    const a = await newAccount("a");
    const b = await newAccount("b");
    const media = await uploaded(a.key, bytes(64), "image/png");
    problemOf(await call("GET", `/v1/media/${media.id}`, { key: b.key }), 404);
    problemOf(await call("DELETE", `/v1/media/${media.id}`, { key: b.key }), 404);
    problemOf(await call("GET", "/v1/media/med_01JD5V7J3E9Q8M2K4N6P0R1S2T", { key: a.key }), 404);
    problemOf(await call("GET", "/v1/media/nope", { key: a.key }), 404);
    expect((await call("GET", `/v1/media/${media.id}`, { key: a.key })).status).toBe(200);
    expect((await viaUrl(media.url)).status).toBe(200);
    // B's own signed URL, pointed at A's media id, is not a URL for it.
    const mine = new URL((await uploaded(b.key, bytes(64), "image/png")).url);
    const borrowed = await fetchApp("GET", `/media/${media.id}${mine.search}`);
    problemOf(borrowed, 403);
  });
});

describe("GET /media/{media_id} (signed URL)", () => {
  it("is 403 for a tampered signature, account, id or expiry, and for an expired URL", async () => {
    const { id: accountId, key } = await newAccount();
    const other = await newAccount("other");
    const media = await uploaded(key, bytes(128), "image/gif");
    const u = new URL(media.url);
    const q = Object.fromEntries(u.searchParams) as { account: string; expires: string; signature: string };
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const cases: Record<string, string> = {
      signature: signedPath(media.id, q.account, Number(q.expires), flip(q.signature)),
      "signature cut": signedPath(media.id, q.account, Number(q.expires), q.signature.slice(0, 20)),
      "not base64": signedPath(media.id, q.account, Number(q.expires), "!!!"),
      account: signedPath(media.id, other.id, Number(q.expires), q.signature),
      expiry: signedPath(media.id, q.account, Number(q.expires) + 3600, q.signature),
      id: signedPath("med_01JD5V7J3E9Q8M2K4N6P0R1S2T", q.account, Number(q.expires), q.signature),
    };
    for (const [what, path] of Object.entries(cases)) {
      const p = problemOf(await fetchApp("GET", path), 403);
      expect(errorPaths(p), what).toEqual(["query.signature"]);
    }
    // Missing parts are a malformed URL.
    problemOf(await fetchApp("GET", `/media/${media.id}?account=${accountId}&expires=${q.expires}`), 400);

    // The recipe, computed independently: a future expiry serves, a past one is 403 as expired.
    const now = Math.floor(Date.now() / 1000);
    const good = await fetchApp("GET", signedPath(media.id, accountId, now + 600, await signByHand(env.ADMIN_TOKEN!, media.id, accountId, now + 600)));
    expect(good.status).toBe(200);
    expect(good.headers.get("cache-control")).toMatch(/^private, max-age=(59\d|600)$/);
    const expired = problemOf(await fetchApp("GET", signedPath(media.id, accountId, now - 10, await signByHand(env.ADMIN_TOKEN!, media.id, accountId, now - 10))), 403);
    expect(expired.detail).toContain("expired");
    // The root secret used as-is (no derivation label) is not the media key.
    const raw = await signByHand(env.ADMIN_TOKEN!, media.id, accountId, now + 600, null);
    problemOf(await fetchApp("GET", signedPath(media.id, accountId, now + 600, raw)), 403);
  });

  it("serves images, audio and video inline and anything else, SVG included, as an attachment", async () => {
    const { key } = await newAccount();
    const html = new TextEncoder().encode("<script>alert(document.cookie)</script>");
    const cases: [type: string, disposition: string][] = [
      ["text/html", "attachment"],
      ["image/svg+xml", "attachment"],
      ["application/pdf", "attachment"],
      ["image/png", "inline"],
      ["audio/mpeg", "inline"],
      ["video/mp4", "inline"],
    ];
    for (const [type, expected] of cases) {
      const media = await uploaded(key, html, type, "?filename=r%C3%A9sum%C3%A9%22.html");
      const served = await viaUrl(media.url);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type"), type).toBe(type);
      expect(served.headers.get("content-disposition"), type).toBe(`${expected}; filename="r_sum__.html"; filename*=UTF-8''r%C3%A9sum%C3%A9%22.html`);
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(served.headers.get("content-security-policy")).toBe("sandbox");
    }
    const bare = await uploaded(key, html, "text/html");
    expect((await viaUrl(bare.url)).headers.get("content-disposition")).toBe("attachment");
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const { key } = await newAccount();
    const data = bytes(4096);
    const media = await uploaded(key, data, "image/webp");
    const head = await viaUrl(media.url, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    expect(head.headers.get("content-type")).toBe("image/webp");
    expect(head.headers.get("content-length")).toBe(String(data.byteLength));
    expect(head.headers.get("x-content-type-options")).toBe("nosniff");
    const u = new URL(media.url);
    expect((await fetchApp("HEAD", `${u.pathname}${u.search.replace(/signature=[^&]+/, "signature=AAAA")}`)).status).toBe(403);
  });
});

describe("the media helpers", () => {
  it("storeMedia takes a stream, and counts it against the limit", async () => {
    const { id: accountId } = await newAccount();
    const data = bytes(1000);
    const stream = new Blob([data]).stream();
    const media = await storeMedia(env, accountId, stream, "image/jpeg", "in.jpg");
    expect(media).toMatchObject({ content_type: "image/jpeg", filename: "in.jpg", size: 1000 });
    expect((await viaUrl(media.url)).body).toEqual(data);
    await expect(storeMedia(env, accountId, new Blob([bytes(LIMITS.mediaBytes + 1)]).stream(), "image/jpeg")).rejects.toMatchObject({ problem: { status: 413 } });
    await expect(storeMedia(env, accountId, data.buffer as ArrayBuffer, "")).rejects.toMatchObject({ problem: { status: 415 } });
    // A name from a provider or mail client is cleaned, not refused.
    const named = await storeMedia(env, accountId, data.buffer as ArrayBuffer, "application/pdf", "C:\\fakepath\\in\nvoice.pdf");
    expect(named.filename).toBe("invoice.pdf");
    expect((await storeMedia(env, accountId, data.buffer as ArrayBuffer, "application/pdf", "dir/\x00")).filename).toBeNull();
    // A deployment that cannot sign URLs stores nothing it could not hand out.
    await expect(storeMedia({ ...env, TOKEN_SECRET: undefined, ADMIN_TOKEN: undefined }, accountId, data.buffer as ArrayBuffer, "image/jpeg")).rejects.toMatchObject({ problem: { status: 503 } });
    expect(await storedKeys(accountId)).toHaveLength(3);
  });

  it("signedMediaUrl is https behind an https PUBLIC_BASE_URL, so a message's media takes it; mediaFromUrl reads it back", async () => {
    const { id: accountId, key } = await newAccount();
    const media = await uploaded(key, bytes(10), "image/png");
    const production = { ...env, PUBLIC_BASE_URL: "https://parley.example.com/" };
    const url = await signedMediaUrl(production, accountId, media.id, 600);
    expect(url.startsWith(`https://parley.example.com/media/${media.id}?account=${accountId}&expires=`)).toBe(true);
    expect(Media.safeParse({ url, content_type: media.content_type }).success).toBe(true);
    // The ttl is capped.
    const long = new URL(await signedMediaUrl(production, accountId, media.id, 10 * LIMITS.mediaUrlTtlSecondsMax));
    expect(Number(long.searchParams.get("expires")) - Date.now() / 1000).toBeLessThanOrEqual(LIMITS.mediaUrlTtlSecondsMax + 1);

    expect(await mediaFromUrl(production, url)).toEqual({ accountId, mediaId: media.id, expired: false });
    expect(await mediaFromUrl(production, url.replace("signature=", "signature=x"))).toBeNull();
    expect(await mediaFromUrl(production, url.replace("parley.example.com", "evil.example.com"))).toBeNull();
    expect(await mediaFromUrl(production, "https://example.com/cat.jpg")).toBeNull();
    const now = Math.floor(Date.now() / 1000);
    const old = `https://parley.example.com${signedPath(media.id, accountId, now - 60, await signByHand(env.ADMIN_TOKEN!, media.id, accountId, now - 60))}`;
    expect(await mediaFromUrl(production, old)).toEqual({ accountId, mediaId: media.id, expired: true });
    // Without PUBLIC_BASE_URL the origin must come from a request.
    const bare = { ...env, PUBLIC_BASE_URL: undefined };
    await expect(signedMediaUrl(bare, accountId, media.id, 60)).rejects.toThrow(/PUBLIC_BASE_URL/);
    expect((await signedMediaUrl(bare, accountId, media.id, 60, "https://api.example.org/v1/x")).startsWith("https://api.example.org/media/")).toBe(true);
  });
});

describe("the OpenAPI document", () => {
  it("has the media routes, the signed URL one without security, and the MediaResource schema", async () => {
    const doc = (await rawCall("GET", "/openapi.json")).json;
    expect(Object.keys(doc.paths["/v1/media"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/media/{media_id}"]).sort()).toEqual(["delete", "get"]);
    expect(doc.paths["/v1/media"].post.security).toEqual([{ ApiKey: [] }]);
    expect(Object.keys(doc.paths["/v1/media"].post.responses)).toEqual(expect.arrayContaining(["201", "401", "413", "415", "422"]));
    expect(Object.keys(doc.paths["/media/{media_id}"])).toEqual(["get"]);
    expect(doc.paths["/media/{media_id}"].get.security).toEqual([]);
    expect(Object.keys(doc.paths["/media/{media_id}"].get.responses)).toEqual(expect.arrayContaining(["200", "403", "404"]));
    expect(doc.components.schemas.MediaResource.required).toEqual(expect.arrayContaining(["id", "content_type", "filename", "size", "created_at", "url"]));
  });
});
