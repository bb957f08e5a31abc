import { describe, expect, it } from "vitest";
import { MAILGUN_TOLERANCE_MS, mailgunSignature, parseMailgunInbound, verifyMailgunSignature } from "../src/channels/providers/mailgun";
import email from "./vectors/email_mailgun_sendgrid.json";

const refused = (path: string) => expect.objectContaining({ name: "ParseError", path });
const [good, badToken, empty] = email.mailgunSignature.vectors;

describe("Mailgun signature: the vectors", () => {
  const { signingKey, timestamp, token } = good!.inputs;
  const signature = good!.expected.signature!;
  const now = timestamp * 1000;

  it("verify_good: accepted, the timestamp as a number or as posted", async () => {
    expect(await mailgunSignature(signingKey, timestamp, token)).toBe(signature);
    expect(await verifyMailgunSignature({ timestamp, token, signature, signingKey, now })).toBe(true);
    expect(await verifyMailgunSignature({ timestamp: String(timestamp), token, signature: signature.toUpperCase(), signingKey, now })).toBe(true);
  });

  it("verify_bad_token: the signature of another token is refused", async () => {
    const { token: other } = badToken!.inputs;
    expect(await mailgunSignature(signingKey, timestamp, other)).toBe(badToken!.verification!.computed);
    expect(await verifyMailgunSignature({ timestamp, token: other, signature: badToken!.expected.signatureSupplied!, signingKey, now })).toBe(false);
  });

  it("empty: empty inputs are refused", async () => {
    const e = empty!.inputs;
    expect(await verifyMailgunSignature({ timestamp: e.timestamp, token: e.token, signature: e.signature!, signingKey: e.signingKey, now: 0 })).toBe(false);
    expect(await verifyMailgunSignature({ timestamp: null, token: null, signature: null, signingKey, now })).toBe(false);
  });

  it("refused with the wrong key, a tampered timestamp, or no key", async () => {
    expect(await verifyMailgunSignature({ timestamp, token, signature, signingKey: "key-other", now })).toBe(false);
    expect(await verifyMailgunSignature({ timestamp: timestamp + 1, token, signature, signingKey, now })).toBe(false);
    expect(await verifyMailgunSignature({ timestamp, token, signature, signingKey: "", now })).toBe(false);
  });

  it("refuses a timestamp more than five minutes off, either way", async () => {
    const at = (offset: number) => verifyMailgunSignature({ timestamp, token, signature, signingKey, now: now + offset });
    expect(await at(MAILGUN_TOLERANCE_MS)).toBe(true);
    expect(await at(-MAILGUN_TOLERANCE_MS)).toBe(true);
    expect(await at(MAILGUN_TOLERANCE_MS + 1000)).toBe(false);
    expect(await at(-MAILGUN_TOLERANCE_MS - 1000)).toBe(false);
    expect(await verifyMailgunSignature({ timestamp, token, signature, signingKey })).toBe(false); // 2014, judged by today's clock
  });
});

/**
 * A route forward() post with the fields the vectors list (email_mailgun_sendgrid.json
 * mailgunRouteForwardFields): no captured post is published, so the values are made up.
 */
function routePost(over: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    timestamp: "1403645220",
    token: "5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6",
    signature: "9cfc5c41582e51246e73c88d34db3af0a3a2692a76fbab81492842f000256d33",
    subject: "Re: Order #1042",
    sender: "bounce+1234@lists.Example.com",
    from: '"Doe, Jane" <Jane.Doe@Example.com>',
    recipient: "Reply+conv_01J9ABC@Parley.Example",
    "body-plain": "Still not here.\n\nOn Mon, Ada wrote:\n> Hi! How can we help?",
    "stripped-text": "Still not here.",
    "Message-Id": "<CAF=reply-1@mail.example.com>",
    "In-Reply-To": "<msg-1042@parley.example>",
    References: "<msg-1000@parley.example>\n <msg-1042@parley.example>",
    "message-headers": JSON.stringify([["Subject", "Re: Order #1042"], ["Message-Id", "<CAF=reply-1@mail.example.com>"]]),
    ...over,
  });
}

