import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../src/lib/limits";
import { providerMedia, PROVIDER_MEDIA_TTL_SECONDS, resolveMedia } from "../src/media/messages";
import { signedMediaUrl } from "../src/media/signing";
import { storeMedia } from "../src/media/store";
import { call, env, errorPaths, newAccount, newConversation, problemOf, send } from "./helpers";

// Messages that reference uploads by media_id, and the URLs handed to providers.

const worker = (exports as unknown as { default: Fetcher }).default;

function bytes(n: number, seed = 3): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 17 + seed) & 0xff;
  return out;
}

async function upload(key: string, data: Uint8Array, contentType: string, filename?: string) {
  const query = filename ? `?filename=${encodeURIComponent(filename)}` : "";
  const res = await worker.fetch(`http://parley.test/v1/media${query}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType }, body: data });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; url: string; content_type: string };
}

/** The bytes a signed URL serves, fetched from the Worker without a key, whatever origin the URL names. */
async function served(url: string) {
  const u = new URL(url);
  const res = await worker.fetch(`http://parley.test${u.pathname}${u.search}`);
  return { status: res.status, type: res.headers.get("content-type"), body: new Uint8Array(await res.arrayBuffer()) };
}

const expiresIn = (url: string) => Number(new URL(url).searchParams.get("expires")) - Date.now() / 1000;

describe("a send's media by media_id", () => {
  it("is stored as a signed URL that serves the upload, with its type, filename and media_id", async () => {
    const { id: accountId, key } = await newAccount();
    const data = bytes(1000);
    const media = await upload(key, data, "image/png", "chart.png");
    const conv = await newConversation(key);
    const message = await send(key, conv.id, { body: "the chart", media: [{ media_id: media.id }, { url: "https://example.com/cat.jpg", content_type: "image/jpeg" }] });
    expect(message.media).toHaveLength(2);
    const [ours, theirs] = message.media;
    expect(ours).toMatchObject({ content_type: "image/png", filename: "chart.png", media_id: media.id });
    expect(ours.url).toContain(`/media/${media.id}?account=${accountId}&`);
    // Signed for as long as a URL may be: the message is what a client reads it from.
    expect(expiresIn(ours.url)).toBeGreaterThan(LIMITS.mediaUrlTtlSecondsMax - 60);
    expect(theirs).toEqual({ url: "https://example.com/cat.jpg", content_type: "image/jpeg" });

    const file = await served(ours.url);
    expect(file.status).toBe(200);
    expect(file.type).toBe("image/png");
    expect(file.body).toEqual(data);

    // Read back, it is the same.
    const read = (await call("GET", `/v1/conversations/${conv.id}/messages/${message.id}`, { key })).json;
    expect(read.media).toEqual(message.media);
  });

  it("a filename given wins over the upload's; the upload's content_type may be repeated, another is a 422 naming it", async () => {
    const { key } = await newAccount();
    const media = await upload(key, bytes(10), "application/pdf", "a.pdf");
    const conv = await newConversation(key);
    const named = await send(key, conv.id, { media: [{ media_id: media.id, filename: "invoice.pdf", content_type: "application/pdf" }] });
    expect(named.media[0]).toMatchObject({ filename: "invoice.pdf", content_type: "application/pdf", media_id: media.id });
    const p = problemOf(await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { media: [{ media_id: media.id, content_type: "image/png" }] } }), 422);
    expect(errorPaths(p)).toEqual(["body.media[0].content_type"]);
  });

  it("another account's media_id is a 404 naming the field, as an unknown or malformed one; nothing is stored", async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const theirs = await upload(owner.key, bytes(10), "image/png");
    const conv = await newConversation(other.key);
    const mine = await upload(other.key, bytes(10), "image/png");
    for (const media_id of [theirs.id, "med_01JD5V7J3E9Q8M2K4N6P0R1S2T", "not-an-id"]) {
      const p = problemOf(await call("POST", `/v1/conversations/${conv.id}/messages`, { key: other.key, body: { body: "x", media: [{ media_id: mine.id }, { media_id }] } }), 404);
      expect(errorPaths(p)).toEqual(["body.media[1].media_id"]);
      expect(p.detail).toBe("media not found");
    }
    expect((await call("GET", `/v1/conversations/${conv.id}/messages`, { key: other.key })).json.data).toEqual([]);
  });

  it("exactly one of url and media_id; a url needs its content_type (422s naming the field)", async () => {
    const { key } = await newAccount();
    const media = await upload(key, bytes(10), "image/png");
    const conv = await newConversation(key);
    const attempt = async (item: Record<string, unknown>) =>
      errorPaths(problemOf(await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "x", media: [item] } }), 422));
    expect(await attempt({ media_id: media.id, url: "https://example.com/a.png", content_type: "image/png" })).toEqual(["body.media[0].media_id"]);
    expect(await attempt({ content_type: "image/png" })).toEqual(["body.media[0].url"]);
    expect(await attempt({ url: "https://example.com/a.png" })).toEqual(["body.media[0].content_type"]);
    // A URL still has to be https: ours are http on this machine, which is why media_id exists.
    expect(await attempt({ url: media.url, content_type: "image/png" })).toEqual(["body.media[0].url"]);
  });

  it("the first message of a create takes media_ids too; errors name body.message.media[i]", async () => {
    const { key } = await newAccount();
    const other = await newAccount();
    const media = await upload(key, bytes(64), "audio/ogg");
    const created = await newConversation(key, { message: { body: "listen", media: [{ media_id: media.id }] } });
    const history = (await call("GET", `/v1/conversations/${created.id}/messages`, { key })).json.data;
    expect(history[0].media[0]).toMatchObject({ media_id: media.id, content_type: "audio/ogg" });
    expect((await served(history[0].media[0].url)).status).toBe(200);

    const foreign = await upload(other.key, bytes(8), "image/png");
    const p = problemOf(await call("POST", "/v1/conversations", { key, body: { message: { media: [{ media_id: foreign.id }] } } }), 404);
    expect(errorPaths(p)).toEqual(["body.message.media[0].media_id"]);
  });

  it("an Idempotency-Key retry replays the first message (fingerprinted as sent, not as resolved); another body is a 422", async () => {
    const { key } = await newAccount();
    const media = await upload(key, bytes(20), "image/gif");
    const conv = await newConversation(key);
    const body = { body: "once", media: [{ media_id: media.id }] };
    const headers = { "idempotency-key": "media-send-1" };
    const first = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body, headers });
    expect(first.status).toBe(201);
    // A second later the resolved URL would be signed differently: the replay still matches.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    const changed = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { ...body, body: "twice" }, headers });
    expect(errorPaths(problemOf(changed, 422))).toEqual(["header.idempotency-key"]);
    expect((await call("GET", `/v1/conversations/${conv.id}/messages`, { key })).json.data).toHaveLength(1);
  });

  it("resolveMedia: a url that is already one of the account's signed URLs gets its media_id and a fresh URL; another account's is kept", async () => {
    const production = { ...env, PUBLIC_BASE_URL: "https://parley.example.com" };
    const { id: accountId } = await newAccount();
    const { id: otherId } = await newAccount();
    const mine = await storeMedia(production, accountId, bytes(5).buffer as ArrayBuffer, "image/png");
    const theirs = await storeMedia(production, otherId, bytes(5).buffer as ArrayBuffer, "image/png");
    const short = await signedMediaUrl(production, accountId, mine.id, 60);
    const resolved = await resolveMedia(production, accountId, [
      { url: short, content_type: "image/png" },
      { url: theirs.url, content_type: "image/png" },
    ], "body.media");
    expect(resolved![0]).toMatchObject({ media_id: mine.id, content_type: "image/png" });
    expect(expiresIn(resolved![0]!.url)).toBeGreaterThan(LIMITS.mediaUrlTtlSecondsMax - 60);
    expect(resolved![1]).toEqual({ url: theirs.url, content_type: "image/png" });
  });
});

