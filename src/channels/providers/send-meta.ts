/**
 * Meta outbound through the Graph API: the WhatsApp Cloud API (`/{phone_number_id}/messages`) and
 * the Messenger Send API (`/{page_id}/messages`), JSON with the channel's access token. Each send
 * is one Graph request, which carries one media at most (and on Messenger text or an attachment,
 * not both): `metaParts` splits a message into what can be sent, in order.
 */
import {
  apiBase,
  badResponse,
  exchange,
  isFailure,
  isSuccess,
  refusal,
  stringAt,
  unsupported,
  valueAt,
  type Answer,
  type Fetch,
  type OutboundMessage,
  type SendChannel,
  type SendFailure,
  type SendResult,
} from "../outbound";

type Json = Record<string, unknown>;
type MetaChannel = SendChannel<"meta">;

/**
 * Graph codes that mean "later", whatever the HTTP status (throttling comes as a 400): the
 * vectors' throttling set (4, 80007, 130429, 131048, 131056, 133016), the per-user and per-page
 * limits (17, 32, 613), and unknown or temporary failures (1, 2, Messenger's 1200, 131000).
 */
const TRANSIENT = new Set(["1", "2", "4", "17", "32", "613", "1200", "80007", "130429", "131000", "131048", "131056", "133016"]);

/** The inbound parsers' reference to a WhatsApp media id: sent back by id, not by link. */
const MEDIA_ID = "meta-media:";

/** Graph shows a link preview only when asked; ask when the text has a link. */
const LINK = /\bhttps?:\/\/\S/i;

/** Image, video and audio by their MIME type's top level; anything else is a document (WhatsApp) or file (Messenger). */
function kindOf(contentType: string, other: "document" | "file"): string {
  const top = contentType.split("/")[0]?.toLowerCase();
  return top === "image" || top === "video" || top === "audio" ? top : other;
}

const captionable = (m: OutboundMessage["media"][number]) => kindOf(m.content_type, "document") !== "audio";

/**
 * A message as the Graph requests it takes, in order. WhatsApp: one media each, the body as the
 * caption of the first that takes one (audio does not), else a text first. Messenger: the text,
 * then each attachment. A template, or a message that fits one request, is itself.
 */
export function metaParts(type: "whatsapp" | "messenger", message: OutboundMessage): OutboundMessage[] {
  const { body, media } = message;
  const alone = (m: OutboundMessage["media"][number], text = "") => ({ ...message, body: text, media: [m] });
  if (type === "whatsapp") {
    if (message.template || media.length === 0) return [message];
    const captioned = body === "" ? -1 : media.findIndex(captionable);
    const text = body !== "" && captioned === -1 ? [{ ...message, media: [] }] : [];
    return [...text, ...media.map((m, i) => alone(m, i === captioned ? body : ""))];
  }
  if (media.length === 0) return [message];
  return [...(body !== "" ? [{ ...message, media: [] }] : []), ...media.map((m) => alone(m))];
}

/** The WhatsApp Cloud API body for one part (see test/vectors/whatsapp_cloud_api.json `outbound`). */
export function whatsAppPayload(message: OutboundMessage): Json | SendFailure {
  const base: Json = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    // Graph takes the number as digits; it answers with the `+` form as `contacts[].input`.
    to: message.to.replace(/^\+/, ""),
    ...(message.reply_to_message_id ? { context: { message_id: message.reply_to_message_id } } : {}),
  };
  if (message.template) {
    const { name, language, components } = message.template;
    return { ...base, type: "template", template: { name, language: { code: language }, ...(components ? { components } : {}) } };
  }
  const [media, ...more] = message.media;
  if (more.length > 0) return unsupported("a WhatsApp message carries one media: split it with metaParts()");
  if (!media) {
    if (message.body === "") return unsupported("a WhatsApp message needs a body, a media or a template");
    return { ...base, type: "text", text: { body: message.body, preview_url: LINK.test(message.body) } };
  }
  const type = kindOf(media.content_type, "document");
  if (!captionable(media) && message.body !== "") return unsupported("a WhatsApp audio message takes no caption: split it with metaParts()");
  const object: Json = media.url.startsWith(MEDIA_ID) ? { id: media.url.slice(MEDIA_ID.length) } : { link: media.url };
  if (message.body !== "") object.caption = message.body;
  if (type === "document" && media.filename) object.filename = media.filename;
  return { ...base, type, [type]: object };
}

