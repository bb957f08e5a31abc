import PostalMime from "postal-mime";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OutboundMessage } from "../src/channels/outbound";
import { classifySendError, cloudflareMail, encodeHeaderText, quotedPrintable, sendCloudflare, type BuiltMail, type CloudflareChannel, type EmailBinding } from "../src/channels/providers/send-cloudflare";
import worker from "../src/index";
import { bodies, connect, threadOf } from "./channel-fixtures";
import { d1Number, env, newAccount, send } from "./helpers";
import { deliveryOf } from "./provider-intercept";

// Email out through Cloudflare Email Service: the raw RFC 5322 message built field by field, the
// send_email binding given it (a fake, then the local simulated binding), how what the binding
// throws is classified, and a customer's mail in through email() answered by an agent out through
// the real binding, its delivery ending `sent` with the Message-ID.

const CHANNEL: CloudflareChannel = { type: "email", provider: "cloudflare", sender: "support@shop.example.com" };
const NOW = Date.UTC(2026, 11, 1, 18, 57, 41);

const message = (over: Partial<OutboundMessage> = {}, email: Partial<NonNullable<OutboundMessage["email"]>> = {}): OutboundMessage => ({
  to: "pat@example.org",
  body: "Your parcel left today.",
  media: [],
  email: { subject: "Re: Parcel", from: "support@shop.example.com", ...email },
  ...over,
});

function built(over?: Partial<OutboundMessage>, email?: Partial<NonNullable<OutboundMessage["email"]>>): BuiltMail {
  const mail = cloudflareMail(CHANNEL, message(over, email), { now: NOW, messageId: "out-1.parley@shop.example.com" });
  if ("ok" in mail) throw new Error(`not built: ${mail.reason}`);
  return mail;
}

/** The header block as [name, value] in order, continuation lines unfolded; and the body as sent. */
function split(raw: string) {
  const end = raw.indexOf("\r\n\r\n");
  const block = raw.slice(0, end).replace(/\r\n(?=[ \t])/g, "");
  const headers = block.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()] as const);
  return { headers, body: raw.slice(end + 4), lines: raw.slice(0, end).split("\r\n") };
}

/** The raw text of an EmailMessage as the local runtime (miniflare) holds it: the only way to read one back. */
const rawOf = (m: EmailMessage) => (m as unknown as Record<string, string>)["EmailMessage::raw"]!;

/** A fake binding recording what it was given, answering `answer` (or throwing what it throws). */
function fakeBinding(answer: () => Promise<EmailSendResult | void> = async () => ({ messageId: "<cf-1@shop.example.com>" })) {
  const given: EmailMessage[] = [];
  const binding: EmailBinding = {
    send: async (m) => {
      given.push(m);
      return answer();
    },
  };
  return { binding, given };
}

