import type { LoadedChannel } from "../channels/connections";
import { unsupported, type Fetch, type OutboundMessage, type SendResult } from "../channels/outbound";
import { sendCloudflare, type EmailBinding } from "../channels/providers/send-cloudflare";
import { metaParts, sendMeta } from "../channels/providers/send-meta";
import { sendMailgun } from "../channels/providers/send-mailgun";
import { sendTwilio } from "../channels/providers/send-twilio";

/**
 * Sends one message through the channel's provider, in the provider's own format. A Graph message
 * with several media is several requests (one attachment each, metaParts): they go in order, the
 * first part's id is the message's (its receipts are the ones followed), and the first refusal ends
 * the send. Cloudflare email goes through the Worker's `send_email` binding, from `bindings` (the
 * consumer passes its env). Never throws for what the provider or network does (see outbound.ts).
 */
export async function sendThrough(channel: LoadedChannel, message: OutboundMessage, fetch: Fetch, bindings: { SEND_EMAIL?: EmailBinding } = {}): Promise<SendResult> {
  switch (channel.provider) {
    case "twilio":
      return sendTwilio(channel, message, fetch);
    case "mailgun":
      return sendMailgun(channel, message, fetch);
    case "meta": {
      if (channel.type !== "whatsapp" && channel.type !== "messenger") return unsupported(`a meta channel of type ${channel.type} has no send API`);
      let first: SendResult | undefined;
      for (const part of metaParts(channel.type, message)) {
        const result = await sendMeta(channel, part, fetch);
        if (!result.ok) return first?.ok ? { ...result, reason: `${result.reason} (after the first part was sent as ${first.provider_message_id})` } : result;
        first ??= result;
      }
      return first ?? unsupported("nothing to send");
    }
    case "cloudflare":
      return sendCloudflare(channel, message, bindings.SEND_EMAIL);
  }
}
