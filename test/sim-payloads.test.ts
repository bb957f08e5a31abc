// The simulator's webhooks (sim/payloads.ts) pass Parley's own verification and parse into the
// events they mean: what the simulator posts is what Parley takes from the real providers.
import { describe, expect, it } from "vitest";
import { parseMailgunInbound, verifyMailgunSignature } from "../src/channels/providers/mailgun";
import { parseMessengerWebhook, parseWhatsAppWebhook, verifyMetaSignature } from "../src/channels/providers/meta";
import { parseTwilioWebhook, verifyTwilioSignature } from "../src/channels/providers/twilio";
import { magicOf, WHATSAPP_UNDELIVERABLE } from "../sim/magic";
import { customerMessage, messengerReceipt, twilioStatus, whatsAppStatus, type SignedPost, type SimChannel } from "../sim/payloads";
// The simulator's Worker is checked by tsc through this import (tsconfig does not include sim/).
import type {} from "../sim/worker";

const inbound = "http://127.0.0.1:8787/v1/inbound/chan_test";
const sms: SimChannel = { id: "chan_sms", type: "sms", provider: "twilio", sender: "+15005550006", inbound_url: inbound, credentials: { account_sid: `AC${"0".repeat(32)}`, auth_token: "tok" } };
const whatsapp: SimChannel = { id: "chan_wa", type: "whatsapp", provider: "meta", sender: "106540352242922", inbound_url: inbound, credentials: { access_token: "at", app_secret: "shh", verify_token: "v" } };
const messenger: SimChannel = { ...whatsapp, id: "chan_ms", type: "messenger", sender: "109876543210987" };
const email: SimChannel = { id: "chan_em", type: "email", provider: "mailgun", sender: "support@parley.test", inbound_url: inbound, credentials: { api_key: "k", signing_key: "sk" } };

const twilioOk = (p: SignedPost, authToken = "tok") =>
  verifyTwilioSignature({ url: p.url, signature: p.headers["x-twilio-signature"] ?? null, authToken, rawBody: p.body, contentType: p.headers["content-type"] ?? null });
const metaOk = (p: SignedPost, secret = "shh") => verifyMetaSignature(new TextEncoder().encode(p.body), p.headers["x-hub-signature-256"] ?? null, secret);

describe("simulated customers", () => {
  it("SMS: a Twilio inbound form, signed over the inbound URL with the auth token", async () => {
    const post = await customerMessage(sms, "+14155550123", "hello");
    expect(await twilioOk(post)).toBe(true);
    expect(await twilioOk(post, "other")).toBe(false);
    const [event] = parseTwilioWebhook(new URLSearchParams(post.body));
    expect(event).toMatchObject({ kind: "message", channel: "sms", from: "+14155550123", to: "+15005550006", body: "hello", provider_message_id: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
  });

  it("WhatsApp: a Cloud API webhook with X-Hub-Signature-256 over its bytes", async () => {
    const post = await customerMessage(whatsapp, "+14155550123", "hi there");
    expect(await metaOk(post)).toBe(true);
    expect(await metaOk(post, "other")).toBe(false);
    expect(parseWhatsAppWebhook(JSON.parse(post.body))).toEqual([
      expect.objectContaining({ kind: "message", channel: "whatsapp", from: "+14155550123", to: "106540352242922", body: "hi there", profile_name: "Simulated Customer" }),
    ]);
  });

  it("Messenger: a page webhook from the person's PSID", async () => {
    const post = await customerMessage(messenger, "5678901234", "yo");
    expect(await metaOk(post)).toBe(true);
    expect(parseMessengerWebhook(JSON.parse(post.body))).toEqual([expect.objectContaining({ kind: "message", channel: "messenger", from: "5678901234", body: "yo" })]);
  });

  it("email: a Mailgun route post, signed over timestamp + token with a fresh token", async () => {
    const post = await customerMessage(email, "Pat@Example.com", "where is it?", "Order 1042");
    const form = new URLSearchParams(post.body);
    const fields = { timestamp: form.get("timestamp"), token: form.get("token"), signature: form.get("signature") };
    expect(await verifyMailgunSignature({ ...fields, signingKey: "sk" })).toBe(true);
    expect(await verifyMailgunSignature({ ...fields, signingKey: "other" })).toBe(false);
    expect(parseMailgunInbound(form)).toMatchObject({ from: "pat@example.com", to: "support@parley.test", body: "where is it?", subject: "Order 1042" });
    const again = new URLSearchParams((await customerMessage(email, "pat@example.com", "x")).body);
    expect(again.get("token")).not.toBe(fields.token);
  });
});

describe("simulated receipts", () => {
  it("Twilio status callbacks, signed over the StatusCallback URL", async () => {
    const m = { sid: `SM${"a".repeat(32)}`, accountSid: sms.credentials.account_sid!, from: sms.sender, to: "+15550100001" };
    const delivered = await twilioStatus(inbound, "tok", { ...m, status: "delivered" });
    expect(await twilioOk(delivered)).toBe(true);
    expect(parseTwilioWebhook(new URLSearchParams(delivered.body))).toEqual([expect.objectContaining({ kind: "receipt", status: "delivered", provider_message_id: m.sid })]);
    const undelivered = await twilioStatus(inbound, "tok", { ...m, status: "undelivered", errorCode: "30003" });
    expect(parseTwilioWebhook(new URLSearchParams(undelivered.body))).toEqual([expect.objectContaining({ status: "undelivered", error: expect.objectContaining({ code: "30003" }) })]);
  });

  it("WhatsApp statuses, and the undeliverable number's 131026", async () => {
    const sent = await whatsAppStatus(whatsapp, { id: "wamid.X", to: "14155550123", status: "sent" });
    expect(await metaOk(sent)).toBe(true);
    expect(parseWhatsAppWebhook(JSON.parse(sent.body))).toEqual([expect.objectContaining({ kind: "receipt", status: "sent", provider_message_id: "wamid.X" })]);
    const failed = await whatsAppStatus(whatsapp, { id: "wamid.Y", to: "15550100001", status: "failed", error: WHATSAPP_UNDELIVERABLE });
    expect(parseWhatsAppWebhook(JSON.parse(failed.body))).toEqual([expect.objectContaining({ status: "failed", error: expect.objectContaining({ code: "131026" }) })]);
  });

  it("Messenger delivery events name the mids", async () => {
    const post = await messengerReceipt(messenger, "5678901234", "delivery", ["m_1"]);
    expect(await metaOk(post)).toBe(true);
    expect(parseMessengerWebhook(JSON.parse(post.body))).toEqual([expect.objectContaining({ kind: "receipt", status: "delivered", provider_message_id: "m_1" })]);
  });
});

describe("magic recipients", () => {
  it("match on digits whatever the spelling, and email's flaky@", () => {
    expect(["+15550100001", "whatsapp:+15550100001", "15550100001"].map(magicOf)).toEqual(["undeliverable", "undeliverable", "undeliverable"]);
    expect(magicOf("+15550100003")).toBe("flaky");
    expect(magicOf("Flaky@example.com")).toBe("flaky");
    expect(magicOf("+14155550123")).toBeNull();
    expect(magicOf("pat@example.com")).toBeNull();
  });
});