/**
 * The Send API body for one part (see test/vectors/messenger_platform.json `sendApi`). Inside the
 * 24 h window a RESPONSE; outside it only the HUMAN_AGENT tag may reach the person (for 7 days).
 */
export function messengerPayload(message: OutboundMessage): Json | SendFailure {
  const [media, ...more] = message.media;
  if (more.length > 0 || (media && message.body !== "")) return unsupported("a Messenger message is a text or one attachment: split it with metaParts()");
  if (!media && message.body === "") return unsupported("a Messenger message needs a body or a media");
  const content = media ? { attachment: { type: kindOf(media.content_type, "file"), payload: { url: media.url, is_reusable: true } } } : { text: message.body };
  const messagingType = message.within_window ? { messaging_type: "RESPONSE" } : { messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
  return { ...messagingType, recipient: { id: message.to }, message: content };
}

/**
 * The Graph error envelope {error: {message, type, code, error_subcode?, error_data: {details}}}:
 * the code (`code/subcode` when Meta gives a subcode) and the most specific text.
 */
function graphRefusal(answer: Answer): SendFailure {
  const error = valueAt(answer.json, "error");
  const code = stringAt(error, "code");
  const subcode = stringAt(error, "error_subcode");
  const reason = stringAt(valueAt(error, "error_data"), "details") ?? stringAt(error, "message");
  return refusal(answer, code && (subcode ? `${code}/${subcode}` : code), reason, code !== undefined && TRANSIENT.has(code));
}

/** POST {base}/{sender}/messages with the body, the Bearer token rather than `?access_token=`, which would land in URL logs. */
async function graphSend(channel: MetaChannel, payload: Json | SendFailure, fetch: Fetch, idOf: (json: unknown) => string | undefined, what: string): Promise<SendResult> {
  if (isFailure(payload)) return payload;
  const answer = await exchange(fetch, `${apiBase(channel)}/${encodeURIComponent(channel.sender)}/messages`, {
    method: "POST",
    headers: { Authorization: `Bearer ${channel.credentials.access_token}`, "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  if (isFailure(answer)) return answer;
  if (!isSuccess(answer)) return graphRefusal(answer);
  const id = idOf(answer.json);
  return id ? { ok: true, provider_message_id: id } : badResponse(answer, what);
}

/** One part through the WhatsApp Cloud API; accepted: the wamid of `messages[0].id`. */
export function sendWhatsApp(channel: MetaChannel, message: OutboundMessage, fetch: Fetch): Promise<SendResult> {
  return graphSend(channel, whatsAppPayload(message), fetch, (json) => stringAt(valueAt(valueAt(json, "messages"), 0), "id"), "messages[0].id");
}

/** One part through the Messenger Send API; accepted: its `message_id` (the mid receipts name). */
export function sendMessenger(channel: MetaChannel, message: OutboundMessage, fetch: Fetch): Promise<SendResult> {
  return graphSend(channel, messengerPayload(message), fetch, (json) => stringAt(json, "message_id"), "message_id");
}

/** One part through whichever Meta API the channel is. */
export async function sendMeta(channel: MetaChannel, message: OutboundMessage, fetch: Fetch): Promise<SendResult> {
  if (channel.type === "whatsapp") return sendWhatsApp(channel, message, fetch);
  if (channel.type === "messenger") return sendMessenger(channel, message, fetch);
  return unsupported(`a meta channel of type ${channel.type} has no send API`);
}
