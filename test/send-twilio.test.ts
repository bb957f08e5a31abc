import { describe, expect, it } from "vitest";
import { formatBody, type Fetch, type OutboundMessage } from "../src/channels/outbound";
import { sendTwilio } from "../src/channels/providers/send-twilio";
import { smsSegments } from "../src/channels/providers/sms-segments";
import { SECRETS } from "./channel-fixtures";
import { basic, fakeProvider, json, transportFailureTests } from "./fake-provider";
import segments from "./vectors/sms_segments.json";
import webhooks from "./vectors/twilio_messaging_webhooks.json";

const channel = (type: "sms" | "mms" | "whatsapp" = "sms", sender = "+14155550100", baseUrl: string | null = "https://api.twilio.com") => ({
  type,
  provider: "twilio" as const,
  sender,
  baseUrl,
  credentials: { account_sid: SECRETS.account_sid, auth_token: SECRETS.auth_token },
});

const CALLBACK = "https://parley.example.com/v1/inbound/chan_01JD5V7J3E9Q8M2K4N6P0R1S2T";
const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ to: "+12028831111", body: "Your parcel is on its way", media: [], status_callback: CALLBACK, ...over });

/** The Message resource Twilio answers a create with (trimmed), its sid the one of the vectors' callbacks. */
const SID = webhooks.statusCallbacks.examples.delivered.parsed.MessageSid;
const created = () => json(201, { sid: SID, status: "queued", num_segments: "1", direction: "outbound-api" });

const form = (body: string) => new URLSearchParams(body);

