import { describe, expect, it } from "vitest";
import {
  parseTwilioWebhook,
  twilioSignature,
  twilioStatusOf,
  twilioUrlVariants,
  verifyTwilioSignature,
} from "../src/channels/providers/twilio";
import signatures from "./vectors/twilio_request_signature.json";
import webhooks from "./vectors/twilio_messaging_webhooks.json";

const FORM = "application/x-www-form-urlencoded";
const NOW = 1_700_000_000_000;
const refused = (path: string) => expect.objectContaining({ name: "ParseError", path });

/** A vector's params as the form body Twilio would post: repeated keys repeated, in the order given. */
function formBody(params: Record<string, string | readonly string[]>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of typeof value === "string" ? [value] : value) form.append(key, v);
  return form.toString();
}

const formVectors = signatures.vectors.filter((v) => !("rawBody" in v.inputs));
const jsonVectors = signatures.vectors.flatMap(({ inputs, ...v }) =>
  inputs.rawBody === undefined ? [] : [{ ...v, inputs: { ...inputs, rawBody: inputs.rawBody } }],
);

describe("X-Twilio-Signature: every published vector", () => {
  for (const v of formVectors) {
    const { authToken, requestUrl, signedUrl } = v.inputs;
    // The JSON import types each vector's params as the union of all of them.
    const params = v.inputs.params as Record<string, string | string[]>;
    const signature = v.expected["X-Twilio-Signature"];

    it(`${v.id}: accepted from params and from the raw form body`, async () => {
      expect(await twilioSignature(authToken, signedUrl, params)).toBe(signature);
      expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken, params })).toBe(true);
      const rawBody = formBody(params);
      expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken, rawBody, contentType: `${FORM}; charset=utf-8` })).toBe(true);
    });

    it(`${v.id}: refused with a tampered body, URL or token, or no header`, async () => {
      const tampered = { ...params, Extra: "1" };
      expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken, params: tampered })).toBe(false);
      expect(await verifyTwilioSignature({ url: requestUrl.replace("myapp.php", "other.php"), signature, authToken, params })).toBe(false);
      expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken: "54321", params })).toBe(false);
      expect(await verifyTwilioSignature({ url: requestUrl, signature: null, authToken, params })).toBe(false);
      expect(await verifyTwilioSignature({ url: requestUrl, signature: "", authToken, params })).toBe(false);
      expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken: "", params })).toBe(false);
    });
  }

  for (const v of jsonVectors) {
    const { authToken, requestUrl, rawBody } = v.inputs;
    const signature = v.expected["X-Twilio-Signature"];

    it(`${v.id}: a JSON body is accepted when bodySHA256 is its hash`, async () => {
      expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken, rawBody, contentType: "application/json" })).toBe(true);
    });

    it(`${v.id}: refused with a tampered body, a tampered URL or no header`, async () => {
      const json = { url: requestUrl, signature, authToken, contentType: "application/json" };
      expect(await verifyTwilioSignature({ ...json, rawBody: rawBody.replace("}", ', "x": 1}') })).toBe(false);
      expect(await verifyTwilioSignature({ ...json, rawBody, url: requestUrl.replace("myapp.php", "other.php") })).toBe(false);
      expect(await verifyTwilioSignature({ ...json, rawBody, signature: null })).toBe(false);
    });
  }

  it("the URL variants: as given, WHATWG-normalised, port stripped, default port added", () => {
    expect(twilioUrlVariants("https://mycompany.com:1234/a?b=1")).toEqual(["https://mycompany.com:1234/a?b=1", "https://mycompany.com/a?b=1"]);
    expect(twilioUrlVariants("http://u:p@mycompany.com/a?q=It's")).toEqual([
      "http://u:p@mycompany.com/a?q=It's",
      "http://u:p@mycompany.com/a?q=It%27s",
      "http://u:p@mycompany.com:80/a?q=It%27s",
    ]);
  });
});

