/**
 * Twilio outbound (SMS, MMS, WhatsApp through Twilio): POST /2010-04-01/Accounts/{Sid}/Messages.json,
 * form-encoded, HTTP basic auth with the AccountSid and AuthToken. Pure apart from the fetch given.
 */
import {
  apiBase,
  badResponse,
  basicAuth,
  exchange,
  isFailure,
  isSuccess,
  refusal,
  stringAt,
  withMediaLinks,
  type Fetch,
  type OutboundMessage,
  type SendChannel,
  type SendResult,
} from "../outbound";
import { smsSegments } from "./sms-segments";

const WHATSAPP = "whatsapp:";

/** A Messaging Service sends from its pool of numbers: Twilio takes it instead of From. */
const MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/;

/** 20429 too many requests; 21611 the sender's queue is full: both clear with time. */
const TRANSIENT = new Set(["20429", "21611"]);

/** The form Twilio's Messages resource takes, fields in the order its documentation lists them. */
export function twilioForm(channel: SendChannel<"twilio">, message: OutboundMessage): URLSearchParams {
  // WhatsApp through Twilio is the same resource, with both ends spelled `whatsapp:+E164`.
  const address = (a: string) => (channel.type === "whatsapp" && !a.startsWith(WHATSAPP) ? `${WHATSAPP}${a}` : a);
  const form = new URLSearchParams();
  form.set("To", address(message.to));
  if (MESSAGING_SERVICE.test(channel.sender)) form.set("MessagingServiceSid", channel.sender);
  else form.set("From", address(channel.sender));
  // An SMS channel cannot carry files: their links go in the text. MMS and WhatsApp fetch MediaUrl.
  const carriesMedia = channel.type !== "sms";
  const body = carriesMedia ? message.body : withMediaLinks(message);
  if (body !== "") form.set("Body", body);
  if (carriesMedia) for (const m of message.media) form.append("MediaUrl", m.url);
  if (message.status_callback) form.set("StatusCallback", message.status_callback);
  return form;
}

/**
 * Sends one message through Twilio. Accepted: the Message SID, and for SMS the segments Twilio
 * will bill, counted here from the Body sent (the delivery records it whatever the answer carries). Refused:
 * Twilio's error `code` (21610 unsubscribed, 21211 invalid number, …) with its message.
 */
export async function sendTwilio(channel: SendChannel<"twilio">, message: OutboundMessage, fetch: Fetch): Promise<SendResult> {
  const { account_sid: sid, auth_token: token } = channel.credentials;
  const form = twilioForm(channel, message);
  const answer = await exchange(fetch, `${apiBase(channel)}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
    method: "POST",
    headers: { Authorization: basicAuth(sid, token), "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: form.toString(),
  });
  if (isFailure(answer)) return answer;
  if (!isSuccess(answer)) {
    // {code, message, more_info, status}; the link to Twilio's page for the code helps whoever reads the ledger.
    const { json } = answer;
    const reason = [stringAt(json, "message"), stringAt(json, "more_info")].filter(Boolean).join(" ");
    const code = stringAt(json, "code");
    return refusal(answer, code, reason, code !== undefined && TRANSIENT.has(code));
  }
  const messageSid = stringAt(answer.json, "sid");
  if (!messageSid) return badResponse(answer, "a Message sid");
  return channel.type === "sms"
    ? { ok: true, provider_message_id: messageSid, segments: smsSegments(form.get("Body") ?? "").segments }
    : { ok: true, provider_message_id: messageSid };
}
