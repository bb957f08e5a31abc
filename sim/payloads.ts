/**
 * What the simulator posts to Parley, in each provider's own wire format (the shapes of
 * test/vectors/), signed with Parley's own signing functions: a customer's message on each channel
 * and the status callbacks of the messages Parley sent. Pure: worker.ts does the fetching.
 */
import { mailgunSignature } from "../src/channels/providers/mailgun";
import { metaSignature } from "../src/channels/providers/meta";
import { twilioSignature } from "../src/channels/providers/twilio";

/** A channel as `npm start` (sim/channels.mjs) tells the simulator about it. */
export interface SimChannel {
  id: string;
  type: "sms" | "mms" | "whatsapp" | "messenger" | "email";
  provider: "twilio" | "meta" | "mailgun";
  sender: string;
  inbound_url: string;
  credentials: Record<string, string>;
}

/** A request ready for fetch(): where, and the exact bytes that were signed. */
export interface SignedPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function randomHex(chars: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(chars / 2)));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, chars);
}

/** Twilio resource SIDs: two letters and 32 hex digits (SM… for messages). */
export const twilioSid = (prefix: string) => prefix + randomHex(32);

/** A wamid: Meta's are `wamid.` and base64 of an opaque id; nothing reads inside them. */
export const wamid = () => `wamid.HBgL${btoa(randomHex(40)).replace(/=+$/, "")}`;

/** Messenger message ids. */
export const mid = () => `m_${btoa(randomHex(48)).replace(/[+/=]/g, "")}`;

const digits = (phone: string) => phone.replace(/^\+/, "").replace(/^whatsapp:\+?/, "");
const epochSeconds = (now: number) => String(Math.floor(now / 1000));
const FORM = "application/x-www-form-urlencoded";

/** Twilio signs the URL it calls and the sorted form fields with the account's auth token. */
async function twilioPost(url: string, authToken: string, form: URLSearchParams): Promise<SignedPost> {
  const signature = (await twilioSignature(authToken, url, form)) ?? "";
  return { url, headers: { "content-type": FORM, "x-twilio-signature": signature, "i-twilio-idempotency-token": crypto.randomUUID() }, body: form.toString() };
}

/** Meta signs the raw body bytes with the app secret. */
async function metaPost(url: string, appSecret: string, payload: unknown): Promise<SignedPost> {
  const body = JSON.stringify(payload);
  return { url, headers: { "content-type": "application/json", "x-hub-signature-256": (await metaSignature(body, appSecret)) ?? "" }, body };
}

/** An inbound SMS (or WhatsApp through Twilio) as Twilio posts it: the fields of the sms_inbound vector. */
export function twilioInbound(channel: SimChannel, from: string, text: string): Promise<SignedPost> {
  const sid = twilioSid("SM");
  const prefix = channel.type === "whatsapp" ? "whatsapp:" : "";
  const form = new URLSearchParams({
    ToCountry: "US",
    ToState: "",
    SmsMessageSid: sid,
    NumMedia: "0",
    ToCity: "",
    FromZip: "",
    SmsSid: sid,
    FromState: "",
    SmsStatus: "received",
    FromCity: "",
    Body: text,
    FromCountry: "US",
    To: prefix + channel.sender,
    ToZip: "",
    NumSegments: "1",
    MessageSid: sid,
    AccountSid: channel.credentials.account_sid ?? "",
    From: prefix + from,
    ApiVersion: "2010-04-01",
  });
  return twilioPost(channel.inbound_url, channel.credentials.auth_token ?? "", form);
}

/** A status callback to the StatusCallback URL Parley gave, signed with the account's auth token. */
export function twilioStatus(
  callbackUrl: string,
  authToken: string,
  m: { sid: string; accountSid: string; from: string; to: string; status: string; errorCode?: string },
): Promise<SignedPost> {
  const form = new URLSearchParams({ SmsSid: m.sid, SmsStatus: m.status, MessageStatus: m.status, To: m.to, MessageSid: m.sid, AccountSid: m.accountSid, From: m.from, ApiVersion: "2010-04-01" });
  if (m.to.startsWith("whatsapp:")) form.set("ChannelPrefix", "whatsapp");
  if (m.errorCode) form.set("ErrorCode", m.errorCode);
  return twilioPost(callbackUrl, authToken, form);
}

/** The WhatsApp Business Account id in the envelope: Parley reads only the phone_number_id. */
const wabaId = (channel: SimChannel) => `1${channel.sender.slice(1)}`;

