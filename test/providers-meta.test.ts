import { describe, expect, it } from "vitest";
import { metaSignature, parseMessengerWebhook, parseWhatsAppWebhook, verifyHandshake, verifyMetaSignature } from "../src/channels/providers/meta";
import messenger from "./vectors/messenger_platform.json";
import signatures from "./vectors/meta_x_hub_signature_256.json";
import whatsapp from "./vectors/whatsapp_cloud_api.json";

const bytes = (text: string) => new TextEncoder().encode(text);
const refused = (path: string) => expect.objectContaining({ name: "ParseError", path });

describe("X-Hub-Signature-256: every vector, over the raw bytes", () => {
  for (const v of signatures.vectors) {
    const { appSecret, rawBody } = v.inputs;
    const header = v.expected["X-Hub-Signature-256"];

    it(`${v.id}: accepted as Uint8Array and ArrayBuffer`, async () => {
      expect(await metaSignature(rawBody, appSecret)).toBe(header);
      expect(await verifyMetaSignature(bytes(rawBody), header, appSecret)).toBe(true);
      expect(await verifyMetaSignature(bytes(rawBody).buffer as ArrayBuffer, header, appSecret)).toBe(true);
      expect(await verifyMetaSignature(bytes(rawBody), header.toUpperCase().replace("SHA256=", "sha256="), appSecret)).toBe(true);
    });

    it(`${v.id}: refused with a tampered body, the wrong secret, or no header`, async () => {
      expect(await verifyMetaSignature(bytes(`${rawBody} `), header, appSecret)).toBe(false);
      expect(await verifyMetaSignature(bytes(rawBody), header, `${appSecret}x`)).toBe(false);
      expect(await verifyMetaSignature(bytes(rawBody), header, "")).toBe(false);
      expect(await verifyMetaSignature(bytes(rawBody), null, appSecret)).toBe(false);
      expect(await verifyMetaSignature(bytes(rawBody), header.replace("sha256=", ""), appSecret)).toBe(false);
    });
  }

  it("negative vectors: the same JSON pretty-printed, an invalid header, a missing one", async () => {
    const [pretty, invalid, missing] = signatures.negativeVectors;
    const { appSecret } = signatures.vectors[0]!.inputs;
    expect(await verifyMetaSignature(bytes(pretty!.inputs!.rawBody), pretty!.header, pretty!.inputs!.appSecret)).toBe(false);
    expect(await metaSignature(pretty!.inputs!.rawBody, appSecret)).toBe(pretty!.verification!.computed);
    for (const v of [invalid!, missing!]) expect(await verifyMetaSignature(bytes("{}"), v.header, appSecret), v.id).toBe(false);
  });
});

describe("the verification handshake", () => {
  const { inputs, expected } = whatsapp.verificationHandshake;
  const query = (over: Record<string, string> = {}) =>
    new URLSearchParams({ "hub.mode": inputs["hub.mode"], "hub.challenge": inputs["hub.challenge"], "hub.verify_token": inputs["hub.verify_token"], ...over });

  it("echoes the challenge for the configured token", () => {
    expect(verifyHandshake(new URL(whatsapp.verificationHandshake.request.replace(/^GET /, "")).searchParams, inputs.configuredVerifyToken)).toBe(expected.body);
  });

  it("refuses another token, another mode, no challenge, an unconfigured token", () => {
    expect(verifyHandshake(query({ "hub.verify_token": "other" }), inputs.configuredVerifyToken)).toBeNull();
    expect(verifyHandshake(query({ "hub.mode": "unsubscribe" }), inputs.configuredVerifyToken)).toBeNull();
    expect(verifyHandshake(query({ "hub.challenge": "" }), inputs.configuredVerifyToken)).toBeNull();
    expect(verifyHandshake(query({ "hub.verify_token": "" }), "")).toBeNull();
  });
});

const wa = whatsapp.inbound;
const st = whatsapp.statuses;