describe("cloudflareMail: the raw message", () => {
  it("carries From, To, Subject, Date, our Message-ID, the threading ids bracketed, Reply-To, and a text/plain UTF-8 body with media as links", async () => {
    const mail = built(
      { media: [{ url: "https://cdn.example.com/a.jpg", content_type: "image/jpeg" }, { url: "https://cdn.example.com/b.pdf", content_type: "application/pdf", filename: "b.pdf" }] },
      { in_reply_to: "m1.abc@mail.example.net", references: ["first@mail.example.net", "m1.abc@mail.example.net"], reply_to: "desk@shop.example.com" },
    );
    expect(mail).toMatchObject({ from: "support@shop.example.com", to: "pat@example.org", message_id: "out-1.parley@shop.example.com" });
    const { headers, body } = split(mail.raw);
    expect(headers).toEqual([
      ["From", "support@shop.example.com"],
      ["To", "pat@example.org"],
      ["Subject", "Re: Parcel"],
      ["Date", "Tue, 01 Dec 2026 18:57:41 +0000"],
      ["Message-ID", "<out-1.parley@shop.example.com>"],
      ["In-Reply-To", "<m1.abc@mail.example.net>"],
      ["References", "<first@mail.example.net> <m1.abc@mail.example.net>"],
      ["Reply-To", "desk@shop.example.com"],
      ["MIME-Version", "1.0"],
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Transfer-Encoding", "7bit"],
    ]);
    expect(body).toBe("Your parcel left today.\r\nhttps://cdn.example.com/a.jpg\r\nhttps://cdn.example.com/b.pdf\r\n");

    // A standard parser reads the same.
    const parsed = await PostalMime.parse(mail.raw);
    expect(parsed).toMatchObject({
      from: { address: "support@shop.example.com" },
      subject: "Re: Parcel",
      messageId: "<out-1.parley@shop.example.com>",
      inReplyTo: "<m1.abc@mail.example.net>",
      references: "<first@mail.example.net> <m1.abc@mail.example.net>",
      date: "2026-12-01T18:57:41.000Z",
      text: "Your parcel left today.\nhttps://cdn.example.com/a.jpg\nhttps://cdn.example.com/b.pdf\n",
    });
    expect(parsed.replyTo).toEqual([{ address: "desk@shop.example.com", name: "" }]);
  });

  it("a non-ASCII subject is RFC 2047 encoded words of whole characters, and a UTF-8 body quoted-printable; no line is over 78", async () => {
    const subject = "Réponse : commande n°1042 — très longue ligne de sujet, 日本語も 🎉 pour voir le pliage";
    const text = `Bonjour Pat — voilà : 1 = 1, a line long enough to need a soft break because it runs past seventy-six characters.\ntrailing space \nlast`;
    const mail = built({ body: text }, { subject });
    const { headers, lines } = split(mail.raw);
    const encoded = headers.find(([name]) => name === "Subject")![1];
    expect(encoded).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?)+$/);
    for (const word of encoded.split(" ")) expect(word.length).toBeLessThanOrEqual(75);
    for (const line of mail.raw.split("\r\n")) expect(line.length, line).toBeLessThanOrEqual(78);
    expect(lines.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(0); // folded
    expect(headers).toContainEqual(["Content-Transfer-Encoding", "quoted-printable"]);

    const parsed = await PostalMime.parse(mail.raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.text).toBe(`${text}\n`);
  });

  it("quoted-printable escapes =, non-ASCII bytes and a line's trailing white space, and soft-breaks without splitting an escape", () => {
    expect(quotedPrintable("a = b")).toBe("a =3D b");
    expect(quotedPrintable("é")).toBe("=C3=A9");
    expect(quotedPrintable("end \nnext\t")).toBe("end=20\r\nnext=09");
    const long = quotedPrintable("é".repeat(40));
    for (const line of long.split("\r\n")) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line.replace(/=$/, "")).toMatch(/^(=[0-9A-F]{2})+$/);
    }
  });

  it("a subject that would read as an encoded word, or carries line breaks, cannot forge a header", async () => {
    expect(encodeHeaderText("Plain subject")).toBe("Plain subject");
    expect(encodeHeaderText("=?UTF-8?B?Zm9v?=")).toMatch(/^=\?UTF-8\?B\?/);
    const mail = built({}, { subject: "Hello\r\nBcc: everyone@example.net" });
    const { headers } = split(mail.raw);
    expect(headers.map(([name]) => name)).not.toContain("Bcc");
    expect(headers).toContainEqual(["Subject", "Hello Bcc: everyone@example.net"]);
  });

  it("threading ids given bracketed are not bracketed twice; one with white space is left out; a long References keeps the first and the latest", () => {
    const ids = Array.from({ length: 80 }, (_, i) => `ref-${String(i).padStart(3, "0")}.${"x".repeat(20)}@mail.example.net`);
    const mail = built({}, { in_reply_to: "<m9@mail.example.net>", references: ["bad id@x", ...ids] });
    const { headers, lines } = split(mail.raw);
    expect(headers).toContainEqual(["In-Reply-To", "<m9@mail.example.net>"]);
    const refs = headers.find(([name]) => name === "References")![1].split(" ");
    expect(refs[0]).toBe(`<${ids[0]}>`);
    expect(refs.at(-1)).toBe(`<${ids.at(-1)}>`);
    expect(refs.join(" ").length).toBeLessThanOrEqual(1_900);
    expect(refs).not.toContain("<bad id@x>");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("without a given id, a fresh Message-ID at the From domain each time; Date is now", () => {
    const a = cloudflareMail(CHANNEL, message(), { now: NOW }) as BuiltMail;
    const b = cloudflareMail(CHANNEL, message(), { now: NOW }) as BuiltMail;
    expect(a.message_id).toMatch(/^[a-z0-9]+\.[0-9a-f]{24}\.parley@shop\.example\.com$/);
    expect(a.message_id).not.toBe(b.message_id);
    expect(split(a.raw).headers).toContainEqual(["Message-ID", `<${a.message_id}>`]);
  });

  it("refuses what cannot be sent: no From address, an address that would break a header", () => {
    const domainChannel: CloudflareChannel = { ...CHANNEL, sender: "shop.example.com" };
    expect(cloudflareMail(domainChannel, { to: "pat@example.org", body: "x", media: [] })).toMatchObject({ ok: false, retry: "permanent", code: "unsupported" });
    expect(cloudflareMail(CHANNEL, message({ to: "pat@example.org\r\nBcc: x@example.net" }))).toMatchObject({ ok: false, retry: "permanent", code: "invalid_address" });
    expect(cloudflareMail(CHANNEL, message({}, { reply_to: "Desk <desk@shop.example.com>" }))).toMatchObject({ ok: false, code: "invalid_address" });
  });
});

