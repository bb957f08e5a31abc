import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../src/channels/outbound";
import { metaParts, sendMessenger, sendMeta, sendWhatsApp } from "../src/channels/providers/send-meta";
import { SECRETS } from "./channel-fixtures";
import { fakeProvider, json, transportFailureTests } from "./fake-provider";
import messenger from "./vectors/messenger_platform.json";
import whatsapp from "./vectors/whatsapp_cloud_api.json";

const GRAPH = "https://graph.facebook.com/v21.0";
const PHONE_NUMBER_ID = "106540352242922";
const PAGE_ID = "1234567890123";
const credentials = { access_token: SECRETS.access_token, app_secret: SECRETS.app_secret, verify_token: SECRETS.verify_token };
const waChannel = { type: "whatsapp" as const, provider: "meta" as const, sender: PHONE_NUMBER_ID, baseUrl: GRAPH, credentials };
const fbChannel = { ...waChannel, type: "messenger" as const, sender: PAGE_ID };

const out = whatsapp.outbound;
/** The vectors' placeholder recipient, as digits: the adapter strips the `+` of E.164. */
const to = (vector: object) => ({ ...vector, to: "16505551234" });
const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ to: "+16505551234", body: "", media: [], ...over });

const wamid = out.response_200.messages[0]!.id;
const accepted = () => json(200, out.response_200);

/** Sends through a fake Graph and returns the result and the one request, its body parsed. */
async function viaGraph(send: typeof sendWhatsApp, channel: typeof waChannel | typeof fbChannel, m: OutboundMessage, answer = accepted) {
  const provider = fakeProvider(answer);
  const result = await send(channel, m, provider.fetch);
  expect(provider.requests).toHaveLength(1);
  const sent = provider.requests[0]!;
  return { result, sent, body: JSON.parse(sent.body) as unknown };
}

/** The Graph error envelope, as the vectors' errorCodes note gives it. */
const graphError = (code: number, details: string, extra: Record<string, unknown> = {}) => ({
  error: { message: `(#${code}) ${details}`, type: "OAuthException", code, error_data: { messaging_product: "whatsapp", details }, fbtrace_id: "AbCdEf123", ...extra },
});

describe("WhatsApp Cloud API: the vectors' outbound bodies, exactly", () => {
  it("text: POST /{phone_number_id}/messages with the Bearer token and JSON; the wamid of messages[0].id", async () => {
    const { result, sent, body } = await viaGraph(sendWhatsApp, waChannel, message({ body: "text-message-content" }));
    expect(result).toEqual({ ok: true, provider_message_id: wamid });
    expect(sent.method).toBe("POST");
    expect(sent.url).toBe(`${GRAPH}/${PHONE_NUMBER_ID}/messages`);
    expect(sent.headers.get("Authorization")).toBe(`Bearer ${SECRETS.access_token}`);
    expect(sent.headers.get("Content-Type")).toBe("application/json");
    expect(body).toEqual(to(out.text));
  });

  it("a link in the text asks for its preview", async () => {
    const { body } = await viaGraph(sendWhatsApp, waChannel, message({ body: out.text_with_preview_url.text.body }));
    expect(body).toMatchObject(to(out.text_with_preview_url));
  });

  it("a reply quotes the message it answers (context.message_id)", async () => {
    const m = message({ body: out.reply_to_text.text.body, reply_to_message_id: out.reply_to_text.context.message_id });
    expect((await viaGraph(sendWhatsApp, waChannel, m)).body).toEqual(to(out.reply_to_text));
  });

  it("media by link, and by id for a media the inbound parser named meta-media:<id>", async () => {
    const byUrl = message({ media: [{ url: out.image_by_url.image.link, content_type: "image/jpeg" }] });
    expect((await viaGraph(sendWhatsApp, waChannel, byUrl)).body).toEqual(to(out.image_by_url));
    const byId = message({ media: [{ url: `meta-media:${out.image_by_id.image.id}`, content_type: "image/png" }] });
    expect((await viaGraph(sendWhatsApp, waChannel, byId)).body).toEqual(to(out.image_by_id));
  });

  it("a template, with its components as given", async () => {
    const { name, language, components } = out.template_text.template;
    const m = message({ body: "ignored: the template is what is sent", template: { name, language: language.code, components } });
    expect((await viaGraph(sendWhatsApp, waChannel, m)).body).toEqual(to(out.template_text));
  });

  it("video, audio and document types; the body as caption; a document's filename", async () => {
    const send = async (content_type: string, body = "", filename?: string) =>
      (await viaGraph(sendWhatsApp, waChannel, message({ body, media: [{ url: "https://m.example.com/f", content_type, filename }] }))).body;
    expect(await send("video/mp4", "look")).toMatchObject({ type: "video", video: { link: "https://m.example.com/f", caption: "look" } });
    expect(await send("audio/ogg")).toMatchObject({ type: "audio", audio: { link: "https://m.example.com/f" } });
    expect(await send("application/pdf", "invoice", "invoice.pdf")).toMatchObject({
      type: "document",
      document: { link: "https://m.example.com/f", caption: "invoice", filename: "invoice.pdf" },
    });
  });

  it("what one request cannot carry is refused before any request, as unsupported", async () => {
    for (const m of [
      message({ media: [{ url: "https://m.example.com/a", content_type: "image/jpeg" }, { url: "https://m.example.com/b", content_type: "image/jpeg" }] }),
      message({ body: "a caption", media: [{ url: "https://m.example.com/a", content_type: "audio/ogg" }] }),
      message(),
    ]) {
      const provider = fakeProvider(accepted);
      expect(await sendWhatsApp(waChannel, m, provider.fetch)).toMatchObject({ ok: false, retry: "permanent", code: "unsupported" });
      expect(provider.requests).toHaveLength(0);
    }
  });
});

