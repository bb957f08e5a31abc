import { describe, expect, it } from "vitest";
import { mailgunSignature } from "../src/channels/providers/mailgun";
import { metaSignature } from "../src/channels/providers/meta";
import { twilioSignature } from "../src/channels/providers/twilio";
import { bodies, connect, history, SECRETS, threadOf } from "./channel-fixtures";
import { call, d1Number, newAccount, rawCall } from "./helpers";

// Provider webhooks end to end inside the Worker: signed the way each provider signs, verified with
// the channel's own secret, and stored once in the sender's thread.

const CUSTOMER = "+14155550142";

/** A Twilio inbound SMS as Twilio posts it (form fields of the vectors' shape), signed for `url`. */
async function twilioPost(url: string, fields: Record<string, string>, token = SECRETS.auth_token) {
  const params = new URLSearchParams(fields);
  const signature = (await twilioSignature(token, url, params))!;
  return rawCall("POST", new URL(url).pathname, { body: params.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } });
}

const sms = (sender: string, sid: string, body: string, from = CUSTOMER) => ({
  MessageSid: sid,
  SmsSid: sid,
  AccountSid: SECRETS.account_sid,
  From: from,
  To: sender,
  Body: body,
  NumMedia: "0",
});

describe("inbound webhooks: Twilio", () => {
  it("stores a signed SMS in a new conversation with the sender as customer, and answers empty TwiML", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const res = await twilioPost(channel.inbound_url, sms("+14155550100", "SM00000000000000000000000000000001", "Where is my parcel?"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/xml");
    expect(res.text).toContain("<Response></Response>");

    const conversationId = await threadOf(accountId, "sms", CUSTOMER);
    expect(conversationId).not.toBeNull();
    const messages = await history(key, conversationId!);
    expect(messages).toEqual([expect.objectContaining({ body: "Where is my parcel?", author: CUSTOMER, author_kind: "customer", channel: "sms" })]);
    expect(messages[0]!.attributes.inbound?.provider_message_id).toBe("SM00000000000000000000000000000001");
    const participants = (await call("GET", `/v1/conversations/${conversationId}/participants`, { key })).json.data;
    expect(participants).toEqual([expect.objectContaining({ kind: "customer", channel: "sms", address: CUSTOMER })]);
  });

  it("a retried webhook, even one racing its first attempt, is stored once; the next message joins the same thread", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const first = sms("+14155550100", "SM00000000000000000000000000000002", "hello");
    const racing = await Promise.all([twilioPost(channel.inbound_url, first), twilioPost(channel.inbound_url, first), twilioPost(channel.inbound_url, first)]);
    expect(racing.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await twilioPost(channel.inbound_url, first)).status).toBe(200);
    expect((await twilioPost(channel.inbound_url, sms("+14155550100", "SM00000000000000000000000000000003", "anyone?"))).status).toBe(200);

    const conversationId = await threadOf(accountId, "sms", CUSTOMER);
    expect((await history(key, conversationId!)).map((m) => m.body)).toEqual(["hello", "anyone?"]);
    expect(await d1Number("SELECT count(*) AS n FROM contacts WHERE account_id = ?", accountId)).toBe(1);
  });

  it("a missing, wrong or tampered signature is a 401 and stores nothing", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const fields = sms("+14155550100", "SM00000000000000000000000000000004", "hi");
    const path = new URL(channel.inbound_url).pathname;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await rawCall("POST", path, { body: new URLSearchParams(fields).toString(), headers: form })).status).toBe(401);
    expect((await twilioPost(channel.inbound_url, fields, "not-the-auth-token")).status).toBe(401);
    const signature = (await twilioSignature(SECRETS.auth_token, channel.inbound_url, new URLSearchParams(fields)))!;
    const tampered = new URLSearchParams({ ...fields, Body: "send me a refund" }).toString();
    const res = await rawCall("POST", path, { body: tampered, headers: { ...form, "x-twilio-signature": signature } });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await d1Number("SELECT count(*) AS n FROM contacts WHERE account_id = ?", accountId)).toBe(0);
    expect(await threadOf(accountId, "sms", CUSTOMER)).toBeNull();
  });

  it("a correctly signed but malformed payload is a 400 naming the field, and stores nothing", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const { MessageSid: _m, SmsSid: _s, ...noSid } = sms("+14155550100", "x", "hi");
    const res = await twilioPost(channel.inbound_url, noSid);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].path).toMatch(/^body\./);
    expect(await d1Number("SELECT count(*) AS n FROM contacts WHERE account_id = ?", accountId)).toBe(0);
  });

  it("an unknown channel is a 404; a closed conversation's next message starts a new one", async () => {
    const { id: accountId, key } = await newAccount();
    expect((await rawCall("POST", "/v1/inbound/chan_01JD5V7J3E9Q8M2K4N6P0R1S2T", { body: "", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(404);
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    await twilioPost(channel.inbound_url, sms("+14155550100", "SM00000000000000000000000000000005", "first"));
    const before = (await threadOf(accountId, "sms", CUSTOMER))!;
    expect((await call("PATCH", `/v1/conversations/${before}`, { key, body: { status: "closed" } })).status).toBe(200);
    await twilioPost(channel.inbound_url, sms("+14155550100", "SM00000000000000000000000000000006", "again"));
    const after = (await threadOf(accountId, "sms", CUSTOMER))!;
    expect(after).not.toBe(before);
    expect((await history(key, after)).map((m) => m.body)).toEqual(["again"]);
  });
});

describe("inbound webhooks: retries after the conversation changed", () => {
  it("a message already stored is only acknowledged on a retry, even after its conversation was deleted", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const first = sms("+14155550100", "SM00000000000000000000000000000010", "stored once");
    await twilioPost(channel.inbound_url, first);
    const stored = (await threadOf(accountId, "sms", CUSTOMER))!;
    expect((await call("DELETE", `/v1/conversations/${stored}`, { key })).status).toBe(204);
    // The provider did not see our first answer and retries: nothing new appears anywhere.
    expect((await twilioPost(channel.inbound_url, first)).status).toBe(200);
    expect(await threadOf(accountId, "sms", CUSTOMER)).toBe(stored);
    // The person's next message starts a new conversation holding only it.
    await twilioPost(channel.inbound_url, sms("+14155550100", "SM00000000000000000000000000000011", "new topic"));
    const next = (await threadOf(accountId, "sms", CUSTOMER))!;
    expect(next).not.toBe(stored);
    expect((await history(key, next)).map((m) => m.body)).toEqual(["new topic"]);
  });
});

describe("inbound webhooks: Mailgun", () => {
  async function mailgunPost(url: string, fields: Record<string, string>, token: string) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = (await mailgunSignature(SECRETS.signing_key, timestamp, token))!;
    const form = new URLSearchParams({ ...fields, timestamp, token, signature });
    return rawCall("POST", new URL(url).pathname, { body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }
  const mail = (id: string, text: string) => ({
    "Message-Id": `<${id}@mail.example.com>`,
    from: "Pat Doe <Pat@Example.com>",
    recipient: "support@mg.example.com",
    subject: "My order",
    "body-plain": `${text}\n\n> earlier quoted text`,
    "stripped-text": text,
  });

  it("stores a signed email without its quoted history; the same signed token again, with another body, is a 401", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.mailgun("mg.example.com"));
    const token = "a".repeat(50);
    expect((await mailgunPost(channel.inbound_url, mail("m1", "Where is it?"), token)).status).toBe(200);
    const conversationId = (await threadOf(accountId, "email", "pat@example.com"))!;
    expect(await history(key, conversationId)).toEqual([expect.objectContaining({ body: "Where is it?", author: "pat@example.com", channel: "email" })]);
    const replay = await mailgunPost(channel.inbound_url, mail("m2", "send the refund to my other card"), token);
    expect(replay.status).toBe(401);
    expect((await history(key, conversationId)).map((m) => m.body)).toEqual(["Where is it?"]);
  });
});

