import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Attributes, Channel, Cursor, Limit, Timestamp, withinBytes } from "./common";

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
    delivery: z
      .object({ status: DeliveryStatus, channel: Channel, attempts: z.array(z.record(z.string(), z.unknown())) })
      .nullable()
      .openapi({ description: "Outbound delivery to channel-bound recipients; null when every recipient is in-app. This version connects no channel provider yet, so `status` stays `queued`: the delivery is owed, not in flight." }),
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