describe("sendCloudflare", () => {
  it("hands the binding an EmailMessage with the envelope and the raw message; accepted with the Message-ID the binding used", async () => {
    const { binding, given } = fakeBinding();
    const result = await sendCloudflare(CHANNEL, message({}, { in_reply_to: "m1@mail.example.net" }), binding, { now: NOW, messageId: "out-2.parley@shop.example.com" });
    expect(result).toEqual({ ok: true, provider_message_id: "cf-1@shop.example.com" });
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({ from: "support@shop.example.com", to: "pat@example.org" });
    expect(rawOf(given[0]!)).toBe(built({}, { in_reply_to: "m1@mail.example.net" }).raw.replace("out-1.parley", "out-2.parley"));
  });

  it("a binding that answers no Message-ID (or not one): ours is the id", async () => {
    for (const answer of [async () => undefined, async () => ({ messageId: "" }), async () => ({ messageId: "not an id" })]) {
      const { binding } = fakeBinding(answer);
      expect(await sendCloudflare(CHANNEL, message(), binding, { messageId: "out-3.parley@shop.example.com" })).toEqual({ ok: true, provider_message_id: "out-3.parley@shop.example.com" });
    }
  });

  it("nothing reaches the binding when the message cannot be built, or when the deployment has none", async () => {
    const { binding, given } = fakeBinding();
    expect(await sendCloudflare(CHANNEL, message({ to: "not an address" }), binding)).toMatchObject({ ok: false, retry: "permanent", code: "invalid_address" });
    expect(given).toHaveLength(0);
    expect(await sendCloudflare(CHANNEL, message(), undefined)).toMatchObject({ ok: false, retry: "permanent", code: "unsupported" });
  });

  it("classifies what the binding throws: the Workers API's codes, the local and Email Routing messages, anything else transient", async () => {
    const coded = (code: string, text = code) => Object.assign(new Error(text), { code });
    const cases: [unknown, "permanent" | "transient", string][] = [
      [coded("E_SENDER_NOT_VERIFIED", "Sender domain not verified"), "permanent", "E_SENDER_NOT_VERIFIED"],
      [coded("E_SENDER_DOMAIN_NOT_AVAILABLE"), "permanent", "E_SENDER_DOMAIN_NOT_AVAILABLE"],
      [coded("E_RECIPIENT_NOT_ALLOWED"), "permanent", "E_RECIPIENT_NOT_ALLOWED"],
      [coded("E_RECIPIENT_SUPPRESSED"), "permanent", "E_RECIPIENT_SUPPRESSED"],
      [coded("E_DELIVERY_FAILED"), "permanent", "E_DELIVERY_FAILED"],
      [coded("E_CONTENT_TOO_LARGE"), "permanent", "E_CONTENT_TOO_LARGE"],
      [coded("E_HEADER_VALUE_INVALID"), "permanent", "E_HEADER_VALUE_INVALID"],
      [coded("E_HEADERS_TOO_LARGE"), "permanent", "E_HEADERS_TOO_LARGE"],
      [coded("E_RATE_LIMIT_EXCEEDED"), "transient", "E_RATE_LIMIT_EXCEEDED"],
      [coded("E_DAILY_LIMIT_EXCEEDED"), "transient", "E_DAILY_LIMIT_EXCEEDED"],
      [coded("E_INTERNAL_SERVER_ERROR"), "transient", "E_INTERNAL_SERVER_ERROR"],
      [coded("E_SOMETHING_NEW"), "transient", "E_SOMETHING_NEW"],
      [new Error("email to pat@example.org not allowed"), "permanent", "destination_not_allowed"],
      [new Error("destination address is not a verified address"), "permanent", "destination_not_allowed"],
      [new Error("email from other@shop.example.com not allowed"), "permanent", "sender_not_allowed"],
      [new Error("invalid message-id"), "permanent", "invalid_message"],
      [new Error("From: header does not match mail from"), "permanent", "invalid_message"],
      [new Error("could not parse email: bad"), "permanent", "invalid_message"],
      [new Error("Network connection lost."), "transient", "send_failed"],
      ["a thrown string", "transient", "send_failed"],
    ];
    for (const [thrown, retry, code] of cases) {
      expect(classifySendError(thrown), String(thrown)).toMatchObject({ ok: false, retry, code });
      const { binding } = fakeBinding(() => Promise.reject(thrown));
      expect(await sendCloudflare(CHANNEL, message(), binding), String(thrown)).toMatchObject({ ok: false, retry, code, reason: expect.any(String) });
    }
  });

  it("a binding that does not answer in time is a transient timeout", async () => {
    const { binding } = fakeBinding(() => new Promise(() => {}));
    expect(await sendCloudflare(CHANNEL, message(), binding, { timeoutMs: 20 })).toMatchObject({ ok: false, retry: "transient", code: "timeout" });
  });

  it("through the local send_email binding: accepted, with the Message-ID it replaced ours with, at the sender's domain", async () => {
    const spy = vi.spyOn(env.SEND_EMAIL, "send");
    const result = await sendCloudflare(CHANNEL, message({ body: "Grüße" }, { subject: "Ärger" }), env.SEND_EMAIL, { messageId: "out-4.parley@shop.example.com" });
    expect(result).toMatchObject({ ok: true, provider_message_id: expect.stringMatching(/@shop\.example\.com$/) });
    const answered = await spy.mock.results[0]!.value;
    expect(result).toEqual({ ok: true, provider_message_id: answered.messageId.replace(/^<|>$/g, "") });
  });
});