describe("X-Twilio-Signature: the negative vectors", () => {
  const [wrong, badHash, noHashParam, undefinedSignature, urlMismatch] = signatures.negativeVectors;
  const json = jsonVectors[0]!;

  it("wrong_signature and undefined_signature are refused", async () => {
    for (const v of [wrong!, undefinedSignature!]) {
      const { authToken, url, params } = v.inputs as { authToken: string; url: string; params: Record<string, string> };
      expect(await verifyTwilioSignature({ url, params, authToken, signature: v.header ?? null }), v.id).toBe(false);
    }
  });

  it("body_hash_wrong: a URL signed correctly but whose bodySHA256 is not the body's hash", async () => {
    const url = json.inputs.requestUrl.replace(/bodySHA256=\w+/, `bodySHA256=${badHash!.bodySHA256}`);
    const signature = await twilioSignature(json.inputs.authToken, url);
    const request = { url, signature, authToken: json.inputs.authToken, contentType: "application/json" };
    expect(await verifyTwilioSignature({ ...request, rawBody: badHash!.inputs.rawBody! })).toBe(false);
  });

  it("body_but_no_bodySHA256_param: a JSON body with no hash in the URL", async () => {
    const { authToken, url, rawBody } = noHashParam!.inputs as { authToken: string; url: string; rawBody: string };
    expect(await verifyTwilioSignature({ url, rawBody, contentType: "application/json", authToken, signature: noHashParam!.header! })).toBe(false);
  });

  it("url_mismatch: signed for one URL, presented at another", async () => {
    const { authToken, signedUrl, requestUrl } = urlMismatch!.inputs as { authToken: string; signedUrl: string; requestUrl: string };
    const signature = await twilioSignature(authToken, signedUrl, {});
    expect(await verifyTwilioSignature({ url: signedUrl, signature, authToken, params: {} })).toBe(true);
    expect(await verifyTwilioSignature({ url: requestUrl, signature, authToken, params: {} })).toBe(false);
  });
});

const inbound = webhooks.inbound;
const status = webhooks.statusCallbacks.examples;
const bodyOf = (fixture: string) =>
  fixture.startsWith("status:")
    ? status[fixture.slice("status:".length) as keyof typeof status].rawBody
    : inbound[fixture as keyof typeof inbound].rawBody;

describe("X-Twilio-Signature on the captured webhook bodies (derived signatures)", () => {
  for (const item of webhooks.derivedSignatures.items) {
    it(`${item.fixture}: accepted as received, refused when a field changes`, async () => {
      const rawBody = bodyOf(item.fixture);
      const request = { url: item.url, signature: item.signature, authToken: item.authToken, contentType: FORM };
      expect(await verifyTwilioSignature({ ...request, rawBody })).toBe(true);
      expect(await verifyTwilioSignature({ ...request, rawBody: rawBody.replace("MessageSid=SM", "MessageSid=SX") })).toBe(false);
      expect(await verifyTwilioSignature({ ...request, rawBody: `${rawBody}&Body=spoof` })).toBe(false);
    });
  }
});

const parse = (rawBody: string) => parseTwilioWebhook(new URLSearchParams(rawBody), NOW);
const SID = "SMe287d7109a5a925f182f0e07fe5b223b";