describe("providerMedia", () => {
  it("re-signs the account's own media for an hour, leaves other URLs, and drops what is unavailable", async () => {
    const production = { ...env, PUBLIC_BASE_URL: "https://parley.example.com" };
    const { id: accountId } = await newAccount();
    const { id: otherId } = await newAccount();
    const mine = await storeMedia(production, accountId, bytes(5).buffer as ArrayBuffer, "image/png");
    const theirs = await storeMedia(production, otherId, bytes(5).buffer as ArrayBuffer, "image/png");
    // A stored URL long expired, recognised by its signature alone (no media_id), and one by media_id.
    const now = Math.floor(Date.now() / 1000);
    const expired = (await signedMediaUrl(production, accountId, mine.id, 1)).replace(/expires=\d+/, `expires=${now - 3600}`);
    const input = [
      { url: "https://example.com/cat.jpg", content_type: "image/jpeg" },
      { url: "https://old.example/whatever", content_type: "image/png", media_id: mine.id, filename: "a.png" },
      { url: theirs.url, content_type: "image/png" },
      { url: "meta-media:123", content_type: "image/jpeg", unavailable: { code: "too_large", reason: "big" } },
    ];
    const out = await providerMedia(production, accountId, input);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual(input[0]);
    expect(out[1]).toMatchObject({ content_type: "image/png", media_id: mine.id, filename: "a.png" });
    expect(out[1]!.url.startsWith(`https://parley.example.com/media/${mine.id}?account=${accountId}&`)).toBe(true);
    expect(expiresIn(out[1]!.url)).toBeGreaterThan(PROVIDER_MEDIA_TTL_SECONDS - 60);
    expect(expiresIn(out[1]!.url)).toBeLessThanOrEqual(PROVIDER_MEDIA_TTL_SECONDS + 1);
    expect(out[2]).toEqual(input[2]);

    // The expired one: the signature is bad after editing the expiry, so sign one honestly in the past instead.
    const [byUrl] = await providerMedia(production, accountId, [{ url: await pastUrl(production, accountId, mine.id), content_type: "image/png" }]);
    expect(byUrl).toMatchObject({ media_id: mine.id });
    expect(expiresIn(byUrl!.url)).toBeGreaterThan(PROVIDER_MEDIA_TTL_SECONDS - 60);
    expect((await served(byUrl!.url)).status).toBe(200);
    // A tampered URL is not ours, and goes out as it is.
    expect(await providerMedia(production, accountId, [{ url: expired, content_type: "image/png" }])).toEqual([{ url: expired, content_type: "image/png" }]);
  });
});

/** A genuinely signed URL of ours that expired a minute ago (signed by moving the clock back). */
async function pastUrl(e: typeof env, accountId: string, mediaId: string): Promise<string> {
  const realNow = Date.now;
  Date.now = () => realNow() - 3_600_000;
  try {
    return await signedMediaUrl(e, accountId, mediaId, 60);
  } finally {
    Date.now = realNow;
  }
}

describe("the OpenAPI document", () => {
  it("documents media_id on a send's media and on a message's", async () => {
    const doc = (await call("GET", "/openapi.json")).json;
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.Media.properties)).toEqual(expect.arrayContaining(["url", "media_id", "content_type", "filename"]));
    expect(Object.keys(schemas.MessageMedia.properties)).toEqual(expect.arrayContaining(["url", "content_type", "filename", "media_id", "unavailable"]));
    expect(schemas.MessageMedia.required).toEqual(expect.arrayContaining(["url", "content_type"]));
    expect(JSON.stringify(schemas.Message.properties.media)).toContain("MessageMedia");
  });
});