afterEach(() => vi.restoreAllMocks());

/** Delivers a raw mail through the Worker's own email() handler, as Email Routing would; answers what it was rejected with. */
async function mailIn(raw: string, envelope: { from: string; to: string }): Promise<string[]> {
  const rejected: string[] = [];
  const incoming: ForwardableEmailMessage = {
    ...envelope,
    raw: new Response(raw).body!,
    headers: new Headers(),
    rawSize: new TextEncoder().encode(raw).byteLength,
    canBeForwarded: true,
    setReject: (reason: string) => void rejected.push(reason),
    forward: async () => ({ messageId: "unused" }),
    reply: async () => ({ messageId: "unused" }),
  };
  await worker.email!(incoming, env);
  return rejected;
}

/** An account with a cloudflare email channel at a fresh domain, and a customer's first mail to it in a conversation. */
async function mailThread(customer: string) {
  const { id: accountId, key } = await newAccount();
  const channel = await connect(key, bodies.cloudflare());
  const inboundId = `in-${crypto.randomUUID()}@mail.example.net`;
  const raw = [`From: "Pat Doe" <${customer}>`, `To: ${channel.sender}`, "Subject: Parcel 1042", `Message-ID: <${inboundId}>`, "Date: Tue, 01 Dec 2026 10:00:00 +0000", "Content-Type: text/plain; charset=utf-8", "", "Where is my parcel?", ""].join("\r\n");
  expect(await mailIn(raw, { from: customer, to: channel.sender })).toEqual([]);
  const conversationId = (await threadOf(accountId, "email", customer))!;
  expect(conversationId).toBeTruthy();
  return { key, channel, conversationId, inboundId };
}

