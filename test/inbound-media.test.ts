import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mailgunSignature } from "../src/channels/providers/mailgun";
import { metaSignature } from "../src/channels/providers/meta";
import { twilioSignature } from "../src/channels/providers/twilio";
import simWorker from "../sim/worker";
import type { SimChannel } from "../sim/payloads";
import type { SimFile } from "../sim/state";
import app from "../src/index";
import { LIMITS } from "../src/lib/limits";
import { bodies, connect, history, SECRETS, threadOf } from "./channel-fixtures";
import { env, newAccount, rawCall } from "./helpers";

// A customer's media, copied from the provider into R2 before the message is stored: the stored
// message points at our signed URL and media_id. The providers are faked by intercepting the
// Worker's fetch: each fake checks the credentials the real one would.

const worker = (exports as unknown as { default: Fetcher }).default;
const CUSTOMER = "+14155550142";

type Seen = { url: string; authorization: string | null };

/** The fake providers: `routes` answers by URL (an exact match, else a prefix); everything else passes through. */
const fake = {
  seen: [] as Seen[],
  routes: new Map<string, (request: Request) => Response | Promise<Response>>(),
};
const FAKE_HOSTS = new Set(["graph.facebook.com", "lookaside.fbsbx.com", "api.twilio.com", "mms.twiliocdn.com", "storage.mailgun.net", "scontent.xx.fbcdn.net"]);
const realFetch = globalThis.fetch;

/** The provider simulator (sim/worker.ts) on its development address, run in this isolate over an in-memory state. */
const SIM = "http://127.0.0.1:8788";
const simState = { channels: [] as SimChannel[], files: new Map<string, SimFile>() };
const simEnv = {
  STATE: {
    idFromName: () => "simulator",
    get: () => ({
      channels: async () => simState.channels,
      setChannels: async (c: SimChannel[]) => void (simState.channels = c),
      file: async (id: string) => simState.files.get(id),
      putFile: async (id: string, file: SimFile) => void simState.files.set(id, file),
      log: async () => {},
      recent: async () => [],
      attempt: async () => 1,
    }),
  },
  RECEIPT_DELAY_MS: "0",
};
const simCtx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

beforeEach(() => {
  fake.seen = [];
  fake.routes = new Map();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    // The simulator's traffic: to it (Parley fetching media), and from it (its posts to Parley's inbound URLs).
    if (url.origin === SIM) {
      fake.seen.push({ url: request.url, authorization: request.headers.get("authorization") });
      return simWorker.fetch(request, simEnv as never, simCtx as never);
    }
    if (url.origin === env.PUBLIC_BASE_URL) return worker.fetch(`http://parley.test${url.pathname}${url.search}`, request);
    if (!FAKE_HOSTS.has(url.host)) return realFetch(input, init);
    fake.seen.push({ url: request.url, authorization: request.headers.get("authorization") });
    const route = fake.routes.get(request.url) ?? [...fake.routes].find(([prefix]) => request.url.startsWith(prefix))?.[1];
    return route ? route(request) : new Response("not found", { status: 404 });
  });
});
afterEach(() => vi.restoreAllMocks());

/** Bytes that are not all alike, so a truncated or reordered copy shows. */
function bytes(n: number, seed = 11): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 29 + seed + (i >> 7)) & 0xff;
  return out;
}

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const storedObjects = async (accountId: string) => (await env.MEDIA.list({ prefix: `acct/${accountId}/` })).objects;

/** The bytes a signed URL serves, fetched from the Worker without a key. */
async function served(url: string) {
  const u = new URL(url);
  const res = await worker.fetch(`http://parley.test${u.pathname}${u.search}`);
  return { status: res.status, type: res.headers.get("content-type"), body: new Uint8Array(await res.arrayBuffer()) };
}

async function onlyMessage(key: string, accountId: string, channel: string, address: string) {
  const conversationId = await threadOf(accountId, channel, address);
  expect(conversationId).not.toBeNull();
  const messages = await history(key, conversationId!);
  expect(messages).toHaveLength(1);
  type Media = { url: string; content_type: string; filename?: string; media_id?: string; unavailable?: { code: string; reason: string } };
  return messages[0]! as Omit<(typeof messages)[number], "media"> & { media: Media[] };
}

// ---- WhatsApp (Cloud API) --------------------------------------------------------------------

const PHONE_NUMBER_ID = "106540352242922";