describe("sendTwilio: the request, field by field", () => {
  it("SMS: POST Messages.json of the account, basic auth AccountSid:AuthToken, form-encoded To, From, Body, StatusCallback", async () => {
    const provider = fakeProvider(created);
    const result = await sendTwilio(channel(), message(), provider.fetch);
    expect(result).toEqual({ ok: true, provider_message_id: SID, segments: 1 });
    const [sent] = provider.requests;
    expect(provider.requests).toHaveLength(1);
    expect(sent!.method).toBe("POST");
    expect(sent!.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${SECRETS.account_sid}/Messages.json`);
    expect(sent!.headers.get("Authorization")).toBe(basic(SECRETS.account_sid, SECRETS.auth_token));
    expect(sent!.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect([...form(sent!.body)]).toEqual([
      ["To", "+12028831111"],
      ["From", "+14155550100"],
      ["Body", "Your parcel is on its way"],
      ["StatusCallback", CALLBACK],
    ]);
  });

  it("MMS: one MediaUrl per media, in order; no StatusCallback when none is given", async () => {
    const provider = fakeProvider(created);
    const media = [
      { url: "https://media.example.com/a.jpg", content_type: "image/jpeg" },
      { url: "https://media.example.com/b.png", content_type: "image/png" },
    ];
    expect(await sendTwilio(channel("mms"), message({ media, status_callback: undefined }), provider.fetch)).toEqual({ ok: true, provider_message_id: SID });
    const sent = form(provider.requests[0]!.body);
    expect(sent.getAll("MediaUrl")).toEqual(media.map((m) => m.url));
    expect(sent.get("Body")).toBe("Your parcel is on its way");
    expect(sent.has("StatusCallback")).toBe(false);
  });

  it("SMS cannot carry files: media go as links in the Body, counted in its segments", async () => {
    const provider = fakeProvider(created);
    const result = await sendTwilio(channel("sms"), message({ body: "", media: [{ url: "https://media.example.com/a.jpg", content_type: "image/jpeg" }] }), provider.fetch);
    const sent = form(provider.requests[0]!.body);
    expect(sent.has("MediaUrl")).toBe(false);
    expect(sent.get("Body")).toBe("https://media.example.com/a.jpg");
    expect(result).toMatchObject({ ok: true, segments: 1 });
  });

  it("WhatsApp through Twilio: both numbers prefixed whatsapp:, media as MediaUrl, no segments", async () => {
    const provider = fakeProvider(created);
    const result = await sendTwilio(channel("whatsapp"), message({ media: [{ url: "https://media.example.com/a.jpg", content_type: "image/jpeg" }] }), provider.fetch);
    expect(result).toEqual({ ok: true, provider_message_id: SID });
    const sent = form(provider.requests[0]!.body);
    expect(sent.get("To")).toBe("whatsapp:+12028831111");
    expect(sent.get("From")).toBe("whatsapp:+14155550100");
    expect(sent.getAll("MediaUrl")).toEqual(["https://media.example.com/a.jpg"]);
  });

  it("a Messaging Service sender goes as MessagingServiceSid; a channel's base_url (the simulator) is used", async () => {
    const provider = fakeProvider(created);
    const service = webhooks.statusCallbacks.examples.sent_messaging_service.parsed.MessagingServiceSid;
    await sendTwilio(channel("sms", service, "http://127.0.0.1:8788"), message(), provider.fetch);
    const sent = form(provider.requests[0]!.body);
    expect(sent.get("MessagingServiceSid")).toBe(service);
    expect(sent.has("From")).toBe(false);
    expect(provider.requests[0]!.url).toBe(`http://127.0.0.1:8788/2010-04-01/Accounts/${SECRETS.account_sid}/Messages.json`);
  });

  it("segments are counted on the Body sent: 161 GSM-7 characters are 2, a 🎉 makes 70 units UCS-2", async () => {
    const send = (body: string) => sendTwilio(channel(), message({ body }), fakeProvider(created).fetch);
    expect(await send("x".repeat(161))).toMatchObject({ segments: 2 });
    expect(await send(`🎉${"x".repeat(68)}`)).toMatchObject({ segments: 1 });
    expect(await send(`🎉${"x".repeat(69)}`)).toMatchObject({ segments: 2 });
  });
});

describe("sendTwilio: refusals", () => {
  /** Twilio's error document: {code, message, more_info, status}. */
  const twilioError = (status: number, code: number, text: string) => ({ code, message: text, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  it("a 400 is permanent with Twilio's code, its message and more_info: 21610 unsubscribed, 21211 invalid number", async () => {
    const unsubscribed = twilioError(400, 21610, "Attempt to send to unsubscribed recipient");
    expect(await sendTwilio(channel(), message(), fakeProvider(() => json(400, unsubscribed)).fetch)).toEqual({
      ok: false,
      retry: "permanent",
      code: "21610",
      reason: "Attempt to send to unsubscribed recipient https://www.twilio.com/docs/errors/21610",
    });
    const invalid = twilioError(400, 21211, "The 'To' number +1202 is not a valid phone number.");
    expect(await sendTwilio(channel(), message(), fakeProvider(() => json(400, invalid)).fetch)).toMatchObject({ ok: false, retry: "permanent", code: "21211" });
  });

  it("a 401 (wrong credentials) is permanent; 20429 too many requests and 21611 a full queue are transient", async () => {
    const auth = await sendTwilio(channel(), message(), fakeProvider(() => json(401, twilioError(401, 20003, "Authenticate"))).fetch);
    expect(auth).toMatchObject({ ok: false, retry: "permanent", code: "20003" });
    const queue = await sendTwilio(channel(), message(), fakeProvider(() => json(400, twilioError(400, 21611, "queue full"))).fetch);
    expect(queue).toMatchObject({ ok: false, retry: "transient", code: "21611" });
    const many = await sendTwilio(channel(), message(), fakeProvider(() => json(429, twilioError(429, 20429, "Too Many Requests"), { "Retry-After": "3" })).fetch);
    expect(many).toMatchObject({ ok: false, retry: "transient", code: "20429", retry_after_s: 3 });
  });

  transportFailureTests(
    (fetch) => sendTwilio(channel(), message(), fetch),
    (status) => twilioError(status, 20500, "Internal Server Error"),
  );
});

describe("SMS segments: every case of sms_segments.json", () => {
  for (const v of segments.vectorsTwilio) {
    it(`Twilio: ${v.description}`, () => {
      expect(smsSegments(v.body)).toEqual({ encoding: v.expected.encoding, segments: v.expected.segments, parts: v.verification.computed.parts });
    });
  }

  for (const v of segments.vectorsSplitSms) {
    if (!("verification" in v) || !v.verification) continue; // the skipped ones feed non-GSM text to a GSM splitter
    it(`split-sms (${v.suite}): ${v.description}`, () => {
      const result = smsSegments(v.body);
      expect(result.parts).toEqual(v.verification.computedParts);
      expect(result.encoding).toBe(v.suite === "gsm" || v.body === "" ? "GSM-7" : "UCS-2");
    });
  }

  it("GSM-7 is exactly the vectors' basic and extension tables", () => {
    for (const c of segments.gsm7.basicTable) expect(smsSegments(c).parts, c).toEqual([1]);
    for (const c of segments.gsm7.extensionTable) expect(smsSegments(c).parts, c).toEqual([2]);
    expect(segments.gsm7.basicTableCodePoints.map((u) => String.fromCodePoint(parseInt(u.slice(2), 16))).sort()).toEqual([...segments.gsm7.basicTable].sort());
    expect(smsSegments("ç")).toMatchObject({ encoding: "UCS-2" });
  });
});

describe("formatBody: markers as each channel shows them", () => {
  const body = "Your order *1042* ships _today_, ~not~ *_tomorrow_*: [track it](https://t.example.com/1042).";

  it("WhatsApp and Messenger keep *bold*, _italic_ and ~strike~; a link becomes text: url", () => {
    for (const channel of ["whatsapp", "messenger"] as const) {
      expect(formatBody(channel, body)).toBe("Your order *1042* ships _today_, ~not~ *_tomorrow_*: track it: https://t.example.com/1042.");
    }
  });

  it("SMS, MMS and email drop the markers (nested too); a link becomes text (url)", () => {
    for (const channel of ["sms", "mms", "email"] as const) {
      expect(formatBody(channel, body)).toBe("Your order 1042 ships today, not tomorrow: track it (https://t.example.com/1042).");
    }
  });

  it("what is not a marker as WhatsApp reads it stays: snake_case, 2*3*4, a lone *, * spaced *", () => {
    const text = "use order_id_1042, 2*3*4 = 24, a lone * here, * spaced * and _x_y";
    expect(formatBody("sms", text)).toBe(text);
  });
});

it("the global fetch is an adapter's Fetch", () => {
  const production: Fetch = fetch;
  expect(typeof production).toBe("function");
});