describe("parseMailgunInbound", () => {
  it("a route post: From header lowercased, the recipient, stripped text, threading headers", () => {
    expect(parseMailgunInbound(routePost())).toEqual({
      kind: "message",
      provider: "mailgun",
      channel: "email",
      provider_message_id: "CAF=reply-1@mail.example.com",
      from: "jane.doe@example.com",
      to: "reply+conv_01j9abc@parley.example",
      body: "Still not here.",
      media: [],
      in_reply_to: "msg-1042@parley.example",
      references: ["msg-1000@parley.example", "msg-1042@parley.example"],
      subject: "Re: Order #1042",
      profile_name: "Doe, Jane",
      received_at: 1403645220000,
    });
  });

  it("the signature of a route post verifies from its own fields", async () => {
    const post = routePost();
    const fields = { timestamp: post.get("timestamp"), token: post.get("token"), signature: post.get("signature") };
    expect(await verifyMailgunSignature({ ...fields, signingKey: good!.inputs.signingKey, now: 1403645220000 })).toBe(true);
  });

  it("falls back: body-plain without stripped-text, sender without From, headers only in message-headers", () => {
    const post = routePost({ "message-headers": JSON.stringify([["message-id", "<only-here@x>"], ["in-reply-to", "<parent@x>"]]) });
    for (const name of ["stripped-text", "from", "Message-Id", "In-Reply-To", "References", "timestamp"]) post.delete(name);
    expect(parseMailgunInbound(post, 42)).toMatchObject({
      provider_message_id: "only-here@x",
      in_reply_to: "parent@x",
      references: [],
      from: "bounce+1234@lists.example.com",
      body: "Still not here.\n\nOn Mon, Ada wrote:\n> Hi! How can we help?",
      profile_name: undefined,
      received_at: 42,
    });
  });

  it("an empty stripped-text is kept empty: the quoted history is not new text", () => {
    expect(parseMailgunInbound(routePost({ "stripped-text": "" })).body).toBe("");
  });

  it("multipart attachments become mailgun-attachment references; store() attachments keep their URLs", () => {
    const form = new FormData();
    for (const [key, value] of routePost()) form.append(key, value);
    form.append("attachment-count", "2");
    form.append("attachment-1", new File(["%PDF"], "invoice.pdf", { type: "application/pdf" }));
    form.append("attachment-2", new File(["?"], "", { type: "" }));
    expect(parseMailgunInbound(form).media).toEqual([
      { url: "mailgun-attachment:attachment-1", content_type: "application/pdf", filename: "invoice.pdf" },
      { url: "mailgun-attachment:attachment-2", content_type: "application/octet-stream", filename: undefined },
    ]);
    const stored = JSON.stringify([{ url: "https://storage.mailgun.net/v3/domains/x/messages/y/attachments/0", "content-type": "image/png", name: "a.png", size: 10 }]);
    expect(parseMailgunInbound(routePost({ attachments: stored })).media).toEqual([
      { url: "https://storage.mailgun.net/v3/domains/x/messages/y/attachments/0", content_type: "image/png", filename: "a.png" },
    ]);
  });

  it("malformed posts name the field", () => {
    const without = (...names: string[]) => {
      const post = routePost();
      for (const name of names) post.delete(name);
      return post;
    };
    expect(() => parseMailgunInbound(without("Message-Id", "message-headers"))).toThrow(refused("Message-Id"));
    expect(() => parseMailgunInbound(without("recipient"))).toThrow(refused("recipient"));
    expect(() => parseMailgunInbound(routePost({ from: "Jane <not an address>" }))).toThrow(refused("from"));
    expect(() => parseMailgunInbound(routePost({ "message-headers": "{", "Message-Id": "" }))).toThrow(refused("message-headers"));
    expect(() => parseMailgunInbound(routePost({ "attachment-count": "1" }))).toThrow(refused("attachment-1"));
    expect(() => parseMailgunInbound(routePost({ "attachment-count": "many" }))).toThrow(refused("attachment-count"));
    expect(() => parseMailgunInbound(routePost({ attachments: JSON.stringify([{ name: "x" }]) }))).toThrow(refused("attachments[0].url"));
  });
});