describe("parseTwilioWebhook: inbound messages in the vectors", () => {
  const message = { kind: "message", provider: "twilio", provider_message_id: SID, from: "+14133881111", to: "+12028831111", received_at: NOW };

  it("SMS", () => {
    expect(parse(inbound.sms_inbound.rawBody)).toEqual([{ ...message, channel: "sms", body: "Msg", media: [] }]);
  });

  it("SMS to a short code: the short code stays as given", () => {
    const [event] = parse(inbound.sms_inbound_short_code_messaging_service.rawBody);
    expect(event).toMatchObject({ channel: "sms", to: "384387", from: "+14133881111", body: "John Cruz", provider_message_id: "SMbbf29aeb9d380ce2a1c0ae4635ff9dab" });
  });

  it("MMS with two media, without and with a body (no MediaContentTypeN in the fixture: unknown binary)", () => {
    const media = [
      { url: "cat.jpg", content_type: "application/octet-stream" },
      { url: "dog.jpg", content_type: "application/octet-stream" },
    ];
    expect(parse(inbound.mms_inbound_two_media_no_body.rawBody)).toEqual([{ ...message, channel: "mms", body: "", media }]);
    expect(parse(inbound.mms_inbound_two_media_with_body.rawBody)).toEqual([{ ...message, channel: "mms", body: "Msg", media }]);
  });

  it("WhatsApp: whatsapp: prefixes stripped, ButtonText a button reply, a BSUID sender by its number", () => {
    expect(parse(inbound.whatsapp_inbound_courier.rawBody)).toEqual([{ ...message, channel: "whatsapp", body: "Msg", media: [] }]);
    expect(parse(inbound.whatsapp_inbound_button.rawBody)[0]).toMatchObject({ channel: "whatsapp", reply: { kind: "button", id: "Confirm", title: "Confirm" } });
    expect(parse(inbound.whatsapp_inbound_bsuid.rawBody)[0]).toMatchObject({ channel: "whatsapp", from: "+14133881111" });
  });

  it("WhatsApp sandbox capture: ProfileName, percent-encoded whatsapp%3A addresses", () => {
    expect(parse(inbound.whatsapp_inbound_sandbox_capture.rawBody)).toEqual([
      {
        kind: "message",
        provider: "twilio",
        channel: "whatsapp",
        provider_message_id: "SM45e9b726c0314a5524c3f3cb4ZZZZZ",
        from: "+919900000000",
        to: "+14155238886",
        body: "hey",
        media: [],
        profile_name: "Jane Doe",
        received_at: NOW,
      },
    ]);
  });

  it("documented fields the fixtures lack: content types, location, ButtonPayload, the replied-to message", () => {
    const form = new URLSearchParams({ MessageSid: "SM1", From: "whatsapp:+14155550100", To: "whatsapp:+14155238886", Body: "" });
    form.set("NumMedia", "1");
    form.set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM1/Media/ME1");
    form.set("MediaContentType0", "image/jpeg");
    form.set("Latitude", "37.7749");
    form.set("Longitude", "-122.4194");
    form.set("Label", "Office");
    form.set("Address", "1 Market St");
    form.set("ButtonPayload", "yes-please");
    form.set("ButtonText", "Yes");
    form.set("OriginalRepliedMessageSid", "SM0");
    expect(parseTwilioWebhook(form, NOW)[0]).toMatchObject({
      channel: "whatsapp",
      media: [{ url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM1/Media/ME1", content_type: "image/jpeg" }],
      location: { latitude: 37.7749, longitude: -122.4194, name: "Office", address: "1 Market St" },
      reply: { kind: "button", id: "yes-please", title: "Yes" },
      in_reply_to: "SM0",
    });
  });
});

describe("parseTwilioWebhook: status callbacks in the vectors", () => {
  const receipt = { kind: "receipt", provider: "twilio", channel: "sms", provider_message_id: SID, at: NOW };

  it("delivered and read", () => {
    expect(parse(status.delivered.rawBody)).toEqual([{ ...receipt, status: "delivered" }]);
    expect(parse(status.read.rawBody)).toEqual([{ ...receipt, status: "read" }]);
  });

  it("failed with the provider's error code: 21610 (unsubscribed), 63018 (rate limit)", () => {
    expect(parse(status.failed_unsubscribed_21610.rawBody)).toEqual([{ ...receipt, status: "failed", error: { code: "21610" } }]);
    expect(parse(status.failed_rate_limit_63018.rawBody)).toEqual([{ ...receipt, status: "failed", error: { code: "63018" } }]);
    const undelivered = parse("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003&ErrorMessage=Unreachable+destination+handset");
    expect(undelivered[0]).toMatchObject({ status: "undelivered", error: { code: "30003", message: "Unreachable destination handset" } });
  });

  it("sent, through a messaging service and on WhatsApp", () => {
    expect(parse(status.sent_messaging_service.rawBody)).toEqual([{ ...receipt, provider_message_id: "SM0b6e2697aae04182a9f5b5c7a8994c7f", status: "sent" }]);
    expect(parse(status.whatsapp_sent_sandbox_capture.rawBody)).toEqual([
      { ...receipt, channel: "whatsapp", provider_message_id: "SMc4c96554c26604013c6b7f1b4b6DDDDD", status: "sent" },
    ]);
  });

  it("every documented status is mapped; the states on the way yield no event", () => {
    for (const s of webhooks.statusCallbacks.messageStatusEnum) expect(twilioStatusOf(s), s).not.toBeUndefined();
    expect(parse("MessageSid=SM1&MessageStatus=queued")).toEqual([]);
    expect(parse("MessageSid=SM1&MessageStatus=sending")).toEqual([]);
    expect(twilioStatusOf("constructor")).toBeUndefined();
  });

  it("an unknown MessageStatus (the vector's \"huh\") is a ParseError naming the field", () => {
    expect(status.invalid_status_value.expectReject).toBe(true);
    expect(() => parse(status.invalid_status_value.rawBody)).toThrow(refused("MessageStatus"));
  });
});

describe("parseTwilioWebhook: malformed payloads", () => {
  it("names the missing or bad field", () => {
    expect(() => parse("MessageSid=SM1&To=%2B12028831111&Body=hi")).toThrow(refused("From"));
    expect(() => parse("From=%2B14133881111&To=%2B12028831111&Body=hi")).toThrow(refused("MessageSid"));
    expect(() => parse("MessageStatus=delivered")).toThrow(refused("MessageSid"));
    expect(() => parse(`${inbound.sms_inbound.rawBody}&NumMedia=two`.replace("NumMedia=0&", ""))).toThrow(refused("NumMedia"));
    expect(() => parse(inbound.mms_inbound_two_media_with_body.rawBody.replace("&MediaUrl1=dog.jpg", ""))).toThrow(refused("MediaUrl1"));
    expect(() => parse(`${inbound.sms_inbound.rawBody}&Latitude=north&Longitude=1`)).toThrow(refused("Latitude"));
    expect(() => parse(`${inbound.sms_inbound.rawBody}&Latitude=+&Longitude=1`)).toThrow(refused("Latitude"));
    expect(() => parse(`${inbound.sms_inbound.rawBody}&Latitude=1`)).toThrow(refused("Longitude"));
  });
});