function whatsAppImage(id: string, mediaId: string, caption = "my broken parcel") {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: "Kerry Fisher" }, wa_id: "14155550142" }],
              messages: [{ from: "14155550142", id, timestamp: "1750000000", type: "image", image: { id: mediaId, mime_type: "image/jpeg", sha256: "x", caption } }],
            },
          },
        ],
      },
    ],
  };
}

async function metaPost(url: string, payload: unknown) {
  const raw = JSON.stringify(payload);
  return rawCall("POST", new URL(url).pathname, { body: raw, headers: { "content-type": "application/json", "x-hub-signature-256": (await metaSignature(raw, SECRETS.app_secret))! } });
}

/** The Graph's media lookup and the lookaside URL it names, both behind the channel's access token. */
function fakeWhatsAppMedia(mediaId: string, data: Uint8Array, fileSize: number | string = data.byteLength) {
  const lookaside = `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${mediaId}&ext=1750000000&hash=ATt`;
  const bearerOk = (r: Request) => r.headers.get("authorization") === `Bearer ${SECRETS.access_token}`;
  const graphError = () => new Response(JSON.stringify({ error: { message: "Invalid OAuth access token", type: "OAuthException", code: 190 } }), { status: 401 });
  fake.routes.set(`https://graph.facebook.com/v21.0/${mediaId}`, (r) =>
    bearerOk(r)
      ? Response.json({ messaging_product: "whatsapp", url: lookaside, mime_type: "image/jpeg", sha256: "x", file_size: fileSize, id: mediaId })
      : graphError(),
  );
  fake.routes.set(lookaside, (r) => (bearerOk(r) ? new Response(data, { headers: { "content-type": "image/jpeg" } }) : graphError()));
  return lookaside;
}

describe("inbound media: WhatsApp", () => {
  it("an image webhook ends with the image in R2 (the same bytes) and the message pointing at it; a retry fetches and stores nothing again", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    const data = bytes(3000);
    fakeWhatsAppMedia("1003383421387256", data);
    const payload = whatsAppImage("wamid.IMAGE1", "1003383421387256");
    const res = await metaPost(channel.inbound_url, payload);
    expect(res.status).toBe(200);
    // Both requests carried the access token.
    expect(fake.seen.map((s) => [new URL(s.url).host, s.authorization])).toEqual([
      ["graph.facebook.com", `Bearer ${SECRETS.access_token}`],
      ["lookaside.fbsbx.com", `Bearer ${SECRETS.access_token}`],
    ]);

    const message = await onlyMessage(key, accountId, "whatsapp", CUSTOMER);
    expect(message.body).toBe("my broken parcel");
    expect(message.media).toHaveLength(1);
    const [image] = message.media;
    expect(image).toMatchObject({ content_type: "image/jpeg", media_id: expect.stringMatching(/^med_/) });
    expect(image!.url).toContain(`/media/${image!.media_id}?account=${accountId}&`);
    expect(image!.unavailable).toBeUndefined();
    const file = await served(image!.url);
    expect(file.status).toBe(200);
    expect(file.type).toBe("image/jpeg");
    expect(file.body).toEqual(data);
    // The media resource is the account's like an upload.
    const resource = await rawCall("GET", `/v1/media/${image!.media_id}`, { key });
    expect(resource.json).toMatchObject({ id: image!.media_id, content_type: "image/jpeg", size: data.byteLength });
    expect((await storedObjects(accountId)).map((o) => o.key)).toEqual([`acct/${accountId}/${image!.media_id}`]);

    fake.seen = [];
    expect((await metaPost(channel.inbound_url, payload)).status).toBe(200);
    expect(fake.seen).toEqual([]);
    expect(await storedObjects(accountId)).toHaveLength(1);
    expect((await onlyMessage(key, accountId, "whatsapp", CUSTOMER)).media[0]!.media_id).toBe(image!.media_id);
  });

  it("a transient failure (the Graph's 5xx) answers 5xx and stores nothing; the provider's retry stores the message once", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    const data = bytes(500);
    fake.routes.set("https://graph.facebook.com/v21.0/777", () => new Response(JSON.stringify({ error: { message: "Service temporarily unavailable", code: 2, is_transient: true } }), { status: 503 }));
    const payload = whatsAppImage("wamid.IMAGE2", "777");
    const failed = await metaPost(channel.inbound_url, payload);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const conversationId = await threadOf(accountId, "whatsapp", CUSTOMER);
    // The thread is claimed before its conversation is created: there may be none yet, and no message in any.
    if (conversationId) {
      const res = await rawCall("GET", `/v1/conversations/${conversationId}/messages`, { key });
      expect(res.status === 404 || res.json.data.length === 0).toBe(true);
    }
    expect(await storedObjects(accountId)).toEqual([]);

    // Graph's throttling comes as a 400 with a code that means "later": transient too.
    fake.routes.set("https://graph.facebook.com/v21.0/777", () => new Response(JSON.stringify({ error: { message: "rate limit", code: 80007 } }), { status: 400 }));
    expect((await metaPost(channel.inbound_url, payload)).status).toBeGreaterThanOrEqual(500);

    fakeWhatsAppMedia("777", data);
    expect((await metaPost(channel.inbound_url, payload)).status).toBe(200);
    const message = await onlyMessage(key, accountId, "whatsapp", CUSTOMER);
    expect((await served(message.media[0]!.url)).body).toEqual(data);
  });

  it("a file over the limit is not fetched: the message is stored with it marked unavailable (too_large)", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    fakeWhatsAppMedia("888", bytes(10), String(LIMITS.mediaBytes + 1));
    expect((await metaPost(channel.inbound_url, whatsAppImage("wamid.BIG", "888", "a video"))).status).toBe(200);
    const message = await onlyMessage(key, accountId, "whatsapp", CUSTOMER);
    expect(message.body).toBe("a video");
    expect(message.media).toEqual([{ url: "meta-media:888", content_type: "image/jpeg", unavailable: { code: "too_large", reason: expect.stringContaining(String(LIMITS.mediaBytes)) } }]);
    expect(fake.seen.map((s) => new URL(s.url).host)).toEqual(["graph.facebook.com"]);
    expect(await storedObjects(accountId)).toEqual([]);
  });

  it("a media id the Graph refuses (a 4xx: expired, or the token revoked) is stored as unavailable (refused)", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    // No route: the fake Graph answers 404.
    expect((await metaPost(channel.inbound_url, whatsAppImage("wamid.GONE", "999"))).status).toBe(200);
    const message = await onlyMessage(key, accountId, "whatsapp", CUSTOMER);
    expect(message.media[0]).toMatchObject({ url: "meta-media:999", unavailable: { code: "refused" } });
  });
});

