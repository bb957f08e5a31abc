import { z } from "@hono/zod-openapi";
import { checkAddress } from "../channels/registry";
import { LIMITS } from "../lib/limits";
import { Cursor, EXTERNAL_CHANNELS, Limit, Timestamp } from "./common";

/**
 * Channels: an account's connection to a provider that carries one external channel type. The
 * create body is a union on `type`, then on `provider`, so each valid pair has its own sender rule
 * and credential fields: an impossible pair is an error on `provider`, a missing credential on that
 * very field.
 */

export const ChannelType = z.enum(EXTERNAL_CHANNELS).openapi("ChannelType");
export type ChannelType = z.infer<typeof ChannelType>;

export const Provider = z.enum(["twilio", "meta", "cloudflare", "mailgun"]).openapi("ChannelProvider");
export type Provider = z.infer<typeof Provider>;

/** The API a channel calls when it sets no `base_url`. Cloudflare email goes through the Worker's `send_email` binding. */
export const DEFAULT_BASE_URL: Record<Provider, string | null> = {
  twilio: "https://api.twilio.com",
  meta: "https://graph.facebook.com/v21.0",
  cloudflare: null,
  mailgun: "https://api.mailgun.net",
};

const credentialValue = (provider: Provider, field: string, pattern?: [RegExp, string]) => {
  const base = z
    .string({ error: (iss) => (iss.input === undefined ? `${field} is required for provider ${provider}` : `${field} must be a string`) })
    .min(1, `${field} must not be empty`)
    .max(LIMITS.credentialChars);
  // A pasted value with a stray newline or space would fail at the provider, far from here.
  return (pattern ? base.regex(...pattern) : base).refine((v) => v.trim() === v, `${field} must not start or end with whitespace`);
};

/** A provider's credentials: exactly its fields, so a field meant for another provider is refused. */
const credentials = <S extends z.ZodRawShape>(provider: Provider, shape: S) => {
  const fields = Object.keys(shape).join(", ") || "no fields";
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `${provider} credentials take ${fields}; not ${iss.keys.join(", ")}`
        : iss.code === "invalid_type"
          ? `credentials for provider ${provider} are an object with ${fields}`
          : undefined,
  });
};

export const TwilioCredentials = credentials("twilio", {
  account_sid: credentialValue("twilio", "account_sid", [/^AC[0-9a-fA-F]{32}$/, "account_sid must be AC and 32 hex digits, as Twilio's console shows it"]),
  auth_token: credentialValue("twilio", "auth_token"),
}).openapi("TwilioCredentials");

export const MetaCredentials = credentials("meta", {
  access_token: credentialValue("meta", "access_token").openapi({ description: "Sends messages (a system user's token)." }),
  app_secret: credentialValue("meta", "app_secret").openapi({ description: "Verifies `X-Hub-Signature-256` on webhooks." }),
  verify_token: credentialValue("meta", "verify_token").openapi({ description: "Your string for Meta's webhook verification handshake." }),
}).openapi("MetaCredentials");

export const CloudflareCredentials = credentials("cloudflare", {}).openapi("CloudflareCredentials");

export const MailgunCredentials = credentials("mailgun", {
  api_key: credentialValue("mailgun", "api_key"),
  signing_key: credentialValue("mailgun", "signing_key").openapi({ description: "Verifies the signature on inbound webhooks." }),
}).openapi("MailgunCredentials");

export const CREDENTIALS = {
  twilio: TwilioCredentials,
  meta: MetaCredentials,
  cloudflare: CloudflareCredentials,
  mailgun: MailgunCredentials,
} as const;
export type CredentialsOf<P extends Provider> = z.infer<(typeof CREDENTIALS)[P]>;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

function baseUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "base_url must be an absolute URL such as https://api.twilio.com";
  }
  // http only where nothing crosses a network: a provider simulator on this machine.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) return "base_url must be https (http only on a loopback host)";
  if (url.username || url.password) return "base_url must not carry credentials: they go in credentials";
  if (url.search || url.hash) return "base_url must not have a query or a fragment";
  return undefined;
}

const BaseUrl = z
  .string()
  .max(LIMITS.baseUrlChars)
  .superRefine((raw, ctx) => {
    const message = baseUrlProblem(raw);
    if (message) ctx.addIssue({ code: "custom", message });
  })
  // One spelling per URL, without the trailing slash, so paths can be appended as `/…`.
  .transform((raw) => new URL(raw).href.replace(/\/+$/, ""))
  .openapi({ description: "The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.", example: "https://api.twilio.com" });

/** A field that must not be sent (`orNull`: null is accepted, as a PATCH's "no value"). */
const refused = (message: string, orNull = false) => z.unknown().refine((v) => orNull && v === null, message).optional();
const NO_BASE_URL = "provider cloudflare sends through the Worker's send_email binding and takes no base_url";

const FriendlyName = z.string().min(1).max(LIMITS.friendlyNameChars);

/** A sender in its one stored form, so a second channel for the same sender is recognised. */
const sender = (shape: string, normalize: (raw: string) => string | null) =>
  z
    .string()
    .max(LIMITS.senderChars)
    .transform((raw, ctx) => {
      const normalized = normalize(raw);
      if (normalized !== null) return normalized;
      ctx.addIssue({ code: "custom", message: `sender must be ${shape}` });
      return z.NEVER;
    });

