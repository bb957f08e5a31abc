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

/** A post with binary parts (Mailgun's forward() with attachments, multipart/form-data). */
export type SignedUpload = Omit<SignedPost, "body"> & { body: Uint8Array };

/**
 * A file a simulated customer sends. The webhook names it the provider's way and the simulator
 * serves it back the provider's way (worker.ts): a WhatsApp media id for the Graph's media lookup,
 * a Twilio MediaUrl on its Messages API (basic auth, then a redirect to the CDN), a Messenger CDN
 * URL, a Mailgun file part.
 */
export interface SimMedia {
  /** The provider's id for it: digits (WhatsApp), ME + 32 hex (Twilio), hex (the CDN's name). */
  id: string;
  content_type: string;
  filename?: string;
  bytes: Uint8Array;
}

/** Where the simulator serves a file without credentials, as a provider's CDN does. */
export const cdnUrl = (origin: string, id: string) => `${origin}/_sim/cdn/${id}`;

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

/**
 * An inbound SMS (or WhatsApp through Twilio) as Twilio posts it: the fields of the sms_inbound
 * vector. With media it is an MMS (an MM sid), each file a MediaUrlN on the simulator's Twilio API
 * at `origin`, as Twilio's own point at api.twilio.com.
 */
export function twilioInbound(channel: SimChannel, from: string, text: string, media: SimMedia[] = [], origin = ""): Promise<SignedPost> {
  const sid = twilioSid(media.length > 0 ? "MM" : "SM");
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
  form.set("NumMedia", String(media.length));
  media.forEach((m, i) => {
    form.set(`MediaUrl${i}`, `${origin}/2010-04-01/Accounts/${channel.credentials.account_sid ?? ""}/Messages/${sid}/Media/${m.id}`);
    form.set(`MediaContentType${i}`, m.content_type);
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

/** The Cloud API's type for a file: image, audio and video by MIME type, a document otherwise. */
function whatsAppType(contentType: string): "image" | "audio" | "video" | "document" {
  const top = contentType.split("/")[0];
  return top === "image" || top === "audio" || top === "video" ? top : "document";
}

/**
 * A customer's WhatsApp text, as the Cloud API's text_official vector; with media, one message per
 * file as the image_official vector (its media id for the Graph's lookup), the text as the first
 * one's caption.
 */
export function whatsAppInbound(channel: SimChannel, from: string, text: string, now = Date.now(), media: SimMedia[] = []): Promise<SignedPost> {
  const wa = digits(from);
  const messages =
    media.length === 0
      ? [{ from: wa, id: wamid(), timestamp: epochSeconds(now), type: "text", text: { body: text } }]
      : media.map((m, i) => {
          const type = whatsAppType(m.content_type);
          const caption = i === 0 && text !== "" && type !== "audio" ? { caption: text } : {};
          const filename = type === "document" && m.filename ? { filename: m.filename } : {};
          return { from: wa, id: wamid(), timestamp: epochSeconds(now), type, [type]: { id: m.id, mime_type: m.content_type, sha256: "c2ltdWxhdGVk", ...caption, ...filename } };
        });
  const payload = whatsAppEnvelope(channel, { contacts: [{ profile: { name: "Simulated Customer" }, wa_id: wa }], messages });
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

/** A person's Messenger message to the page (sender: their page-scoped id); files as attachments on the simulator's CDN at `origin`. */
export function messengerInbound(channel: SimChannel, psid: string, text: string, now = Date.now(), media: SimMedia[] = [], origin = ""): Promise<SignedPost> {
  const kind = (type: string) => (["image", "audio", "video"].includes(type.split("/")[0]!) ? type.split("/")[0]! : "file");
  const attachments = media.map((m) => ({ type: kind(m.content_type), payload: { url: cdnUrl(origin, m.id) } }));
  const message = { mid: mid(), ...(text !== "" ? { text } : {}), ...(attachments.length > 0 ? { attachments } : {}) };
  return metaPost(channel.inbound_url, channel.credentials.app_secret ?? "", pageEnvelope(channel, psid, { message }, now));
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

/** mailgunInbound with files: forward() posts them as `attachment-N` parts of a multipart form, `attachment-count` saying how many. */
export async function mailgunInboundWithAttachments(channel: SimChannel, from: string, text: string, subject: string | undefined, media: SimMedia[], now = Date.now()): Promise<SignedUpload> {
  const fields = new URLSearchParams((await mailgunInbound(channel, from, text, subject, now)).body);
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.set("attachment-count", String(media.length));
  media.forEach((m, i) => form.append(`attachment-${i + 1}`, new File([m.bytes], m.filename ?? `attachment-${i + 1}`, { type: m.content_type })));
  // Serialised here, so what is posted is exactly these bytes with this boundary.
  const request = new Request(channel.inbound_url, { method: "POST", body: form });
  return { url: channel.inbound_url, headers: { "content-type": request.headers.get("content-type") ?? "" }, body: new Uint8Array(await request.arrayBuffer()) };
}

/** The customer's message with files, in its provider's format; `origin` is where the simulator serves them. */
export function customerMessageWithMedia(channel: SimChannel, from: string, text: string, subject: string | undefined, media: SimMedia[], origin: string): Promise<SignedPost | SignedUpload> {
  if (media.length === 0) return customerMessage(channel, from, text, subject);
  if (channel.provider === "twilio") return twilioInbound(channel, from, text, media, origin);
  if (channel.provider === "mailgun") return mailgunInboundWithAttachments(channel, from, text, subject, media);
  return channel.type === "messenger" ? messengerInbound(channel, from, text, Date.now(), media, origin) : whatsAppInbound(channel, from, text, Date.now(), media);
}

/** The customer's message on the channel, in its provider's format. */
export function customerMessage(channel: SimChannel, from: string, text: string, subject?: string): Promise<SignedPost> {
  if (channel.provider === "twilio") return twilioInbound(channel, from, text);
  if (channel.provider === "mailgun") return mailgunInbound(channel, from, text, subject);
  return channel.type === "messenger" ? messengerInbound(channel, from, text) : whatsAppInbound(channel, from, text);
}