describe("parseWhatsAppWebhook: the vectors' messages", () => {
  const official = { kind: "message", provider: "meta", channel: "whatsapp", from: "+16505551234", to: "106540352242922", profile_name: "Sheena Nelson" };

  it("the real signed capture parses from the same bytes", () => {
    const [v] = signatures.vectors;
    expect(parseWhatsAppWebhook(JSON.parse(v!.inputs.rawBody))).toEqual([
      {
        kind: "message",
        provider: "meta",
        channel: "whatsapp",
        provider_message_id: "wamid.HBgMOTcyNTQ0NDAxMjQzFQIAEhggM0RFQTNCMEEwRTY3QzUwODYzMDc4NjQ4QzM4ODAxM0YA",
        from: "+972544401243",
        to: "277321005464405",
        body: "Hey there! I am using PyWa.",
        media: [],
        profile_name: "PyWa Tests",
        received_at: 1730231903000,
      },
    ]);
  });

  it("text and image (official examples)", () => {
    const id = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
    expect(parseWhatsAppWebhook(wa.text_official.payload)).toEqual([
      { ...official, provider_message_id: id, body: "Does it come in another color?", media: [], received_at: 1749416383000 },
    ]);
    expect(parseWhatsAppWebhook(wa.image_official.payload)).toEqual([
      { ...official, provider_message_id: id, body: "Taj Mahal", media: [{ url: "meta-media:1003383421387256", content_type: "image/jpeg" }], received_at: 1744344496000 },
    ]);
  });

  it("an unsupported message is kept, with Meta's error", () => {
    expect(parseWhatsAppWebhook(wa.unsupported_with_errors_official.payload)[0]).toMatchObject({
      ...official,
      provider_message_id: "wamid.HBgLMTQyMDU1NTA3NDkVAgASGBI5N0MwRjg0RTVBNUI1RDA2OTkA",
      body: "",
      unsupported: { type: "unsupported", error: { code: "131051", message: "Message type is currently not supported." } },
    });
  });

  it("pywa and courier fixtures: text, image without caption, image with an on-prem file field", () => {
    expect(parseWhatsAppWebhook(wa.text_pywa.payload)[0]).toMatchObject({ provider_message_id: "wamid.xyzxyz", from: "+972987654321", to: "1122334455667", body: "Body Text", profile_name: "Test Name" });
    expect(parseWhatsAppWebhook(wa.image_pywa.payload)[0]).toMatchObject({ body: "", media: [{ url: "meta-media:65463453", content_type: "image/jpeg" }] });
    expect(parseWhatsAppWebhook(wa.text_courier.payload)[0]).toMatchObject({ provider_message_id: "external_id", body: "Hello World", to: "1234567890", profile_name: "Kerry Fisher" });
    // "5678" is no possible number: kept as +digits rather than refusing the customer's message.
    expect(parseWhatsAppWebhook(wa.text_courier.payload)[0]).toMatchObject({ from: "+5678" });
    expect(parseWhatsAppWebhook(wa.image_courier.payload)[0]).toMatchObject({ body: "Check out my new phone!", media: [{ url: "meta-media:id_image", content_type: "image/jpeg" }] });
  });
});

