/**
 * Twilio (SMS, MMS, WhatsApp through Twilio): X-Twilio-Signature and the form-encoded webhooks of
 * inbound messages and status callbacks. Pure: the inbound route calls these and stores the events.
 */
import { ParseError, type InboundEvent, type InboundMessage, type InboundReceipt, type ReceiptStatus } from "../inbound";
import { normalizeRef } from "../registry";
import { bytesToBase64 as base64, secretsEqual, sha256Hex } from "../../lib/crypto";
import { hmac } from "./hmac";

export type TwilioParams = URLSearchParams | Record<string, string | readonly string[]>;

export type TwilioSignedRequest = {
  /** The URL Twilio called, query included, built from the deployment's public base URL. */
  url: string;
  /** The X-Twilio-Signature header, null when absent. */
  signature: string | null;
  authToken: string;
} & (
  | { params: TwilioParams }
  /** The body as received: a form is signed by its fields, anything else by `bodySHA256` in the URL. */
  | { rawBody: string; contentType: string | null }
);

/** Each key followed by its value, keys sorted, a repeated key's values de-duplicated and sorted. */
function signedParams(params: TwilioParams): string {
  const entries =
    params instanceof URLSearchParams
      ? [...params]
      : Object.entries(params).flatMap(([key, v]) => (typeof v === "string" ? [[key, v]] : v.map((x) => [key, x])));
  const values = new Map<string, Set<string>>();
  for (const [key, value] of entries) {
    if (key === undefined || value === undefined) continue;
    values.set(key, (values.get(key) ?? new Set()).add(value));
  }
  return [...values.keys()]
    .sort()
    .map((key) => [...(values.get(key) ?? [])].sort().map((value) => key + value).join(""))
    .join("");
}

/** The signature Twilio sends for `url` and `params` (null for an empty token); also signs the simulator's callbacks. */
export async function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): Promise<string | null> {
  const digest = await hmac("SHA-1", authToken, url + signedParams(params));
  return digest && base64(digest);
}

/**
 * The URL forms Twilio may have signed for the one the app sees: as given, as the WHATWG parser
 * writes it (a raw `'` in the query becomes %27), without its port, and with the scheme's default
 * port added. Twilio's own validators try these: its edge signs inconsistently.
 */
export function twilioUrlVariants(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  const userinfo = u.username ? `${u.username}${u.password ? `:${u.password}` : ""}@` : "";
  const withPort = (port: string) => `${u.protocol}//${userinfo}${u.hostname}${port ? `:${port}` : ""}${u.pathname}${u.search}`;
  const defaultPort = u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "";
  return [...new Set([url, u.href, withPort(""), withPort(u.port || defaultPort)])];
}

function isForm(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** A JSON body is covered only through the URL's `bodySHA256`, so that must be the body's hash. */
async function bodyHashMatches(url: string, rawBody: string): Promise<boolean> {
  let claimed: string | null;
  try {
    claimed = new URL(url).searchParams.get("bodySHA256");
  } catch {
    return false;
  }
  return claimed !== null && secretsEqual(await sha256Hex(rawBody), claimed.toLowerCase());
}

/** True when the request carries a valid X-Twilio-Signature for one of the URL forms Twilio signs. */
export async function verifyTwilioSignature(request: TwilioSignedRequest): Promise<boolean> {
  const { signature, authToken, url } = request;
  if (!signature) return false;
  let params: TwilioParams = {};
  if ("params" in request) params = request.params;
  else if (isForm(request.contentType)) params = new URLSearchParams(request.rawBody);
  else if (!(await bodyHashMatches(url, request.rawBody))) return false;
  for (const candidate of twilioUrlVariants(url)) {
    const expected = await twilioSignature(authToken, candidate, params);
    if (expected !== null && secretsEqual(expected, signature)) return true;
  }
  return false;
}

/**
 * Every MessageStatus Twilio documents. Null: a state on the way (or of an inbound message) that
 * changes nothing Parley records; a delivery starts queued. `partially_delivered` claims neither
 * way for one recipient; a canceled scheduled message was never sent.
 */
const STATUSES = new Map<string, ReceiptStatus | null>([
  ["queued", null],
  ["accepted", null],
  ["scheduled", null],
  ["sending", null],
  ["receiving", null],
  ["received", null],
  ["partially_delivered", null],
  ["sent", "sent"],
  ["delivered", "delivered"],
  ["read", "read"],
  ["failed", "failed"],
  ["undelivered", "undelivered"],
  ["canceled", "failed"],
]);

/** A receipt status for a MessageStatus: null when it records nothing, undefined when Twilio does not document it. */
export function twilioStatusOf(status: string): ReceiptStatus | null | undefined {
  return STATUSES.get(status);
}

const WHATSAPP = "whatsapp:";

function field(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name);
  return value === null || value === "" ? undefined : value;
}

