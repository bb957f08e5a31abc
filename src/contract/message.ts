import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Attributes, Channel, Cursor, ExternalChannel, Limit, Timestamp, withinBytes } from "./common";

export const Media = z
  .object({
    url: z.url({ protocol: /^https$/ }).openapi({ example: "https://example.com/cat.jpg" }),
    content_type: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "content_type must be a MIME type").openapi({ example: "image/jpeg" }),
    filename: z.string().max(255).optional(),
  })
  .openapi("Media");

export const SendMessage = z
  .object({
    body: withinBytes(z.string(), LIMITS.messageBodyBytes, "body").optional().openapi({ example: "Hi! How can we help?" }),
    author: z
      .string()
      .min(1)
      .max(320)
      .optional()
      .openapi({ description: "A participant id, identity or address of this conversation; omitted means `system`." }),
    media: z.array(Media).max(LIMITS.mediaPerMessage).optional(),
    channels: z
      .array(Channel)
      .min(1)
      .max(6)
      .optional()
      .openapi({ description: "Channels to try, in fallback order." }),
    attributes: Attributes(LIMITS.messageAttributesBytes).optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.body === undefined || m.body === "") && (m.media === undefined || m.media.length === 0)) {
      ctx.addIssue({ code: "custom", path: ["body"], message: "a message needs a body or media" });
    }
  })
  .openapi("SendMessage");
export type SendMessage = z.infer<typeof SendMessage>;

export const AuthorKind = z.enum(["customer", "agent", "bot", "system"]);
export const DeliveryStatus = z.enum(["queued", "sent", "delivered", "read", "failed", "undelivered"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One try at handing the message to a provider for one recipient, and what came of it. */
export const DeliveryAttempt = z
  .object({
    participant_id: z.string(),
    channel: ExternalChannel,
    channel_id: z.string().nullable().openapi({ description: "The connected channel (`/v1/channels`) used; null when the account has none for this channel." }),
    provider: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    outcome: z.enum(["accepted", "retrying", "failed"]).openapi({ description: "`accepted`: the provider took it; `retrying`: a transient failure (5xx, 429, network), tried again with backoff; `failed`: refused for good." }),
    error_code: z.string().nullable().openapi({ description: "The provider's own code (Twilio 21610, WhatsApp 131026) or ours (`channel_not_connected`, `network_error`, `timeout`, `unsupported`)." }),
    reason: z.string().nullable(),
    started_at: Timestamp,
    completed_at: Timestamp,
  })
  .openapi("DeliveryAttempt");
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

/** Where the message stands for one channel-bound recipient. */
export const DeliveryRecipient = z
  .object({
    participant_id: z.string(),
    channel: ExternalChannel,
    address: z.string(),
    status: DeliveryStatus,
    provider_message_id: z.string().nullable(),
    error_code: z.string().nullable(),
    reason: z.string().nullable(),
    segments: z.number().int().nullable().openapi({ description: "SMS only: the GSM-7 or UCS-2 segments the body was sent as (what carriers bill)." }),
    updated_at: Timestamp,
  })
  .openapi("DeliveryRecipient");
export type DeliveryRecipient = z.infer<typeof DeliveryRecipient>;

export const Delivery = z
  .object({
    status: DeliveryStatus.openapi({
      description:
        "Across recipients: the status of the one least far along (queued < sent < delivered < read) among those not failed; `failed` or `undelivered` only when every recipient ended so (any failure is on its recipient).",
    }),
    channel: ExternalChannel.openapi({ description: "The first recipient's channel." }),
    recipients: z.array(DeliveryRecipient),
    attempts: z.array(DeliveryAttempt).openapi({ description: "Every try, oldest first, for every recipient." }),
  })
  .openapi("Delivery");
export type Delivery = z.infer<typeof Delivery>;

export const Message = z
  .object({
    id: z.string().openapi({ example: "msg_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    conversation_id: z.string(),
    index: z.number().int().openapi({ description: "Position in the conversation: 0, 1, 2, … with no gaps." }),
    author: z.string(),
    author_kind: AuthorKind,
    participant_id: z.string().nullable(),
    body: z.string(),
    media: z.array(Media),
    channel: Channel,
    attributes: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
    updated_at: Timestamp,
    delivery: Delivery.nullable().openapi({
      description:
        "Outbound delivery to the channel-bound participants other than the author, one recipient each, sent through the account's connected channel (`/v1/channels`) and updated by the provider's receipts (`message.updated`); null when nobody is reached outside the app.",
    }),
  })
  .openapi("Message");
export type Message = z.infer<typeof Message>;

export const MessagePreview = z
  .object({ id: z.string(), index: z.number().int(), author: z.string(), body: z.string(), created_at: Timestamp })
  .openapi("MessagePreview");
export type MessagePreview = z.infer<typeof MessagePreview>;

const Index = z.coerce.number().int().min(0);

export const HistoryQuery = z.object({
  order: z.enum(["asc", "desc"]).default("asc"),
  after_index: Index.optional().openapi({ description: "Only messages with a greater index." }),
  before_index: Index.optional().openapi({ description: "Only messages with a smaller index." }),
  limit: Limit,
  cursor: Cursor,
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;