describe("parseWhatsAppWebhook: the vectors' statuses", () => {
  const receipt = { kind: "receipt", provider: "meta", channel: "whatsapp", provider_message_id: "wamid.xyzxyz" };

  it("sent, delivered, read", () => {
    expect(parseWhatsAppWebhook(st.sent.payload)).toEqual([{ ...receipt, status: "sent", at: 1698266945000 }]);
    expect(parseWhatsAppWebhook(st.delivered.payload)).toEqual([{ ...receipt, status: "delivered", at: 1698266945000 }]);
    expect(parseWhatsAppWebhook(st.read.payload)).toEqual([{ ...receipt, status: "read", at: 1689380458000 }]);
    expect(parseWhatsAppWebhook(st.sent_courier.payload)).toEqual([{ ...receipt, provider_message_id: "external_id", status: "sent", at: 1454119029000 }]);
  });

  it("failed with the error code: 130472 (details), 131014 (title only)", () => {
    expect(parseWhatsAppWebhook(st.failed_130472.payload)).toEqual([
      { ...receipt, status: "failed", at: 1689380458000, error: { code: "130472", message: "Failed to send message because this user's phone number is part of an experiment" } },
    ]);
    expect(parseWhatsAppWebhook(st.failed_131014_courier.payload)[0]).toMatchObject({
      status: "failed",
      error: { code: "131014", message: "Request for url https://URL.jpg failed with error: 404 (Not Found)" },
    });
  });

  it("131047 (outside the 24 h window) and 131026 (undeliverable) in the statuses' error shape", () => {
    const failed = (error: unknown) => withStatuses([{ id: "wamid.1", status: "failed", timestamp: "1700000000", recipient_id: "16505551234", errors: [error] }]);
    expect(parseWhatsAppWebhook(failed(st.error_object_131047.value))[0]).toMatchObject({ status: "failed", error: { code: "131047" } });
    expect(parseWhatsAppWebhook(failed({ code: 131026, title: "Message undeliverable." }))[0]).toMatchObject({ error: { code: "131026", message: "Message undeliverable." } });
  });

  it("played counts as read; a status Meta adds later is skipped, not refused", () => {
    const one = (status: string) => parseWhatsAppWebhook(withStatuses([{ id: "wamid.1", status, timestamp: "1700000000" }]));
    expect(one("played")).toMatchObject([{ status: "read" }]);
    expect(one("deleted")).toEqual([]);
  });
});

/** The official text example's envelope with other messages or statuses in its one change. */
function withValue(extra: Record<string, unknown>) {
  const payload = structuredClone(wa.text_official.payload) as { entry: { changes: { value: Record<string, unknown> }[] }[] };
  const value = payload.entry[0]!.changes[0]!.value;
  delete value.messages;
  Object.assign(value, extra);
  return payload;
}
const withMessages = (messages: unknown[]) => withValue({ messages });
const withStatuses = (statuses: unknown[]) => withValue({ statuses });
const msg = (type: string, body: unknown, more: object = {}) => ({ from: "16505551234", id: `wamid.${type}`, timestamp: "1700000000", type, [type]: body, ...more });

