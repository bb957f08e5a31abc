/**
 * Messenger page webhooks: entry[].messaging[] events (message, delivery, read), timestamps in ms.
 * Like WhatsApp's, one POST may batch several; events Parley does not use (postbacks, opt-ins,
 * referrals, the page's own echoes, standby[] of another app's thread) are skipped, not refused.
 */
import { z } from "zod";
import { parseWith, type InboundEvent, type InboundMessage, type MediaRef } from "../inbound";

type Path = readonly PropertyKey[];

const Envelope = z.object({
  object: z.literal("page"),
  entry: z.array(z.object({ messaging: z.array(z.unknown()).optional() })),
});

const Party = z.object({ id: z.string().min(1) });
const Ms = z.number().int().nonnegative();

const Event = z.object({
  // PSIDs are opaque to Meta's documentation: kept as given, whatever their length.
  sender: Party,
  recipient: Party,
  timestamp: Ms.optional(),
  message: z.unknown().optional(),
  delivery: z.unknown().optional(),
  read: z.unknown().optional(),
});

const Message = z.object({
  mid: z.string().min(1),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  quick_reply: z.object({ payload: z.string() }).optional(),
  reply_to: z.object({ mid: z.string() }).optional(),
  attachments: z.array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).nullish() })).optional(),
});

const Delivery = z.object({ mids: z.array(z.string().min(1)).optional(), watermark: Ms });
const Read = z.object({ watermark: Ms });

/** Messenger names the kind of an attachment, not its MIME type: a media range says what is known. */
const CONTENT_TYPES = new Map([
  ["image", "image/*"],
  ["video", "video/*"],
  ["audio", "audio/*"],
]);

function message(event: z.output<typeof Event>, at: Path): InboundMessage | undefined {
  const m = parseWith(Message, event.message, [...at, "message"]);
  if (m.is_echo) return undefined; // sent by the page itself: Parley already has it as outbound
  const attachments = m.attachments ?? [];
  const media: MediaRef[] = attachments.flatMap((a) =>
    a.payload?.url ? [{ url: a.payload.url, content_type: CONTENT_TYPES.get(a.type) ?? "application/octet-stream" }] : [],
  );
  const body = m.text ?? "";
  // Templates and fallbacks without a URL: keep the message, so the agent sees something came.
  const bare = attachments.find((a) => !a.payload?.url);
  return {
    kind: "message",
    provider: "meta",
    channel: "messenger",
    provider_message_id: m.mid,
    from: event.sender.id,
    to: event.recipient.id,
    body,
    media,
    reply: m.quick_reply ? { kind: "button", id: m.quick_reply.payload, title: body } : undefined,
    unsupported: bare && media.length === 0 && body === "" ? { type: `attachment.${bare.type}` } : undefined,
    in_reply_to: m.reply_to?.mid,
    received_at: event.timestamp ?? Date.now(),
  };
}

function events(raw: unknown, at: Path): InboundEvent[] {
  const event = parseWith(Event, raw, at);
  const parties = { provider: "meta", channel: "messenger", from: event.sender.id, to: event.recipient.id } as const;
  if (event.message !== undefined) {
    const m = message(event, at);
    return m ? [m] : [];
  }
  if (event.delivery !== undefined) {
    const d = parseWith(Delivery, event.delivery, [...at, "delivery"]);
    const when = event.timestamp ?? d.watermark;
    // Named messages are receipts; with none named, the watermark alone says what was delivered.
    return d.mids?.length
      ? d.mids.map((mid) => ({ kind: "receipt", provider: "meta", channel: "messenger", provider_message_id: mid, status: "delivered", at: when }))
      : [{ kind: "watermark", ...parties, status: "delivered", watermark: d.watermark, at: when }];
  }
  if (event.read !== undefined) {
    const r = parseWith(Read, event.read, [...at, "read"]);
    return [{ kind: "watermark", ...parties, status: "read", watermark: r.watermark, at: event.timestamp ?? r.watermark }];
  }
  return [];
}

/** Every message, delivery receipt and watermark of a Messenger webhook, in payload order. Throws ParseError. */
export function parseMessengerWebhook(json: unknown): InboundEvent[] {
  return parseWith(Envelope, json).entry.flatMap((entry, e) =>
    (entry.messaging ?? []).flatMap((raw, i) => events(raw, ["entry", e, "messaging", i])),
  );
}