describe("inbound media: Messenger", () => {
  it("an attachment on Meta's CDN (public, but only for a while) is copied too, typed by what the CDN serves when Meta names only the kind", async () => {
    const { id: accountId, key } = await newAccount();
    const page = "1234567890123";
    const psid = "24680135792468";
    const channel = await connect(key, bodies.messenger(page));
    const data = bytes(900, 4);
    const cdn = "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.png?_nc_cat=1&oh=abc&oe=68000000";
    fake.routes.set(cdn, (r) => (r.headers.get("authorization") === null ? new Response(data, { headers: { "content-type": "image/png" } }) : new Response("no", { status: 400 })));
    const now = Date.now();
    const payload = {
      object: "page",
      entry: [{ id: page, time: now, messaging: [{ sender: { id: psid }, recipient: { id: page }, timestamp: now, message: { mid: "m_photo1", attachments: [{ type: "image", payload: { url: cdn } }] } }] }],
    };
    expect((await metaPost(channel.inbound_url, payload)).status).toBe(200);
    const message = await onlyMessage(key, accountId, "messenger", psid);
    expect(message.media).toEqual([{ url: expect.stringContaining("/media/med_"), content_type: "image/png", media_id: expect.stringMatching(/^med_/) }]);
    expect((await served(message.media[0]!.url)).body).toEqual(data);
  });
});

// ---- Twilio MMS ------------------------------------------------------------------------------

async function twilioPost(url: string, fields: Record<string, string>) {
  const params = new URLSearchParams(fields);
  const signature = (await twilioSignature(SECRETS.auth_token, url, params))!;
  return rawCall("POST", new URL(url).pathname, { body: params.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } });
}

const mms = (sender: string, sid: string, media: { url: string; type: string }[], body = "") => ({
  MessageSid: sid,
  SmsSid: sid,
  AccountSid: SECRETS.account_sid,
  From: CUSTOMER,
  To: sender,
  Body: body,
  NumMedia: String(media.length),
  ...Object.fromEntries(media.flatMap((m, i) => [[`MediaUrl${i}`, m.url], [`MediaContentType${i}`, m.type]])),
});

