/**
 * Mailgun outbound: POST /v3/{domain}/messages, form-encoded, HTTP basic auth `api:<api_key>`.
 * Plain text only, media as links (attachments would need the files themselves, multipart).
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
  unsupported,
  withMediaLinks,
  type Fetch,
  type OutboundMessage,
  type SendChannel,
  type SendFailure,
  type SendResult,
} from "../outbound";

type MailgunChannel = SendChannel<"mailgun">;

/** The sending domain: the channel's sender is a domain, or an address at it. */
export function mailgunDomain(sender: string): string {
  return sender.slice(sender.lastIndexOf("@") + 1);
}

/** Message ids are stored bare (as the inbound parser strips them); headers want them bracketed. */
const bracketed = (id: string) => (id.startsWith("<") ? id : `<${id}>`);

/**
 * The form Mailgun's messages API takes. From is the message's, else the channel's own address;
 * threading goes in `h:` headers, so a reply lands in the customer's thread in their mail client.
 */
export function mailgunForm(channel: MailgunChannel, message: OutboundMessage): URLSearchParams | SendFailure {
  const from = message.email?.from ?? (channel.sender.includes("@") ? channel.sender : undefined);
  if (!from) return unsupported(`email through ${channel.sender} needs a From address (email.from)`);
  const form = new URLSearchParams({ from, to: message.to, subject: message.email?.subject ?? "", text: withMediaLinks(message) });
  const { in_reply_to, references = [], reply_to } = message.email ?? {};
  if (in_reply_to) form.set("h:In-Reply-To", bracketed(in_reply_to));
  if (references.length > 0) form.set("h:References", references.map(bracketed).join(" "));
  if (reply_to) form.set("h:Reply-To", reply_to);
  return form;
}

/**
 * Sends one email through Mailgun. Accepted: the Message-Id Mailgun assigned, without its angle
 * brackets, as replies will name it in In-Reply-To. Refused: `http_<status>` (Mailgun has no error
 * codes of its own) with its `message`.
 */
export async function sendMailgun(channel: MailgunChannel, message: OutboundMessage, fetch: Fetch): Promise<SendResult> {
  const form = mailgunForm(channel, message);
  if (isFailure(form)) return form;
  const answer = await exchange(fetch, `${apiBase(channel)}/v3/${encodeURIComponent(mailgunDomain(channel.sender))}/messages`, {
    method: "POST",
    headers: { Authorization: basicAuth("api", channel.credentials.api_key), "Content-Type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  if (isFailure(answer)) return answer;
  if (!isSuccess(answer)) return refusal(answer, undefined, stringAt(answer.json, "message"));
  const id = stringAt(answer.json, "id")?.replace(/^<(.*)>$/, "$1");
  return id ? { ok: true, provider_message_id: id } : badResponse(answer, "an id");
}
