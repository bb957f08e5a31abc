import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { forgetChannel, loadChannel, loadChannelCached, type LoadedChannel } from "../../channels/connections";
import type { InboundMessage, InboundReceipt, InboundWatermark } from "../../channels/inbound";
import { verifyHandshake } from "../../channels/providers/meta";
import { applyKeyword, keywordReply, optOutKeyword, type Keyword } from "../../channels/opt-out";
import { applyReceipts } from "../../delivery/receipts";
import type { AppEnv } from "../../env";
import { fail, problem, ProblemError, problemResponse } from "../../lib/problem";
import { webhookMediaLoader } from "./media";
import { intoThread } from "./thread";
import type * as routes from "./routes";
import { verifiedEvents } from "./verify";

/** What Twilio expects back: an empty TwiML document (no auto-reply). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export const receiveWebhook: RouteHandler<typeof routes.receive, AppEnv> = async (c) => {
  const { channel, events, accepted, form } = await verifiedChannel(c, c.req.valid("param").channel_id);
  const media = webhookMediaLoader(c.env, channel, form);
  const receipts: (InboundReceipt | InboundWatermark)[] = [];
  let keyword: Keyword | null = null;
  for (const event of events) {
    if (event.kind !== "message") {
      receipts.push(event);
      continue;
    }
    // One app posts every number and page it serves to one URL: a message for another of the
    // account's senders is not this channel's to store.
    if (!isForSender(event.to, channel.sender) || !carries(channel.type, event.channel)) {
      console.warn(`inbound on ${channel.id}: a ${event.channel} message for ${event.to}, not this ${channel.type} channel's; skipped`);
      continue;
    }
    // STOP and START on SMS change whether this business may text the number; the message is stored all the same.
    const word = event.channel === "sms" || event.channel === "mms" ? optOutKeyword(event.body) : null;
    if (word) {
      await applyKeyword(c.env.DB, channel.accountId, event.from, word);
      keyword = word;
    }
    const outcome = await intoThread(c.env, channel.accountId, event, media, c.req.url);
    if (outcome.ok) continue;
    const what = `inbound message ${event.provider_message_id} on ${channel.id}: ${outcome.problem.status} ${outcome.problem.detail}`;
    // A refusal (a conversation at its participant limit) would be refused again on every retry,
    // and would hold back the other messages of the same post: logged and skipped. Anything else
    // is a 5xx, so the provider retries, and the retry stores each message once.
    if (outcome.problem.status < 500) console.warn(`${what}; skipped`);
    else throw new Error(what);
  }
  // Receipts name messages Parley sent, by provider id: they update those, whichever conversation they are in.
  await applyReceipts(c.env, channel.accountId, receipts);
  await accepted();
  if (channel.provider === "twilio") return c.body(keyword ? twiml(keywordReply(keyword)) : EMPTY_TWIML, 200, { "content-type": "text/xml" });
  return c.text("EVENT_RECEIVED", 200);
};

/** A TwiML answer that replies with `text` (escaped for XML). */
function twiml(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escaped}</Message></Response>`;
}

/** Whether a channel of this type takes messages of that channel: SMS and MMS share a number. */
function carries(type: LoadedChannel["type"], channel: InboundMessage["channel"]): boolean {
  return type === channel || ((type === "sms" || type === "mms") && (channel === "sms" || channel === "mms"));
}

/** Whether a message is for this channel's sender: the same number, page or address, or an address at the sender's email domain. */
function isForSender(to: string, sender: string): boolean {
  return to === sender || (!sender.includes("@") && to.toLowerCase().endsWith(`@${sender.toLowerCase()}`));
}

/**
 * The channel (from this isolate's cache when it has it) and the request's events, its signature
 * checked. A signature that fails against a cached channel is checked once more against the row:
 * the secret may have been rotated through another isolate.
 */
async function verifiedChannel(c: Context<AppEnv>, channelId: string) {
  const { channel, cached } = await loadChannelCached(c.env, channelId);
  if (!channel) throw fail.notFound("channel");
  try {
    return { channel, ...(await verifiedEvents(c, channel)) };
  } catch (error) {
    if (!cached || !(error instanceof ProblemError) || error.problem.status !== 401) throw error;
    forgetChannel(channelId);
    const fresh = await loadChannel(c.env, channelId);
    if (!fresh) throw fail.notFound("channel");
    return { channel: fresh, ...(await verifiedEvents(c, fresh)) };
  }
}

export const verifyWebhook: RouteHandler<typeof routes.handshake, AppEnv> = async (c) => {
  const channel = await loadChannel(c.env, c.req.valid("param").channel_id);
  if (!channel) throw fail.notFound("channel");
  const challenge = channel.provider === "meta" ? verifyHandshake(new URL(c.req.url).searchParams, channel.credentials.verify_token) : null;
  if (challenge === null) return problemResponse(problem(403, "the verify token does not match this channel's")) as never;
  return c.text(challenge, 200);
};
