import { z } from "@hono/zod-openapi";
import { parseDuration } from "../lib/duration";
import { LIMITS } from "../lib/limits";
import { Attributes, Channel, Cursor, Identity, Limit, Timestamp } from "./common";
import { Message, MessagePreview, SendMessage } from "./message";
import { AddParticipant, Participant } from "./participant";
import { ConversationRetention, SetConversationRetention } from "./retention";

export const ConversationStatus = z
  .enum(["open", "inactive", "resolved", "closed"])
  .openapi("ConversationStatus", {
    description:
      "`inactive`: set by the `inactive_after` timer, back to `open` with the next message. `resolved`: an agent's call; the customer writing again reopens it. `closed`: read-only until reopened; a customer's next inbound message starts a new conversation. Moves the API may make: open → resolved | closed; inactive → open | resolved | closed; resolved → open | closed; closed → open (others are a 422).",
  });
export type ConversationStatus = z.infer<typeof ConversationStatus>;

const FriendlyName = z.string().min(1).max(LIMITS.friendlyNameChars);

const Duration = z
  .string()
  .refine((d) => {
    const ms = parseDuration(d);
    return ms !== null && ms >= LIMITS.lifecycleTimerMinMs && ms <= LIMITS.lifecycleTimerMaxMs;
  }, `an ISO 8601 duration of days, hours, minutes or seconds (PT30M, P1D, P1DT12H), from ${LIMITS.lifecycleTimerMinMs / 60_000} minute to ${LIMITS.lifecycleTimerMaxMs / 86_400_000} days`)
  .openapi({ example: "P1D" });

/** Lifecycle timers, counted from the last activity (a message). null turns one off. */
export const Timers = z
  .object({
    inactive_after: Duration.nullable().optional().openapi({ description: "An open conversation with no message for this long becomes `inactive`." }),
    closed_after: Duration.nullable().optional().openapi({ description: "A conversation (open, inactive or resolved) with no message for this long becomes `closed`." }),
  })
  .openapi("Timers");
export type Timers = z.infer<typeof Timers>;
const Tags = z.array(z.string().min(1).max(LIMITS.tagChars)).max(LIMITS.tags);

export const CreateConversation = z
  .object({
    friendly_name: FriendlyName.optional(),
    unique_name: z
      .string()
      .min(1)
      .max(LIMITS.uniqueNameChars)
      .optional()
      .openapi({ description: "Your own key for the conversation; unique within the account (409 on a duplicate)." }),
    subject: z.string().max(LIMITS.subjectChars).optional(),
    channel: Channel.optional(),
    tags: Tags.optional(),
    attributes: Attributes(LIMITS.conversationAttributesBytes).optional(),
    participants: z.array(AddParticipant).max(LIMITS.participantsOnCreate).optional(),
    timers: Timers.optional().openapi({ description: "Lifecycle timers; those left out take the account's defaults (`/v1/settings`)." }),
    retention: SetConversationRetention.optional().openapi({ description: "Retention periods of its own; those left out follow the account's (`/v1/settings`), as it is at each run of the retention job." }),
    legal_hold: z.boolean().optional().openapi({ description: "Keeps everything of the conversation, whatever the retention periods: nothing of it is deleted while set, and DELETE of it or of its messages is a 409." }),
    message: SendMessage.optional().openapi({ description: "A first message, committed with the conversation." }),
  })
  .openapi("CreateConversation");
export type CreateConversation = z.infer<typeof CreateConversation>;

export const UpdateConversation = z
  .object({
    status: ConversationStatus.optional(),
    friendly_name: FriendlyName.nullable().optional(),
    subject: z.string().max(LIMITS.subjectChars).nullable().optional(),
    tags: Tags.optional(),
    attributes: Attributes(LIMITS.conversationAttributesBytes).optional(),
    timers: Timers.optional().openapi({ description: "Set or (with null) turn off a lifecycle timer; the others stay as they are." }),
    retention: SetConversationRetention.optional().openapi({ description: "Set a period of its own or (with null) follow the account's again; the other stays as it is." }),
    legal_hold: z.boolean().optional().openapi({ description: "Place (true) or lift (false) a legal hold on the conversation." }),
  })
  .openapi("UpdateConversation");
export type UpdateConversation = z.infer<typeof UpdateConversation>;

export const Conversation = z
  .object({
    id: z.string().openapi({ example: "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    unique_name: z.string().nullable(),
    friendly_name: z.string().nullable(),
    subject: z.string().nullable(),
    channel: Channel.nullable(),
    status: ConversationStatus,
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    message_count: z.number().int(),
    participant_count: z.number().int(),
    last_message: MessagePreview.nullable(),
    last_activity_at: Timestamp,
    timers: z.object({ inactive_after: z.string().nullable(), closed_after: z.string().nullable() }).openapi({ description: "The conversation's lifecycle timers (ISO 8601 durations), null when off." }),
    retention: ConversationRetention,
    legal_hold: z.boolean().openapi({ description: "The conversation's own legal hold (an account-wide hold, in `/v1/settings`, holds it too)." }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("Conversation");
export type Conversation = z.infer<typeof Conversation>;

/** What creating a conversation answers: the conversation with what was created alongside it. */
export const CreatedConversation = Conversation.extend({
  participants: z.array(Participant),
  message: Message.nullable(),
}).openapi("CreatedConversation");
export type CreatedConversation = z.infer<typeof CreatedConversation>;

export const ListConversationsQuery = z.object({
  status: ConversationStatus.optional(),
  channel: Channel.optional(),
  tag: z.string().min(1).optional(),
  address: z.string().min(1).optional().openapi({ description: "Only conversations with a participant at this address." }),
  identity: Identity.optional().openapi({ description: "Only conversations with this chat identity." }),
  contact_id: z
    .string()
    .min(1)
    .optional()
    .openapi({
      example: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T",
      description: "Only conversations with a participant at one of this contact's addresses (as the contact is now). An unknown, foreign or merged contact is a 404.",
    }),
  q: z
    .string()
    .min(1)
    .max(LIMITS.searchQueryChars)
    .optional()
    .openapi({
      example: "pat 1042",
      description:
        "Only conversations that match every word of `q` as the start of a word of their friendly_name, unique_name or subject, or of a contact's name (the contact's conversations, as for `contact_id`); or whose `q` begins a participant's address or identity (`+1415`, `pat@`, `agent-a`).",
    }),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  limit: Limit,
  cursor: Cursor,
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

/** A conversation in a chat identity's inbox, with that identity's read horizon in it. */
export const InboxEntry = Conversation.extend({
  participant_id: z.string(),
  last_read_index: z.number().int().nullable(),
  unread_count: z.number().int(),
}).openapi("InboxEntry");
export type InboxEntry = z.infer<typeof InboxEntry>;
