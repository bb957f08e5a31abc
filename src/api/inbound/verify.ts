import type { Context } from "hono";
import { ParseError, type InboundEvent } from "../../channels/inbound";
import { publicBaseUrl, type LoadedChannel } from "../../channels/connections";
import { parseMailgunInbound, verifyMailgunSignature } from "../../channels/providers/mailgun";
import { parseMessengerWebhook, parseWhatsAppWebhook, verifyMetaSignature } from "../../channels/providers/meta";
import { parseTwilioWebhook, verifyTwilioSignature } from "../../channels/providers/twilio";
import { rememberToken, tokenUsed } from "../../db/queries/inbound";
import type { AppEnv } from "../../env";
import { fail, problem, ProblemError } from "../../lib/problem";

/**
 * A provider's webhook, verified with the channel's own secret before anything in it is read, then
 * parsed into normalised events. A missing or wrong signature is a 401; a malformed payload from a
 * correctly signed request is a 400 naming the field. Either way nothing is stored.
 */
export type Verified = {
  events: InboundEvent[];
  /** Call once the events are taken in: what a replay of this request must find (Mailgun's token). */
  accepted: () => Promise<void>;
  /** Mailgun's post as a form: its attachments are file parts of it (`mailgun-attachment:<field>`). */
  form?: FormData;
};

const nothing = async () => {};

export async function verifiedEvents(c: Context<AppEnv>, channel: LoadedChannel): Promise<Verified> {
  // Through Hono's cache of the body, so a second check (against a fresh channel row) can read it again.
  const raw = await c.req.arrayBuffer();
  const contentType = c.req.header("content-type") ?? null;
  try {
    switch (channel.provider) {
      case "twilio": {
        const text = new TextDecoder().decode(raw);
        // Twilio signs the URL it called: this deployment's public one, not whatever a proxy made of it.
        const called = new URL(c.req.url);
        const url = publicBaseUrl(c.env, c.req.url) + called.pathname + called.search;
        const signature = c.req.header("x-twilio-signature") ?? null;
        if (!(await verifyTwilioSignature({ url, signature, authToken: channel.credentials.auth_token, rawBody: text, contentType }))) throw unsigned("X-Twilio-Signature", "header.x-twilio-signature");
        return { events: parseTwilioWebhook(new URLSearchParams(text)), accepted: nothing };
      }
      case "meta": {
        if (!(await verifyMetaSignature(raw, c.req.header("x-hub-signature-256") ?? null, channel.credentials.app_secret))) throw unsigned("X-Hub-Signature-256", "header.x-hub-signature-256");
        const json = parseJson(raw);
        return { events: channel.type === "messenger" ? parseMessengerWebhook(json) : parseWhatsAppWebhook(json), accepted: nothing };
      }
      case "mailgun": {
        // Mailgun signs fields of the post itself (timestamp + token), so the form is read first, and nothing else of it until they check out.
        const form = await new Response(raw, { headers: contentType ? { "content-type": contentType } : {} }).formData();
        const field = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : null);
        const ok = await verifyMailgunSignature({ timestamp: field("timestamp"), token: field("token"), signature: field("signature"), signingKey: channel.credentials.signing_key });
        if (!ok) throw unsigned("The signature", "body.signature");
        // The signature covers the timestamp and token, not the body: a token seen before is a
        // replay (perhaps with another body) and refused. Remembered only once the post is taken
        // in, so Mailgun's own retry of a post we failed still passes.
        const token = field("token")!;
        if (await tokenUsed(c.env.DB, token)) throw unsigned("The signature", "body.token");
        return { events: [parseMailgunInbound(form)], accepted: () => rememberToken(c.env.DB, token), form };
      }
      case "cloudflare":
        // Cloudflare email arrives at the Worker's email() handler, never as a webhook.
        throw fail.notFound("channel");
    }
  } catch (error) {
    if (error instanceof ParseError) throw fail.badRequest(`the provider's payload is malformed: ${error.path}: ${error.reason}`, `body.${error.path}`);
    throw error;
  }
}

/** A 401 naming where the signature was looked for (`header.x-twilio-signature`, `body.signature`). */
function unsigned(name: string, path: string): ProblemError {
  return new ProblemError(problem(401, `${name} is missing or does not match this channel's secret`, [{ path, message: "signature does not verify" }]));
}

function parseJson(raw: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new ParseError("(root)", "is not JSON");
  }
}