function whatsAppEnvelope(channel: SimChannel, value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: wabaId(channel),
        changes: [{ value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: channel.sender }, ...value }, field: "messages" }],
      },
    ],
  };
}

/** A customer's WhatsApp text, as the Cloud API's text_official vector. */
export function whatsAppInbound(channel: SimChannel, from: string, text: string, now = Date.now()): Promise<SignedPost> {
  const wa = digits(from);
  const payload = whatsAppEnvelope(channel, {
    contacts: [{ profile: { name: "Simulated Customer" }, wa_id: wa }],
    messages: [{ from: wa, id: wamid(), timestamp: epochSeconds(now), type: "text", text: { body: text } }],
  });
  return metaPost(channel.inbound_url, channel.credentials.app_secret ?? "", payload);
}

export type WhatsAppError = { code: number; title: string; details: string };

/** A status webhook for a message Parley sent (sent, delivered, read, or failed with Meta's error). */
export function whatsAppStatus(channel: SimChannel, m: { id: string; to: string; status: string; error?: WhatsAppError }, now = Date.now()): Promise<SignedPost> {
  const status: Record<string, unknown> = { id: m.id, status: m.status, timestamp: epochSeconds(now), recipient_id: digits(m.to) };
  if (m.status === "sent" || m.status === "delivered") {
    status.conversation = { id: randomHex(32), origin: { type: "service" } };
    status.pricing = { billable: true, pricing_model: "CBP", category: "service" };
  }
  if (m.error) {
    const { code, title, details } = m.error;
    status.errors = [{ code, title, message: title, error_data: { details }, href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/" }];
  }
  return metaPost(channel.inbound_url, channel.credentials.app_secret ?? "", whatsAppEnvelope(channel, { statuses: [status] }));
}

function pageEnvelope(channel: SimChannel, psid: string, event: Record<string, unknown>, now: number) {
  return { object: "page", entry: [{ id: channel.sender, time: now, messaging: [{ sender: { id: psid }, recipient: { id: channel.sender }, timestamp: now, ...event }] }] };
}

/** A person's Messenger message to the page (sender: their page-scoped id). */
export function messengerInbound(channel: SimChannel, psid: string, text: string, now = Date.now()): Promise<SignedPost> {
  return metaPost(channel.inbound_url, channel.credentials.app_secret ?? "", pageEnvelope(channel, psid, { message: { mid: mid(), text } }, now));
}

/** Messenger's delivery (or read) event: watermarks, with the mids delivered. */
export function messengerReceipt(channel: SimChannel, psid: string, kind: "delivery" | "read", mids: string[], now = Date.now()): Promise<SignedPost> {
  const event = kind === "delivery" ? { delivery: { mids, watermark: now } } : { read: { watermark: now } };
  return metaPost(channel.inbound_url, channel.credentials.app_secret ?? "", pageEnvelope(channel, psid, event, now));
}

/** A Mailgun route's forward(): the parsed mail as form fields, signed over timestamp + token. */
export async function mailgunInbound(channel: SimChannel, from: string, text: string, subject = "Message from the simulator", now = Date.now()): Promise<SignedPost> {
  const timestamp = epochSeconds(now);
  // A fresh 50-character token each time: Parley refuses a token it has seen (replays).
  const token = randomHex(50);
  const recipient = channel.sender.includes("@") ? channel.sender : `support@${channel.sender}`;
  const messageId = `<${randomHex(24)}@sim.parley.test>`;
  const headers = [["From", from], ["To", recipient], ["Subject", subject], ["Message-Id", messageId], ["Date", new Date(now).toUTCString()]];
  const form = new URLSearchParams({
    timestamp,
    token,
    signature: (await mailgunSignature(channel.credentials.signing_key ?? "", timestamp, token)) ?? "",
    recipient,
    sender: from,
    from,
    subject,
    "Message-Id": messageId,
    "message-headers": JSON.stringify(headers),
    "body-plain": text,
    "stripped-text": text,
    "attachment-count": "0",
  });
  return { url: channel.inbound_url, headers: { "content-type": FORM }, body: form.toString() };
}

/** The customer's message on the channel, in its provider's format. */
export function customerMessage(channel: SimChannel, from: string, text: string, subject?: string): Promise<SignedPost> {
  if (channel.provider === "twilio") return twilioInbound(channel, from, text);
  if (channel.provider === "mailgun") return mailgunInbound(channel, from, text, subject);
  return channel.type === "messenger" ? messengerInbound(channel, from, text) : whatsAppInbound(channel, from, text);
}