describe("WhatsApp refusals", () => {
  it("131047 (outside the 24 h window) and 131026 (undeliverable) are permanent, with error_data.details", async () => {
    const outside = graphError(131047, "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
    expect((await viaGraph(sendWhatsApp, waChannel, message({ body: "hi" }), () => json(400, outside))).result).toEqual({
      ok: false,
      retry: "permanent",
      code: "131047",
      reason: outside.error.error_data.details,
    });
    const undeliverable = graphError(131026, "Message Undeliverable.");
    expect((await viaGraph(sendWhatsApp, waChannel, message({ body: "hi" }), () => json(400, undeliverable))).result).toMatchObject({ retry: "permanent", code: "131026" });
  });

  it("every code of the vectors' throttling list is transient, though Graph answers it with a 400", async () => {
    for (const code of whatsapp.errorCodes.throttlingCodesPerCourier) {
      const { result } = await viaGraph(sendWhatsApp, waChannel, message({ body: "hi" }), () => json(400, graphError(code, "rate limit hit")));
      expect(result, `${code}`).toMatchObject({ ok: false, retry: "transient", code: String(code) });
    }
  });

  transportFailureTests(
    (fetch) => sendWhatsApp(waChannel, message({ body: "hi" }), fetch),
    (status) => graphError(status === 429 ? 130429 : 2, "Service temporarily unavailable"),
  );
});

describe("Messenger Send API: the vectors' bodies", () => {
  const bodies = new Map(messenger.sendApi.bodies_courier.map((b) => [b.label, b.body]));
  const psid = (bodies.get("response to an incoming message")!.recipient as { id: string }).id;
  const fb = (over: Partial<OutboundMessage>) => ({ ...message(over), to: psid });
  const sent = () => json(200, messenger.sendApi.courierSendResponse);

  it("inside the window: RESPONSE to the PSID, POST /{page_id}/messages with the Bearer token; the message_id", async () => {
    const { result, sent: request, body } = await viaGraph(sendMessenger, fbChannel, fb({ body: "Simple Message", within_window: true }), sent);
    expect(result).toEqual({ ok: true, provider_message_id: messenger.sendApi.courierSendResponse.message_id });
    expect(request.url).toBe(`${GRAPH}/${PAGE_ID}/messages`);
    expect(request.method).toBe("POST");
    expect(request.headers.get("Authorization")).toBe(`Bearer ${SECRETS.access_token}`);
    expect(request.headers.get("Content-Type")).toBe("application/json");
    expect(body).toEqual(bodies.get("response to an incoming message"));
  });

  it("outside the window (or not known to be inside): MESSAGE_TAG with HUMAN_AGENT", async () => {
    for (const within_window of [false, undefined]) {
      expect((await viaGraph(sendMessenger, fbChannel, fb({ body: "Simple Message", within_window }), sent)).body).toEqual(bodies.get("chat reply by human agent"));
    }
  });

  it("an image as an attachment by URL, reusable; a PDF as a file", async () => {
    const image = bodies.get("image attachment by URL")!;
    const url = (image.message as { attachment: { payload: { url: string } } }).attachment.payload.url;
    const { body } = await viaGraph(sendMessenger, fbChannel, fb({ media: [{ url, content_type: "image/jpeg" }], within_window: true }), sent);
    expect(body).toEqual({ messaging_type: "RESPONSE", recipient: image.recipient, message: image.message });
    const file = await viaGraph(sendMessenger, fbChannel, fb({ media: [{ url, content_type: "application/pdf" }], within_window: true }), sent);
    expect(file.body).toMatchObject({ message: { attachment: { type: "file", payload: { url } } } });
  });

  it("the docs' response shape: recipient_id and message_id", async () => {
    const { result } = await viaGraph(sendMessenger, fbChannel, fb({ body: "hello, world" }), () => json(200, messenger.sendApi.docsResponse));
    expect(result).toEqual({ ok: true, provider_message_id: messenger.sendApi.docsResponse.message_id });
  });

  it("policy errors are permanent as code/subcode: 10/2018278 outside the allowed window; 1200 is transient", async () => {
    const outside = { error: { message: "(#10) This message is sent outside of allowed window.", type: "OAuthException", code: 10, error_subcode: 2018278, fbtrace_id: "x" } };
    expect((await viaGraph(sendMessenger, fbChannel, fb({ body: "hi" }), () => json(400, outside))).result).toEqual({
      ok: false,
      retry: "permanent",
      code: "10/2018278",
      reason: outside.error.message,
    });
    const temporary = { error: { message: "(#1200) Temporary send message failure. Please try again later", type: "OAuthException", code: 1200 } };
    expect((await viaGraph(sendMessenger, fbChannel, fb({ body: "hi" }), () => json(500, temporary))).result).toMatchObject({ retry: "transient", code: "1200" });
  });

  it("text and an attachment together are refused before any request", async () => {
    const provider = fakeProvider(sent);
    const both = fb({ body: "see", media: [{ url: "https://m.example.com/a", content_type: "image/jpeg" }] });
    expect(await sendMessenger(fbChannel, both, provider.fetch)).toMatchObject({ ok: false, retry: "permanent", code: "unsupported" });
    expect(provider.requests).toHaveLength(0);
  });

  transportFailureTests(
    (fetch) => sendMessenger(fbChannel, fb({ body: "hi" }), fetch),
    () => ({ error: { message: "(#2) Service temporarily unavailable", type: "OAuthException", code: 2 } }),
  );
});

describe("metaParts and sendMeta", () => {
  const image = (n: number) => ({ url: `https://m.example.com/${n}.jpg`, content_type: "image/jpeg" });
  const audio = { url: "https://m.example.com/v.ogg", content_type: "audio/ogg" };

  it("WhatsApp: one media a part, the body as the first captionable one's caption, else a text first", () => {
    const parts = metaParts("whatsapp", message({ body: "look", media: [audio, image(1), image(2)] }));
    expect(parts.map((p) => [p.body, p.media.map((m) => m.url)])).toEqual([
      ["", [audio.url]],
      ["look", [image(1).url]],
      ["", [image(2).url]],
    ]);
    const voice = metaParts("whatsapp", message({ body: "listen", media: [audio] }));
    expect(voice.map((p) => [p.body, p.media.length])).toEqual([
      ["listen", 0],
      ["", 1],
    ]);
    const single = message({ body: "hi", media: [image(1)] });
    expect(metaParts("whatsapp", single)).toEqual([single]);
  });

  it("Messenger: the text, then each attachment; a text alone is itself", () => {
    const parts = metaParts("messenger", message({ body: "see", media: [image(1), image(2)] }));
    expect(parts.map((p) => [p.body, p.media.length])).toEqual([
      ["see", 0],
      ["", 1],
      ["", 1],
    ]);
    const text = message({ body: "hi" });
    expect(metaParts("messenger", text)).toEqual([text]);
  });

  it("every part goes through in one request", async () => {
    for (const [channel, type] of [
      [waChannel, "whatsapp"],
      [fbChannel, "messenger"],
    ] as const) {
      const parts = metaParts(type, message({ body: "see", media: [audio, image(1)] }));
      const provider = fakeProvider(() => json(200, type === "whatsapp" ? out.response_200 : messenger.sendApi.courierSendResponse));
      for (const part of parts) expect(await sendMeta(channel, part, provider.fetch)).toMatchObject({ ok: true });
      expect(provider.requests.map((r) => r.url)).toEqual(parts.map(() => `${GRAPH}/${channel.sender}/messages`));
    }
  });
});
