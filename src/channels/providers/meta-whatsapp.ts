/**
 * WhatsApp Cloud API webhooks: entry[].changes[].value carries messages[] and statuses[], several
 * of each in one POST. Validated with zod so a malformed field is a ParseError naming its path.
 *
 * One POST batches many events and Meta redelivers it whole until it gets a 2xx, so what is well
 * formed but unknown (a new message type, a new status) is kept or skipped, never a 400 that would
 * hold back the messages beside it.
 */
import { z } from "zod";
import { parseWith, type InboundEvent, type InboundMessage, type InboundReceipt, type ProviderError } from "../inbound";
import { normalizeRef } from "../registry";

type Path = readonly PropertyKey[];

/** Meta's timestamps: seconds, as a string of digits (sometimes a number). Epoch ms out. */
const EpochSeconds = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "must be epoch seconds")]).transform((s) => Number(s) * 1000);

const MetaError = z.object({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const Envelope = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

const Value = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1) }),
  contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

const Message = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: EpochSeconds,
  type: z.string().min(1),
  context: z.object({ id: z.string().optional() }).optional(),
  errors: z.array(MetaError).optional(),
});

const Status = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: EpochSeconds,
  errors: z.array(MetaError).optional(),
});

const Text = z.object({ body: z.string() });
const Media = z.object({ id: z.string().min(1), mime_type: z.string().min(1), caption: z.string().optional(), filename: z.string().optional() });
const Location = z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() });
const Choice = z.object({ id: z.string().min(1), title: z.string() });
const TemplateButton = z.object({ payload: z.string(), text: z.string() });
const Reaction = z.object({ message_id: z.string().min(1), emoji: z.string().optional() });

const MEDIA_TYPES = new Set(["image", "audio", "video", "document", "sticker"]);

type Content = Pick<InboundMessage, "body" | "media" | "location" | "reply" | "reaction" | "unsupported">;

function providerError(error: z.output<typeof MetaError> | undefined): ProviderError | undefined {
  if (error === undefined) return undefined;
  return { code: String(error.code), message: error.error_data?.details ?? error.message ?? error.title };
}

/** The customer's number: Meta gives digits without the `+`. */
function phone(digits: string): string {
  return normalizeRef(digits.startsWith("+") ? digits : `+${digits}`);
}

/** The text, media, location, choice or reaction of one message, from the object named by its type. */
function content(message: z.output<typeof Message>, raw: Record<string, unknown>, at: Path): Content {
  const { type } = message;
  const value = raw[type];
  const path = [...at, type];
  if (type === "text") return { body: parseWith(Text, value, path).body, media: [] };
  if (MEDIA_TYPES.has(type)) {
    const m = parseWith(Media, value, path);
    return { body: m.caption ?? "", media: [{ url: `meta-media:${m.id}`, content_type: m.mime_type, filename: m.filename }] };
  }
  if (type === "location") return { body: "", media: [], location: parseWith(Location, value, path) };
  if (type === "button") {
    // A quick-reply button of a template: the payload is what the business set, the text what was shown.
    const b = parseWith(TemplateButton, value, path);
    return { body: b.text, media: [], reply: { kind: "button", id: b.payload, title: b.text } };
  }
  if (type === "interactive") {
    const kind = parseWith(z.object({ type: z.string() }), value, path).type;
    if (kind === "button_reply" || kind === "list_reply") {
      const choice = parseWith(Choice, (value as Record<string, unknown>)[kind], [...path, kind]);
      return { body: choice.title, media: [], reply: { kind: kind === "button_reply" ? "button" : "list", ...choice } };
    }
    return { body: "", media: [], unsupported: { type: `interactive.${kind}` } };
  }
  if (type === "reaction") {
    const r = parseWith(Reaction, value, path);
    return { body: "", media: [], reaction: { emoji: r.emoji ?? "", message_id: r.message_id } };
  }
  // `unsupported` (with Meta's errors[]), contacts, orders and whatever comes next: kept, so the
  // agent sees the customer wrote something.
  return { body: "", media: [], unsupported: { type, error: providerError(message.errors?.[0]) } };
}

function message(raw: unknown, value: z.output<typeof Value>, at: Path): InboundMessage {
  const m = parseWith(Message, raw, at);
  const profile = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
  return {
    kind: "message",
    provider: "meta",
    channel: "whatsapp",
    provider_message_id: m.id,
    from: phone(m.from),
    to: value.metadata.phone_number_id,
    ...content(m, raw as Record<string, unknown>, at),
    in_reply_to: m.context?.id,
    profile_name: profile,
    received_at: m.timestamp,
  };
}

/** Meta's statuses; `played` (a voice message listened to) implies read. Others are skipped. */
const STATUSES = new Map<string, "sent" | "delivered" | "read" | "failed">([
  ["sent", "sent"],
  ["delivered", "delivered"],
  ["read", "read"],
  ["played", "read"],
  ["failed", "failed"],
]);

function receipt(raw: unknown, at: Path): InboundReceipt | undefined {
  const s = parseWith(Status, raw, at);
  const status = STATUSES.get(s.status);
  if (status === undefined) return undefined;
  const base = { kind: "receipt", provider: "meta", channel: "whatsapp", provider_message_id: s.id, at: s.timestamp } as const;
  return status === "failed" ? { ...base, status, error: providerError(s.errors?.[0]) } : { ...base, status };
}

/**
 * Every message and status of a WhatsApp Cloud API webhook, in payload order. Changes of other
 * fields (template or account updates) carry none. Throws ParseError on a malformed payload.
 */
export function parseWhatsAppWebhook(json: unknown): InboundEvent[] {
  const events: InboundEvent[] = [];
  parseWith(Envelope, json).entry.forEach((entry, e) =>
    entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const at = ["entry", e, "changes", c, "value"];
      const value = parseWith(Value, change.value, at);
      value.messages?.forEach((raw, i) => events.push(message(raw, value, [...at, "messages", i])));
      value.statuses?.forEach((raw, i) => {
        const r = receipt(raw, [...at, "statuses", i]);
        if (r) events.push(r);
      });
    }),
  );
  return events;
}