const fromRegistry = (channel: "sms" | "email") => (raw: string) => {
  const checked = checkAddress(channel, raw);
  return checked.ok ? checked.address : null;
};
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const PhoneSender = sender("an E.164 phone number such as +14155550100", fromRegistry("sms")).openapi({ example: "+14155550100" });
const digits = (what: string) => sender(what, (raw) => (/^\d{1,32}$/.test(raw) ? raw : null)).openapi({ example: "106540352242922" });
const EmailSender = sender("an email address or a domain such as example.com", (raw) => fromRegistry("email")(raw) ?? (DOMAIN.test(raw.toLowerCase()) ? raw.toLowerCase() : null)).openapi({
  example: "support@example.com",
});

function member<T extends ChannelType, P extends Provider, S extends z.ZodType<string, string>, C extends z.ZodType, B extends z.ZodType>(
  type: T,
  provider: P,
  sender: S,
  credentials: C,
  baseUrl: B,
) {
  return z.object({ type: z.literal(type), provider: z.literal(provider), sender, credentials, base_url: baseUrl, friendly_name: FriendlyName.optional() });
}

const twilio = <T extends ChannelType>(type: T) => member(type, "twilio", PhoneSender, TwilioCredentials, BaseUrl.optional());
const meta = <T extends ChannelType>(type: T, senderIs: string) => member(type, "meta", digits(senderIs), MetaCredentials, BaseUrl.optional());

/** The providers of one type; naming another is an error on `provider` that says which serve it. */
function byType<T extends ChannelType, M extends readonly [z.ZodObject, ...z.ZodObject[]]>(type: T, members: M) {
  const providers = members.map((m) => (m.shape as { provider: z.ZodLiteral<string> }).provider.value).join(" or ");
  return z.discriminatedUnion("provider", members, { error: (iss) => (iss.code === "invalid_union" ? `provider must be ${providers} for type ${type}` : undefined) });
}

export const CreateChannel = z
  .discriminatedUnion(
    "type",
    [
      byType("sms", [twilio("sms")]),
      byType("mms", [twilio("mms")]),
      byType("whatsapp", [twilio("whatsapp"), meta("whatsapp", "the WhatsApp phone_number_id Meta shows for the number (digits)")]),
      byType("messenger", [meta("messenger", "the Facebook page id (digits)")]),
      byType("email", [
        member("email", "cloudflare", EmailSender, CloudflareCredentials.optional(), refused(NO_BASE_URL)),
        member("email", "mailgun", EmailSender, MailgunCredentials, BaseUrl.optional()),
      ]),
    ],
    { error: (iss) => (iss.code === "invalid_union" ? `type must be one of ${EXTERNAL_CHANNELS.join(", ")}` : undefined) },
  )
  .openapi("CreateChannel");
export type CreateChannel = z.infer<typeof CreateChannel>;

const fixed = (field: string) =>
  refused(`a channel's ${field} cannot change: connect a new channel and delete this one`).openapi({ description: "Cannot change; sending it is a 422." });

export const UpdateChannel = z
  .object({
    friendly_name: FriendlyName.nullable().optional(),
    base_url: BaseUrl.nullable().optional().openapi({ description: "null goes back to the provider's default." }),
    credentials: z
      .record(z.string(), z.string())
      .optional()
      .openapi({ description: "Rotate credentials: the provider's whole credentials object, or only some of its fields (the others keep their values)." }),
    type: fixed("type"),
    provider: fixed("provider"),
    sender: fixed("sender"),
  })
  .openapi("UpdateChannel");
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** A PATCH checked against the channel's provider, once it is known: its credential fields, and no base_url for cloudflare. */
export const updateFor = (provider: Provider) =>
  z.object({
    credentials: CREDENTIALS[provider].partial().optional(),
    base_url: provider === "cloudflare" ? refused(NO_BASE_URL, true) : z.unknown().optional(),
  });

/** A credential as a response shows it: that it is set, and at most its last characters. */
export const CredentialHint = z
  .object({ last4: z.string().nullable().openapi({ description: "Its last 4 characters; null when it is too short to show any." }) })
  .openapi("CredentialHint");
export type CredentialHint = z.infer<typeof CredentialHint>;

/** Named ChannelConnection: `Channel` is the channel enum (common.ts). */
export const ChannelConnection = z
  .object({
    id: z.string().openapi({ example: "chan_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    type: ChannelType,
    provider: Provider,
    sender: z.string(),
    base_url: z.string().nullable().openapi({ description: "The API this channel calls: yours, else the provider's default; null for cloudflare." }),
    friendly_name: z.string().nullable(),
    inbound_url: z.string().openapi({ description: "Paste into the provider's console as the webhook (and status callback) URL." }),
    credentials: z
      .record(z.string(), CredentialHint)
      .nullable()
      .openapi({
        description:
          "Which credentials are set, never their values. Null when the stored credentials cannot be read on this deployment (sealed with a key no longer in its keyring): PATCH the whole credentials object to replace them.",
      }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("ChannelConnection");
export type ChannelConnection = z.infer<typeof ChannelConnection>;

export const ListChannelsQuery = z.object({ type: ChannelType.optional(), limit: Limit, cursor: Cursor });
export type ListChannelsQuery = z.infer<typeof ListChannelsQuery>;