describe("parseWhatsAppWebhook: one POST with several events", () => {
  it("returns every message and status of every entry and change, in order", () => {
    const [first] = wa.text_official.payload.entry;
    const withFailed = { ...first!, changes: [...first!.changes, ...st.failed_130472.payload.entry[0]!.changes] };
    const entry = [withFailed, ...wa.image_pywa.payload.entry, ...st.sent.payload.entry];
    const events = parseWhatsAppWebhook({ object: "whatsapp_business_account", entry });
    expect(events.map((e) => [e.kind, e.kind === "watermark" ? "" : e.provider_message_id])).toEqual([
      ["message", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="],
      ["receipt", "wamid.xyzxyz"],
      ["message", "wamid.xyzxyz"],
      ["receipt", "wamid.xyzxyz"],
    ]);
  });

  it("skips changes of other fields", () => {
    const payload = structuredClone(wa.text_official.payload) as { entry: { changes: unknown[] }[] };
    payload.entry[0]!.changes.push({ field: "message_template_status_update", value: { event: "APPROVED" } });
    expect(parseWhatsAppWebhook(payload)).toHaveLength(1);
  });
});

describe("parseWhatsAppWebhook: the documented message types the vectors lack", () => {
  const parseOne = (m: unknown) => parseWhatsAppWebhook(withMessages([m]))[0];

  it("audio, video, document (filename), sticker as meta-media references", () => {
    expect(parseOne(msg("audio", { id: "a1", mime_type: "audio/ogg; codecs=opus", voice: true }))).toMatchObject({ media: [{ url: "meta-media:a1", content_type: "audio/ogg; codecs=opus" }] });
    expect(parseOne(msg("document", { id: "d1", mime_type: "application/pdf", filename: "invoice.pdf", caption: "Invoice" }))).toMatchObject({
      body: "Invoice",
      media: [{ url: "meta-media:d1", content_type: "application/pdf", filename: "invoice.pdf" }],
    });
    expect(parseOne(msg("sticker", { id: "s1", mime_type: "image/webp", animated: false }))).toMatchObject({ media: [{ url: "meta-media:s1", content_type: "image/webp" }] });
  });

  it("location, button and list replies, template buttons, reactions, replies to a message", () => {
    expect(parseOne(msg("location", { latitude: 37.48, longitude: -122.15, name: "Main", address: "1 Hacker Way" }))).toMatchObject({
      location: { latitude: 37.48, longitude: -122.15, name: "Main", address: "1 Hacker Way" },
    });
    expect(parseOne(msg("interactive", { type: "button_reply", button_reply: { id: "yes", title: "Yes" } }))).toMatchObject({ body: "Yes", reply: { kind: "button", id: "yes", title: "Yes" } });
    expect(parseOne(msg("interactive", { type: "list_reply", list_reply: { id: "r2", title: "Tuesday", description: "9-12" } }))).toMatchObject({
      reply: { kind: "list", id: "r2", title: "Tuesday" },
    });
    expect(parseOne(msg("interactive", { type: "nfm_reply", nfm_reply: {} }))).toMatchObject({ unsupported: { type: "interactive.nfm_reply" } });
    expect(parseOne(msg("button", { payload: "STOP", text: "Stop promotions" }))).toMatchObject({ reply: { kind: "button", id: "STOP", title: "Stop promotions" } });
    expect(parseOne(msg("reaction", { message_id: "wamid.out1", emoji: "👍" }))).toMatchObject({ body: "", reaction: { emoji: "👍", message_id: "wamid.out1" } });
    expect(parseOne(msg("reaction", { message_id: "wamid.out1" }))).toMatchObject({ reaction: { emoji: "", message_id: "wamid.out1" } });
    expect(parseOne(msg("text", { body: "this one" }, { context: { from: "15550783881", id: "wamid.out2" } }))).toMatchObject({ in_reply_to: "wamid.out2" });
  });
});

describe("parseWhatsAppWebhook: malformed payloads name the path", () => {
  it("the envelope, a message, its content, a status", () => {
    expect(() => parseWhatsAppWebhook(messenger.inboundFull.text_courier.payload)).toThrow(refused("object"));
    expect(() => parseWhatsAppWebhook("[]")).toThrow(refused("(root)"));
    expect(() => parseWhatsAppWebhook(withValue({ metadata: {} }))).toThrow(refused("entry[0].changes[0].value.metadata.phone_number_id"));
    expect(() => parseWhatsAppWebhook(withMessages([{ ...msg("text", { body: "x" }), id: undefined }]))).toThrow(refused("entry[0].changes[0].value.messages[0].id"));
    expect(() => parseWhatsAppWebhook(withMessages([msg("text", undefined)]))).toThrow(refused("entry[0].changes[0].value.messages[0].text"));
    expect(() => parseWhatsAppWebhook(withMessages([msg("image", { id: "1" })]))).toThrow(refused("entry[0].changes[0].value.messages[0].image.mime_type"));
    expect(() => parseWhatsAppWebhook(withMessages([msg("interactive", { type: "list_reply" })]))).toThrow(refused("entry[0].changes[0].value.messages[0].interactive.list_reply"));
    expect(() => parseWhatsAppWebhook(withStatuses([{ id: "w", status: "sent", timestamp: "soon" }]))).toThrow(refused("entry[0].changes[0].value.statuses[0].timestamp"));
  });
});

const fb = messenger.inboundFull;
const envelope = (event: unknown) => ({ object: "page", entry: [{ id: "1234567890", time: 1, messaging: [event] }] });

describe("parseMessengerWebhook: the vectors", () => {
  it("text messages (courier, and the legacy one with seq)", () => {
    expect(parseMessengerWebhook(fb.text_courier.payload)).toEqual([
      { kind: "message", provider: "meta", channel: "messenger", provider_message_id: "external_id", from: "5678", to: "1234567890", body: "Hello World", media: [], received_at: 1459991487970 },
    ]);
    expect(parseMessengerWebhook(fb.text_with_seq_legacy.payload)[0]).toMatchObject({ provider_message_id: "mid.1457764197618:41d102a3e1ae206a38", from: "USER_ID", to: "PAGE_ID", body: "hello, world!" });
  });

  it("an image attachment, and the documented quick reply", () => {
    expect(parseMessengerWebhook(fb.image_attachment_courier.payload)[0]).toMatchObject({ body: "", media: [{ url: "https://image-url/foo.png", content_type: "image/*" }] });
    expect(parseMessengerWebhook(envelope(messenger.inboundEventsDocs.message))[0]).toMatchObject({
      from: "<PSID>",
      body: "hello, world!",
      reply: { kind: "button", id: "<DEVELOPER_DEFINED_PAYLOAD>", title: "hello, world!" },
      received_at: 1458692752478,
    });
  });

  it("the page's own echo is not an inbound message", () => {
    expect(parseMessengerWebhook(fb.echo_courier.payload)).toEqual([]);
  });

  it("delivery: a delivered receipt for each mid named", () => {
    const receipt = { kind: "receipt", provider: "meta", channel: "messenger", provider_message_id: "mid.1458668856218:ed81099e15d3f4f233", status: "delivered" };
    expect(parseMessengerWebhook(fb.delivery_courier.payload)).toEqual([{ ...receipt, at: 1459991487970 }]);
    // The documented event has no timestamp: the watermark stands in.
    expect(parseMessengerWebhook(envelope(messenger.inboundEventsDocs.delivery))).toEqual([{ ...receipt, at: 1458668856253 }]);
  });

  it("read, and a delivery naming no mids: watermarks", () => {
    expect(parseMessengerWebhook(fb.read_wrapped.payload)).toEqual([
      { kind: "watermark", provider: "meta", channel: "messenger", status: "read", from: "<PSID>", to: "<PAGE_ID>", watermark: 1458668856253, at: 1458668856463 },
    ]);
    const delivery = { ...messenger.inboundEventsDocs.delivery, delivery: { watermark: 1458668856253 } };
    expect(parseMessengerWebhook(envelope(delivery))).toMatchObject([{ kind: "watermark", status: "delivered", watermark: 1458668856253 }]);
  });

  it("several events in one POST, and events Parley does not use skipped", () => {
    const payload = structuredClone(fb.text_courier.payload) as { entry: { messaging: unknown[] }[] };
    payload.entry.push(...structuredClone(fb.delivery_courier.payload.entry), ...structuredClone(fb.read_wrapped.payload.entry));
    payload.entry[0]!.messaging.push({ sender: { id: "5678" }, recipient: { id: "1234567890" }, timestamp: 1, postback: { payload: "GET_STARTED" } });
    expect(parseMessengerWebhook(payload).map((e) => e.kind)).toEqual(["message", "receipt", "watermark"]);
  });

  it("malformed payloads name the path", () => {
    expect(() => parseMessengerWebhook(wa.text_official.payload)).toThrow(refused("object"));
    expect(() => parseMessengerWebhook(envelope({ recipient: { id: "1" }, message: { mid: "m", text: "x" } }))).toThrow(refused("entry[0].messaging[0].sender"));
    expect(() => parseMessengerWebhook(envelope({ ...fb.read_wrapped.payload.entry[0]!.messaging[0], read: { watermark: "x" } }))).toThrow(
      refused("entry[0].messaging[0].read.watermark"),
    );
    expect(() => parseMessengerWebhook(envelope({ sender: { id: "1" }, recipient: { id: "2" }, message: { text: "no mid" } }))).toThrow(refused("entry[0].messaging[0].message.mid"));
  });
});