describe("end to end: mail in through email(), the agent's answer out through SEND_EMAIL", () => {
  it("the local binding gets the threaded reply and the delivery ends sent with its Message-ID", async () => {
    const customer = `pat.${crypto.randomUUID().slice(0, 8)}@example.org`;
    const { key, channel, conversationId, inboundId } = await mailThread(customer);
    const spy = vi.spyOn(env.SEND_EMAIL, "send");

    const reply = await send(key, conversationId, { body: "It left *today*: [track it](https://example.com/t/1042)" });
    const delivery = await deliveryOf(key, conversationId, reply.id, (d) => d.status === "sent");

    expect(spy).toHaveBeenCalledTimes(1);
    const [given] = spy.mock.calls[0]! as [EmailMessage];
    expect(given).toMatchObject({ from: channel.sender, to: customer });
    const parsed = await PostalMime.parse(rawOf(given));
    expect(parsed).toMatchObject({
      from: { address: channel.sender },
      to: [{ address: customer }],
      subject: "Re: Parcel 1042",
      inReplyTo: `<${inboundId}>`,
      references: `<${inboundId}>`,
      text: "It left today: track it (https://example.com/t/1042)\n",
    });
    const answered = await spy.mock.results[0]!.value;
    const messageId = answered.messageId.replace(/^<|>$/g, "");
    expect(messageId.endsWith(`@${channel.sender.split("@")[1]}`)).toBe(true);
    expect(delivery.recipients).toEqual([expect.objectContaining({ channel: "email", address: customer, status: "sent", provider_message_id: messageId })]);
    expect(delivery.attempts).toEqual([expect.objectContaining({ channel_id: channel.id, provider: "cloudflare", outcome: "accepted", error_code: null })]);
    expect(await d1Number("SELECT count(*) AS n FROM outbound_messages WHERE provider = 'cloudflare' AND provider_message_id = ?", messageId)).toBe(1);
  });

  it("a recipient Email Service refuses (suppressed) fails at once with its code; nothing is retried", async () => {
    const customer = `lee.${crypto.randomUUID().slice(0, 8)}@example.org`;
    const { key, conversationId } = await mailThread(customer);
    const spy = vi.spyOn(env.SEND_EMAIL, "send").mockRejectedValue(Object.assign(new Error("Recipient is on suppression list"), { code: "E_RECIPIENT_SUPPRESSED" }));

    const reply = await send(key, conversationId, { body: "Any news?" });
    const delivery = await deliveryOf(key, conversationId, reply.id, (d) => d.status === "failed");
    expect(delivery.recipients[0]).toMatchObject({ status: "failed", error_code: "E_RECIPIENT_SUPPRESSED" });
    expect(delivery.attempts).toEqual([expect.objectContaining({ provider: "cloudflare", outcome: "failed", error_code: "E_RECIPIENT_SUPPRESSED", reason: "Recipient is on suppression list" })]);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
