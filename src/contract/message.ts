import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Attributes, Channel, Cursor, ExternalChannel, Limit, Timestamp, withinBytes } from "./common";

/** The url of a send's media_id item until the Worker resolves it. */
export const MEDIA_REF = "parley-media:";

const MimeType = z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "content_type must be a MIME type");

/**
 * A file of a message being sent: an https URL of your own with its type, or one of the account's
 * uploads (`POST /v1/media`) by `media_id`, whose type and filename come from the upload. Exactly
 * one of `url` and `media_id`.
 */
export const Media = z
  .object({
    url: z.url({ protocol: /^https$/ }).optional().openapi({ example: "https://example.com/cat.jpg", description: "An https URL the providers can fetch. Required unless `media_id` is given." }),
    media_id: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ example: "med_01JD5V7J3E9Q8M2K4N6P0R1S2T", description: "One of the account's uploads (`POST /v1/media`), instead of `url`: the message is stored with a signed URL of it. An unknown id, or another account's, is a 404 naming the field." }),
    content_type: MimeType.optional().openapi({
      example: "image/jpeg",
      description: "The file's MIME type: required with `url`; with `media_id` the upload's own (if given, it must be that one).",
    }),
    filename: z.string().max(255).optional().openapi({ description: "With `media_id`, the upload's filename unless given here." }),
  })
  .superRefine((m, ctx) => {
    if (m.url === undefined && m.media_id === undefined) ctx.addIssue({ code: "custom", path: ["url"], message: "give url or media_id" });
    if (m.url !== undefined && m.media_id !== undefined) ctx.addIssue({ code: "custom", path: ["media_id"], message: "give url or media_id, not both" });
    if (m.url !== undefined && m.content_type === undefined) ctx.addIssue({ code: "custom", path: ["content_type"], message: "content_type is required with url" });
  })
  // A media_id comes out as a reference for the Worker to resolve (src/media/messages.ts
  // resolveMedia), as inbound media refs are (`meta-media:<id>`): until then its url is
  // `parley-media:<media_id>` and its type the one given, if any.
  .transform(({ url, media_id, content_type, filename }) => ({
    url: url ?? `${MEDIA_REF}${media_id}`,
    content_type: content_type ?? "application/octet-stream",
    ...(filename !== undefined ? { filename } : {}),
    ...(media_id !== undefined ? { media_id } : {}),
  }))
  .openapi("Media");
/** A send's file as the API took it: a URL with its type, or a media_id still to be resolved (url `parley-media:<media_id>`). */
export type Media = z.infer<typeof Media>;


/**
 * A file of a stored message. `media_id` names the account's media in R2 (an upload, or what a
 * customer sent, copied in): `url` is then a signed URL of it, valid for a while (a fresh one:
 * `GET /v1/media/{media_id}`). `unavailable` marks a customer's file that could not be copied in.
 */
export const MessageMedia = z
  .object({
    url: z.string().openapi({
      example: "https://parley.example.com/media/med_01JD5V7J3E9Q8M2K4N6P0R1S2T?account=acct_01JD5V7J3E9Q8M2K4N6P0R1S2T&expires=1795253400&signature=…",
      description: "Where the file is: a signed URL of ours when `media_id` is set, else the URL the message was sent with (or, with `unavailable`, the provider's own reference).",
    }),
    content_type: z.string().openapi({ example: "image/jpeg" }),
    filename: z.string().optional(),
    media_id: z.string().optional().openapi({ example: "med_01JD5V7J3E9Q8M2K4N6P0R1S2T", description: "The media resource (`/v1/media/{media_id}`) holding the file." }),
    unavailable: z
      .object({
        code: z.enum(["too_large", "empty", "refused", "unreachable", "failed"]),
        reason: z.string(),
      })
      .optional()
      .openapi({
        description:
          "Inbound only: the customer's file could not be copied in and is not sent on. `too_large`: over the media limit; `empty`: no bytes; `refused`: the provider would not give it (a 4xx); `unreachable`: its URL is not one to fetch (not https); `failed`: fetching it failed (a network error, the provider's 5xx) from a provider that would not retry the webhook (Twilio).",
      }),
  })
  .openapi("MessageMedia");
export type MessageMedia = z.infer<typeof MessageMedia>;

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
      .openapi({
        description:
          "Channels to try, in fallback order, for each channel-bound recipient (else the account's `fallback_order` from `/v1/settings`, else the channel each recipient is on). A channel the recipient has no address on is skipped.",
      }),
    critical: z.boolean().optional().openapi({ description: "SMS is the last resort: added to the end of the fallback order when it does not name it." }),
    attributes: Attributes(LIMITS.messageAttributesBytes).optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.body === undefined || m.body === "") && (m.media === undefined || m.media.length === 0)) {
      ctx.addIssue({ code: "custom", path: ["body"], message: "a message needs a body or media" });
    }
  })
  .openapi("SendMessage");
/**
 * A send, parsed. Its media_id items are references until the Worker resolves them (resolveMedia
 * in src/media/messages.ts) into signed URLs before the conversation stores the message.
 */
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
    step: z.number().int().openapi({ description: "Which channel of the recipient's fallback order (`recipients[].channels`) this try was on, from 0." }),
    outcome: z.enum(["accepted", "retrying", "failed", "skipped", "timed_out", "unknown", "read_in_chat"]).openapi({
      description:
        "`accepted`: the provider took it; `retrying`: a transient failure (5xx, 429, network), tried again with backoff; `failed`: refused for good, or the last retry failed; `skipped`: not sent on this channel (no address on it, outside WhatsApp's 24-hour window with no template, opted out); `timed_out`: accepted, but no delivered receipt within the channel's timeout; `unknown`: the consumer stopped between the provider call and its record, so it is not sent again blindly (its receipt is waited for until the timeout); `read_in_chat`: the recipient read it in chat first, so it was not sent outside.",
    }),
    moved_on: z.boolean().openapi({ description: "Whether the recipient's delivery moved on to the next channel after this (`delivery.fallback`)." }),
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
    channels: z.array(ExternalChannel).openapi({ description: "The fallback order for this recipient: the message's `channels`, else the account's `fallback_order`, else the recipient's own channel; SMS last for a critical message." }),
    step: z.number().int().openapi({ description: "The channel of `channels` the delivery is on now, from 0." }),
    channel: ExternalChannel.openapi({ description: "`channels[step]`." }),
    address: z.string().nullable().openapi({ description: "Where on `channel`: the participant's address, or their contact's on that channel (null until looked up)." }),
    status: DeliveryStatus.openapi({ description: "On the current channel; `failed` or `undelivered` only once every channel of the order has been tried." }),
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
    media: z.array(MessageMedia),
    channel: Channel,
    attributes: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Timestamp.nullable().openapi({
      description:
        "Set when the message was deleted (DELETE, or the retention period): it stays in its index slot as a tombstone, with its body empty and its media, attributes and delivery erased, so indexes stay gapless.",
    }),
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
  delivery: z.enum(["failed"]).optional().openapi({ description: "`failed`: only messages whose delivery failed for some recipient (failed or undelivered on every channel it tried)." }),
  limit: Limit,
  cursor: Cursor,
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;