/** Twilio's media URL: basic auth with the account's SID and token, then a redirect to its CDN, which must not see the credentials. */
function fakeTwilioMedia(sid: string, me: string, data: Uint8Array, type: string) {
  const url = `https://api.twilio.com/2010-04-01/Accounts/${SECRETS.account_sid}/Messages/${sid}/Media/${me}`;
  const cdn = `https://mms.twiliocdn.com/${SECRETS.account_sid}/${me}?Expires=1&Signature=abc`;
  fake.routes.set(url, (r) =>
    r.headers.get("authorization") === basic(SECRETS.account_sid, SECRETS.auth_token)
      ? new Response(null, { status: 307, headers: { location: cdn } })
      : new Response(JSON.stringify({ code: 20003, message: "Authenticate", status: 401 }), { status: 401 }),
  );
  fake.routes.set(cdn, (r) => (r.headers.get("authorization") === null ? new Response(data, { headers: { "content-type": type } }) : new Response("credentials sent to the CDN", { status: 400 })));
  return url;
}

describe("inbound media: Twilio", () => {
  it("an MMS webhook's media are fetched with basic auth, through Twilio's redirect, into R2", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const sid = "MM00000000000000000000000000000001";
    const png = bytes(2048, 1);
    const jpeg = bytes(700, 2);
    const first = fakeTwilioMedia(sid, "ME00000000000000000000000000000001", png, "image/png");
    const second = fakeTwilioMedia(sid, "ME00000000000000000000000000000002", jpeg, "image/jpeg");
    const res = await twilioPost(channel.inbound_url, mms("+14155550100", sid, [{ url: first, type: "image/png" }, { url: second, type: "image/jpeg" }], "two photos"));
    expect(res.status).toBe(200);
    expect(fake.seen.filter((s) => s.url.startsWith("https://api.twilio.com/")).every((s) => s.authorization === basic(SECRETS.account_sid, SECRETS.auth_token))).toBe(true);
    expect(fake.seen.filter((s) => s.url.startsWith("https://mms.twiliocdn.com/")).map((s) => s.authorization)).toEqual([null, null]);

    const message = await onlyMessage(key, accountId, "mms", CUSTOMER);
    expect(message.channel).toBe("mms");
    expect(message.media.map((m) => m.content_type)).toEqual(["image/png", "image/jpeg"]);
    expect((await served(message.media[0]!.url)).body).toEqual(png);
    expect((await served(message.media[1]!.url)).body).toEqual(jpeg);
    expect(new Set(message.media.map((m) => m.media_id)).size).toBe(2);
    expect(await storedObjects(accountId)).toHaveLength(2);
  });

  it("a MediaUrl that is not https is not fetched (unreachable), and one that grows past the limit while read is too_large; the text is stored", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const sid = "MM00000000000000000000000000000002";
    const big = `https://api.twilio.com/2010-04-01/Accounts/${SECRETS.account_sid}/Messages/${sid}/Media/ME3`;
    // No Content-Length: the limit is found while reading.
    fake.routes.set(big, () => new Response(new Blob([bytes(LIMITS.mediaBytes + 10)]).stream(), { headers: { "content-type": "video/mp4" } }));
    const res = await twilioPost(channel.inbound_url, mms("+14155550100", sid, [{ url: "http://example.com/a.jpg", type: "image/jpeg" }, { url: big, type: "video/mp4" }], "see attached"));
    expect(res.status).toBe(200);
    const message = await onlyMessage(key, accountId, "mms", CUSTOMER);
    expect(message.body).toBe("see attached");
    expect(message.media).toEqual([
      { url: "http://example.com/a.jpg", content_type: "image/jpeg", unavailable: { code: "unreachable", reason: expect.any(String) } },
      { url: big, content_type: "video/mp4", unavailable: { code: "too_large", reason: expect.any(String) } },
    ]);
    expect(fake.seen.map((s) => s.url)).toEqual([big]);
    expect(await storedObjects(accountId)).toEqual([]);
  });
});

describe("inbound media: Twilio, when the media fetch fails for now", () => {
  it("is not a 5xx (Twilio would not retry the webhook, and the text would be lost): the message is stored, the file marked failed", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const sid = "MM00000000000000000000000000000003";
    const url = `https://api.twilio.com/2010-04-01/Accounts/${SECRETS.account_sid}/Messages/${sid}/Media/ME4`;
    fake.routes.set(url, () => new Response(JSON.stringify({ code: 20500, message: "Internal Server Error", status: 500 }), { status: 500 }));
    expect((await twilioPost(channel.inbound_url, mms("+14155550100", sid, [{ url, type: "image/jpeg" }], "look"))).status).toBe(200);
    const message = await onlyMessage(key, accountId, "mms", CUSTOMER);
    expect(message.body).toBe("look");
    expect(message.media).toEqual([{ url, content_type: "image/jpeg", unavailable: { code: "failed", reason: expect.stringContaining("500") } }]);
  });
});

