import { inboundUrl } from "../channels/connections";
import type { LoadedChannel } from "../channels/connections";
import { formatBody, type OutboundMessage } from "../channels/outbound";
import type { DeliveryClaim } from "../conversation/commands/delivery";
import { LIMITS } from "../lib/limits";

type Send = Extract<DeliveryClaim, { state: "send" }>;

/**
 * One message for one recipient in the channel's terms: the body formatted for how the channel
 * shows it (links and emphasis, src/channels/outbound.ts), the status callback for Twilio, the
 * 24-hour window for Messenger, and for email a subject, a From and the threading headers that keep
 * the reply in the customer's thread.
 */
export function compose(claim: Send, channel: LoadedChannel, to: string, publicBase: string | null, now: number, template?: { name: string; language: string }): OutboundMessage {
  const { message, recipient, conversation } = claim;
  const out: OutboundMessage = {
    to,
    body: formatBody(recipient.channel, message.body),
    media: message.media.map((m) => ({ url: m.url, content_type: m.content_type, ...(m.filename ? { filename: m.filename } : {}) })),
  };
  // Twilio posts each status of this message here (signed like an inbound webhook, to the channel's
  // inbound URL). A queue consumer has no request to take an origin from: without PUBLIC_BASE_URL
  // there is none to give, and the message goes without receipts rather than with a broken URL.
  if (channel.provider === "twilio" && publicBase) out.status_callback = inboundUrl(publicBase, channel.id);
  if (recipient.channel === "messenger" || recipient.channel === "whatsapp") out.within_window = withinWindow(claim, now);
  // Outside WhatsApp's window only an approved template may open the conversation.
  if (template) out.template = template;
  if (recipient.channel === "email") {
    const thread = claim.email_thread;
    // A reply keeps the subject of the mail it answers, as mail clients do.
    const subject = thread?.subject ?? conversation.subject ?? conversation.friendly_name ?? "A message for you";
    out.email = {
      subject: thread && !/^re:/i.test(subject) ? `Re: ${subject}` : subject,
      from: fromAddress(channel.sender),
      ...(thread ? { in_reply_to: thread.in_reply_to, references: thread.references } : {}),
    };
  }
  return out;
}

/**
 * The From of outbound mail: the channel's address, or at a domain channel `support@<domain>` (a
 * domain takes mail for any address, and needs one to send from).
 */
function fromAddress(sender: string): string {
  return sender.includes("@") ? sender : `support@${sender}`;
}

/** Whether the recipient wrote within the last 24 hours: Messenger's and WhatsApp's customer-service window. */
export function withinWindow(claim: Pick<Send, "last_inbound_at">, now: number): boolean {
  return claim.last_inbound_at !== null && now - claim.last_inbound_at < LIMITS.customerWindowMs;
}
