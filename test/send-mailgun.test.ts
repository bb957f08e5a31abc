import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../src/channels/outbound";
import { parseMailgunInbound } from "../src/channels/providers/mailgun";
import { sendMailgun } from "../src/channels/providers/send-mailgun";
import { SECRETS } from "./channel-fixtures";
import { basic, fakeProvider, json, transportFailureTests } from "./fake-provider";

/**
 * The vectors have no outbound Mailgun bodies (email_mailgun_sendgrid.json covers the inbound
 * side): the fields are those of Mailgun's messages API reference, and the threading ids are
 * checked against what the inbound parser stores.
 */
const channel = (sender = "mg.example.com", baseUrl: string | null = "https://api.mailgun.net") => ({
  type: "email" as const,
  provider: "mailgun" as const,
  sender,
  baseUrl,
  credentials: { api_key: SECRETS.api_key, signing_key: SECRETS.signing_key },
});

const email = { subject: "Re: Order #1042", from: "Acme Support <support@mg.example.com>" };
const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ to: "bob@example.com", body: "It ships tomorrow.", media: [], email, ...over });

/** Mailgun's answer to a send: the Message-Id it assigned, bracketed. */
const MAILGUN_ID = "20111114174239.25659.5817@samples.mailgun.org";
const queued = () => json(200, { id: `<${MAILGUN_ID}>`, message: "Queued. Thank you." });

async function send(m: OutboundMessage, c = channel(), answer = queued) {
  const provider = fakeProvider(answer);
  const result = await sendMailgun(c, m, provider.fetch);
  return { result, requests: provider.requests, form: new URLSearchParams(provider.requests[0]?.body ?? "") };
}

describe("sendMailgun: the request, field by field", () => {
  it("POST /v3/{domain}/messages, basic auth api:<api_key>, form-encoded from, to, subject, text; the id without brackets", async () => {
    const { result, requests, form } = await send(message());
    expect(result).toEqual({ ok: true, provider_message_id: MAILGUN_ID });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe("POST");
    expect(requests[0]!.url).toBe("https://api.mailgun.net/v3/mg.example.com/messages");
    expect(requests[0]!.headers.get("Authorization")).toBe(basic("api", SECRETS.api_key));
    expect(requests[0]!.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect([...form]).toEqual([
      ["from", email.from],
      ["to", "bob@example.com"],
      ["subject", "Re: Order #1042"],
      ["text", "It ships tomorrow."],
    ]);
  });

  it("a reply to what the inbound parser stored: h:In-Reply-To and h:References bracketed again, h:Reply-To", async () => {
    const inbound = parseMailgunInbound(
      new URLSearchParams({
        from: "Bob <bob@example.com>",
        recipient: "support@mg.example.com",
        subject: "Order #1042",
        "stripped-text": "Where is it?",
        "Message-Id": "<CAB1@mail.example.com>",
        References: "<root@mg.example.com> <CAA0@mail.example.com>",
      }),
    );
    const reply_to = "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T@mg.example.com";
    const { form } = await send(
      message({ email: { ...email, in_reply_to: inbound.provider_message_id, references: [...(inbound.references ?? []), inbound.provider_message_id], reply_to } }),
    );
    expect(form.get("h:In-Reply-To")).toBe("<CAB1@mail.example.com>");
    expect(form.get("h:References")).toBe("<root@mg.example.com> <CAA0@mail.example.com> <CAB1@mail.example.com>");
    expect(form.get("h:Reply-To")).toBe(reply_to);
  });

  it("media go as links in the text; an address sender names the domain and is the From by default; base_url is used", async () => {
    const m = message({ email: undefined, media: [{ url: "https://media.example.com/label.pdf", content_type: "application/pdf" }] });
    const { form, requests } = await send(m, channel("support@mg.example.com", "http://127.0.0.1:8788"));
    expect(requests[0]!.url).toBe("http://127.0.0.1:8788/v3/mg.example.com/messages");
    expect(form.get("from")).toBe("support@mg.example.com");
    expect(form.get("subject")).toBe("");
    expect(form.get("text")).toBe("It ships tomorrow.\nhttps://media.example.com/label.pdf");
    expect(form.has("h:In-Reply-To")).toBe(false);
  });

  it("a domain sender with no From is refused before any request", async () => {
    const { result, requests } = await send(message({ email: undefined }));
    expect(result).toMatchObject({ ok: false, retry: "permanent", code: "unsupported" });
    expect(requests).toHaveLength(0);
  });
});

describe("sendMailgun: refusals", () => {
  it("4xx are permanent as http_<status>, with Mailgun's message (or its plain-text body)", async () => {
    const invalid = await send(message(), channel(), () => json(400, { message: "'to' parameter is not a valid address. please check documentation" }));
    expect(invalid.result).toEqual({ ok: false, retry: "permanent", code: "http_400", reason: "'to' parameter is not a valid address. please check documentation" });
    const forbidden = await send(message(), channel(), () => new Response("Forbidden", { status: 401 }));
    expect(forbidden.result).toEqual({ ok: false, retry: "permanent", code: "http_401", reason: "Forbidden" });
    const unknown = await send(message(), channel(), () => json(404, { message: "Domain not found: mg.example.com" }));
    expect(unknown.result).toMatchObject({ retry: "permanent", code: "http_404" });
  });

  transportFailureTests(
    (fetch) => sendMailgun(channel(), message(), fetch),
    (status) => ({ message: `HTTP ${status}` }),
  );

  it("a 5xx is http_<status>, transient", async () => {
    expect((await send(message(), channel(), () => json(502, { message: "Bad Gateway" }))).result).toEqual({
      ok: false,
      retry: "transient",
      code: "http_502",
      reason: "Bad Gateway",
    });
  });
});