// ---- Mailgun ---------------------------------------------------------------------------------

describe("inbound media: Mailgun", () => {
  it("a forward() post's attachment part is stored in R2 with its type and filename", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.mailgun("mg.example.com"));
    const pdf = bytes(4000, 5);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = "m".repeat(50);
    const form = new FormData();
    const fields: Record<string, string> = {
      "Message-Id": "<att1@mail.example.com>",
      from: "Pat Doe <pat@example.com>",
      recipient: "support@mg.example.com",
      subject: "Invoice",
      "body-plain": "Here it is",
      "stripped-text": "Here it is",
      "attachment-count": "1",
      timestamp,
      token,
      signature: (await mailgunSignature(SECRETS.signing_key, timestamp, token))!,
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("attachment-1", new File([pdf], "invoice.pdf", { type: "application/pdf" }));
    const res = await worker.fetch(`http://parley.test${new URL(channel.inbound_url).pathname}`, { method: "POST", body: form });
    expect(res.status).toBe(200);

    const message = await onlyMessage(key, accountId, "email", "pat@example.com");
    expect(message.media).toEqual([{ url: expect.stringContaining("/media/med_"), content_type: "application/pdf", filename: "invoice.pdf", media_id: expect.stringMatching(/^med_/) }]);
    const file = await served(message.media[0]!.url);
    expect(file.body).toEqual(pdf);
    expect(file.type).toBe("application/pdf");
    expect(fake.seen).toEqual([]);
  });
});

// ---- Email Routing ---------------------------------------------------------------------------

describe("inbound media: Email Routing", () => {
  it("a mail's attachments are stored in R2; a redelivery stores no second copy", async () => {
    const { id: accountId, key } = await newAccount();
    const address = `support@${crypto.randomUUID().slice(0, 8)}.example.com`;
    await connect(key, bodies.cloudflare(address));
    const png = bytes(1200, 9);
    const b64 = btoa(String.fromCharCode(...png)).replace(/.{76}/g, "$&\r\n");
    const raw = [
      "From: Pat Doe <pat@example.com>",
      `To: ${address}`,
      "Subject: Photo",
      "Message-ID: <photo1@mail.example.net>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The photo you asked for",
      "--b1",
      "Content-Type: image/png",
      'Content-Disposition: attachment; filename="parcel.png"',
      "Content-Transfer-Encoding: base64",
      "",
      b64,
      "--b1--",
      "",
    ].join("\r\n");
    const deliver = async () => {
      const rejected: string[] = [];
      const message: ForwardableEmailMessage = {
        from: "pat@example.com",
        to: address,
        raw: new Response(raw).body!,
        headers: new Headers(),
        rawSize: raw.length,
        canBeForwarded: true,
        setReject: (reason: string) => void rejected.push(reason),
        forward: async () => ({ messageId: "unused" }),
        reply: async () => ({ messageId: "unused" }),
      };
      await app.email!(message, env);
      return rejected;
    };
    expect(await deliver()).toEqual([]);
    const message = await onlyMessage(key, accountId, "email", "pat@example.com");
    expect(message.body).toBe("The photo you asked for");
    expect(message.media).toEqual([{ url: expect.stringContaining("/media/med_"), content_type: "image/png", filename: "parcel.png", media_id: expect.stringMatching(/^med_/) }]);
    expect((await served(message.media[0]!.url)).body).toEqual(png);

    expect(await deliver()).toEqual([]);
    expect(await storedObjects(accountId)).toHaveLength(1);
    await onlyMessage(key, accountId, "email", "pat@example.com");
  });
});

// ---- The provider simulator (sim/) -----------------------------------------------------------