function required(form: URLSearchParams, ...names: string[]): string {
  for (const name of names) {
    const value = field(form, name);
    if (value !== undefined) return value;
  }
  throw new ParseError(names[0] ?? "", "is required");
}

/** A phone address without Twilio's `whatsapp:` prefix, as E.164 when it is one (a short code stays as given). */
function address(form: URLSearchParams, name: string): string {
  const raw = required(form, name);
  return normalizeRef(raw.startsWith(WHATSAPP) ? raw.slice(WHATSAPP.length) : raw);
}

function isWhatsApp(form: URLSearchParams): boolean {
  return [form.get("From"), form.get("To")].some((a) => a?.startsWith(WHATSAPP)) || form.get("ChannelPrefix") === "whatsapp";
}

function number(form: URLSearchParams, name: string, limit: number): number {
  const value = Number(required(form, name).trim() || "x");
  if (!Number.isFinite(value) || Math.abs(value) > limit) throw new ParseError(name, `must be a number between -${limit} and ${limit}`);
  return value;
}

/**
 * MediaUrl0..N-1 for NumMedia N. A missing MediaContentTypeN (seen in captured fixtures, never in
 * Twilio's documentation) is taken as unknown binary rather than refusing the customer's message.
 */
function media(form: URLSearchParams): InboundMessage["media"] {
  const count = field(form, "NumMedia") ?? "0";
  if (!/^\d+$/.test(count)) throw new ParseError("NumMedia", "must be a whole number");
  return Array.from({ length: Number(count) }, (_, i) => ({
    url: required(form, `MediaUrl${i}`),
    content_type: field(form, `MediaContentType${i}`) ?? "application/octet-stream",
  }));
}

function message(form: URLSearchParams, now: number): InboundMessage {
  const attachments = media(form);
  const latitude = field(form, "Latitude");
  const longitude = field(form, "Longitude");
  const buttonId = field(form, "ButtonPayload") ?? field(form, "ButtonText");
  return {
    kind: "message",
    provider: "twilio",
    channel: isWhatsApp(form) ? "whatsapp" : attachments.length > 0 ? "mms" : "sms",
    provider_message_id: required(form, "MessageSid", "SmsMessageSid", "SmsSid"),
    from: address(form, "From"),
    to: address(form, "To"),
    body: form.get("Body") ?? "",
    media: attachments,
    location:
      latitude !== undefined || longitude !== undefined
        ? { latitude: number(form, "Latitude", 90), longitude: number(form, "Longitude", 180), name: field(form, "Label"), address: field(form, "Address") }
        : undefined,
    reply: buttonId !== undefined ? { kind: "button", id: buttonId, title: field(form, "ButtonText") ?? buttonId } : undefined,
    in_reply_to: field(form, "OriginalRepliedMessageSid"),
    profile_name: field(form, "ProfileName"),
    received_at: now,
  };
}

function receipt(form: URLSearchParams, status: string, now: number): InboundReceipt[] {
  const mapped = twilioStatusOf(status);
  if (mapped === undefined) throw new ParseError("MessageStatus", `is not a Twilio message status: ${JSON.stringify(status)}`);
  if (mapped === null) return [];
  const base = {
    kind: "receipt",
    provider: "twilio",
    // Only WhatsApp callbacks say their channel; the rest are matched by provider_message_id anyway.
    channel: isWhatsApp(form) ? "whatsapp" : "sms",
    provider_message_id: required(form, "MessageSid", "SmsSid"),
    at: now,
  } as const;
  if (mapped !== "failed" && mapped !== "undelivered") return [{ ...base, status: mapped }];
  const code = field(form, "ErrorCode");
  return [{ ...base, status: mapped, error: code === undefined ? undefined : { code, message: field(form, "ErrorMessage") } }];
}

/**
 * The events of one Twilio webhook: an inbound message, or a status callback (MessageStatus set),
 * which yields no event for a state on the way. Twilio gives no time, so `now` stands in. Throws
 * ParseError naming the field (an unknown MessageStatus is one).
 */
export function parseTwilioWebhook(form: URLSearchParams, now: number = Date.now()): InboundEvent[] {
  const status = form.get("MessageStatus");
  return status !== null ? receipt(form, status, now) : [message(form, now)];
}