describe("inbound webhooks: Meta (WhatsApp Cloud API)", () => {
  const PHONE_NUMBER_ID = "106540352242922";
  const webhook = (id: string, text: string, from = "14155550142") => ({
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
              contacts: [{ profile: { name: "Kerry Fisher" }, wa_id: from }],
              messages: [{ from, id, timestamp: "1750000000", type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });

  async function metaPost(url: string, payload: unknown, secret = SECRETS.app_secret) {
    const raw = JSON.stringify(payload);
    const signature = (await metaSignature(raw, secret))!;
    return rawCall("POST", new URL(url).pathname, { body: raw, headers: { "content-type": "application/json", "x-hub-signature-256": signature } });
  }

  it("answers the verification handshake with the challenge only for the channel's verify token", async () => {
    const { key } = await newAccount();
    const channel = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    const path = new URL(channel.inbound_url).pathname;
    const ok = await rawCall("GET", `${path}?hub.mode=subscribe&hub.verify_token=${SECRETS.verify_token}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("1158201444");
    expect((await rawCall("GET", `${path}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444`)).status).toBe(403);
  });

  it("stores a signed message with the profile name; a wrong signature is a 401 that stores nothing", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    expect((await metaPost(channel.inbound_url, webhook("wamid.A1", "hola"), "wrong-secret")).status).toBe(401);
    expect(await threadOf(accountId, "whatsapp", CUSTOMER)).toBeNull();

    expect((await metaPost(channel.inbound_url, webhook("wamid.A1", "hola"))).status).toBe(200);
    const conversationId = (await threadOf(accountId, "whatsapp", CUSTOMER))!;
    expect(await history(key, conversationId)).toEqual([expect.objectContaining({ body: "hola", author: CUSTOMER, channel: "whatsapp" })]);
    const conv = (await call("GET", `/v1/conversations/${conversationId}`, { key })).json;
    expect(conv.friendly_name).toBe("Kerry Fisher");
  });

  it("one person on WhatsApp and SMS (one contact with both addresses) keeps one thread", async () => {
    const { id: accountId, key } = await newAccount();
    const whatsapp = await connect(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    const smsChannel = await connect(key, bodies.twilioSms("+14155550100"));
    const contact = await call("POST", "/v1/contacts", { key, body: { name: "Kerry", addresses: [{ channel: "whatsapp", address: CUSTOMER }, { channel: "sms", address: CUSTOMER }] } });
    expect(contact.status).toBe(201);
    await metaPost(whatsapp.inbound_url, webhook("wamid.B1", "on whatsapp"));
    await twilioPost(smsChannel.inbound_url, sms("+14155550100", "SM00000000000000000000000000000007", "now by sms"));
    const conversationId = (await threadOf(accountId, "whatsapp", CUSTOMER))!;
    expect(await threadOf(accountId, "sms", CUSTOMER)).toBe(conversationId);
    expect((await history(key, conversationId)).map((m) => [m.body, m.channel])).toEqual([
      ["on whatsapp", "whatsapp"],
      ["now by sms", "sms"],
    ]);
  });
});