describe("inbound media through the provider simulator", () => {
  /** The development channels' shape: base_url at the simulator, and the simulator told about them. */
  async function simChannels() {
    const { id: accountId, key } = await newAccount();
    const connected = [
      await connect(key, { ...bodies.twilioSms("+15005550006"), base_url: SIM }),
      await connect(key, { ...bodies.metaWhatsApp("106540352242922"), base_url: `${SIM}/v21.0` }),
      await connect(key, { ...bodies.messenger("109876543210987"), base_url: `${SIM}/v21.0` }),
      await connect(key, { ...bodies.mailgun("parley.test"), base_url: SIM }),
    ];
    const credentials = {
      twilio: { account_sid: SECRETS.account_sid, auth_token: SECRETS.auth_token },
      meta: { access_token: SECRETS.access_token, app_secret: SECRETS.app_secret, verify_token: SECRETS.verify_token },
      mailgun: { api_key: SECRETS.api_key, signing_key: SECRETS.signing_key },
    } as Record<string, Record<string, string>>;
    simState.channels = connected.map((c) => ({ id: c.id, type: c.type, provider: c.provider, sender: c.sender, inbound_url: c.inbound_url, credentials: credentials[c.provider]! }));
    return { accountId, key };
  }

  const say = async (body: Record<string, unknown>) => {
    const res = await simWorker.fetch(new Request(`${SIM}/_sim/say`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), simEnv as never, simCtx as never);
    return { status: res.status, json: (await res.json()) as any };
  };
  const base64 = (data: Uint8Array) => btoa(String.fromCharCode(...data));

  it("a customer's file on each channel lands in R2, fetched from the simulator the provider's way", async () => {
    const { accountId, key } = await simChannels();
    const cases = [
      { channel: "sms", from: "+14155550123", as: "mms", seen: [/\/2010-04-01\/Accounts\/AC\w+\/Messages\/MM\w+\/Media\/ME\w+$/, /\/_sim\/cdn\/ME\w+$/] },
      { channel: "whatsapp", from: "+14155550124", as: "whatsapp", seen: [/\/v21\.0\/\d+$/, /\/whatsapp_business\/attachments\/\?mid=\d+/] },
      { channel: "messenger", from: "5678901234", as: "messenger", seen: [/\/_sim\/cdn\/\w+$/] },
      { channel: "email", from: "pat@example.com", as: "email", seen: [] },
    ];
    for (const [i, c] of cases.entries()) {
      const data = bytes(1500 + i, 20 + i);
      fake.seen = [];
      const res = await say({ channel: c.channel, from: c.from, text: `photo on ${c.channel}`, media: [{ content_type: "image/png", data: base64(data), filename: "photo.png" }] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.parley.status).toBe(200);
      // Only what Parley fetched from the simulator (its own post to Parley is not to the simulator).
      expect(fake.seen.filter((s) => s.url.startsWith(SIM)).map((s) => s.url)).toEqual(c.seen.map((pattern) => expect.stringMatching(pattern)));
      const message = await onlyMessage(key, accountId, c.as, c.from);
      expect(message.media).toEqual([expect.objectContaining({ content_type: "image/png", media_id: expect.stringMatching(/^med_/) })]);
      expect((await served(message.media[0]!.url)).body).toEqual(data);
    }
  });

  it("the simulator's media routes check the providers' credentials", async () => {
    await simChannels();
    const id = "ME" + "a".repeat(32);
    simState.files.set(id, { content_type: "image/png", bytes: bytes(10) });
    simState.files.set("1234567890123456", { content_type: "image/png", bytes: bytes(10) });
    const sim = (path: string, headers: Record<string, string> = {}) => simWorker.fetch(new Request(`${SIM}${path}`, { headers, redirect: "manual" }), simEnv as never, simCtx as never);
    const twilioPath = `/2010-04-01/Accounts/${SECRETS.account_sid}/Messages/MM${"b".repeat(32)}/Media/${id}`;
    expect((await sim(twilioPath)).status).toBe(401);
    expect((await sim(twilioPath, { authorization: basic(SECRETS.account_sid, "wrong") })).status).toBe(401);
    const redirect = await sim(twilioPath, { authorization: basic(SECRETS.account_sid, SECRETS.auth_token) });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe(`${SIM}/_sim/cdn/${id}`);
    expect((await sim("/v21.0/1234567890123456")).status).toBe(400);
    expect((await sim("/v21.0/1234567890123456", { authorization: "Bearer wrong" })).status).toBe(401);
    const lookup = (await (await sim("/v21.0/1234567890123456", { authorization: `Bearer ${SECRETS.access_token}` })).json()) as { url: string; file_size: number; mime_type: string };
    expect(lookup).toMatchObject({ mime_type: "image/png", file_size: 10 });
    const path = new URL(lookup.url).pathname + new URL(lookup.url).search;
    expect((await sim(path)).status).toBe(400);
    expect((await sim(path, { authorization: `Bearer ${SECRETS.access_token}` })).status).toBe(200);
  });
});
