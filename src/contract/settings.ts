import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Attributes, ExternalChannel, Timestamp, withinBytes } from "./common";
import { Timers } from "./conversation";
import { WebhookUrl } from "./webhook";
import { Retention, UpdateRetention } from "./retention";
import { AiSettings, UpdateAiSettings } from "./ai-settings";

const DeliveryTimeouts = z.partialRecord(ExternalChannel, z.number().int().min(1).max(LIMITS.deliveryTimeoutSecondsMax));

/** An approved WhatsApp message template, by name and language code. */
const WhatsAppTemplate = z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(16) });

/**
 * Account settings: the defaults a new conversation takes (its lifecycle timers; the fallback
 * order, retention and AI thresholds join them as those capabilities land), and the pre-event
 * hook. A change of the defaults applies to conversations created from then on.
 */
export const Settings = z
  .object({
    timers: z
      .object({ inactive_after: z.string().nullable(), closed_after: z.string().nullable() })
      .openapi({ description: "Lifecycle timers new conversations take unless their create says otherwise (ISO 8601 durations, null: off)." }),
    pre_event_hook: z
      .object({ url: z.string() })
      .nullable()
      .openapi({
        description: `Asked before each message sent by the API or a socket is committed (${LIMITS.preEventHookTimeoutMs / 1000} s timeout), signed with Standard Webhooks under the hook's secret: it may allow, modify (body, attributes) or reject (a 422 with its reason) the message. No answer in time, or no valid verdict, lets the message through unchanged with \`attributes.parley.pre_event_hook\` saying so (\`timeout\`, \`failed\`).`,
      }),
    fallback_order: z.array(ExternalChannel).nullable().openapi({ description: "The channels a message tries in turn when its send names none (a recipient's own channel is added at the end if missing); null: each recipient's own channel only." }),
    delivery_timeouts: DeliveryTimeouts.openapi({ description: "Seconds to wait, per channel, for a delivered receipt before moving on to the next channel; a channel left out waits for ever." }),
    chat_grace_seconds: z.number().int().openapi({ description: "A recipient who also has the conversation open in chat (a socket of theirs is connected) is sent to externally only this long after the message, and not at all if they have read it in chat by then; 0: no wait." }),
    whatsapp_template: WhatsAppTemplate.nullable().openapi({ description: "Sent instead of the text to a WhatsApp recipient outside the 24-hour customer-service window; null: such a recipient is skipped to the next channel." }),
    retention: Retention.openapi({ description: "How long messages and conversations are kept (12 months each until changed), and the account-wide legal hold. Applies to every conversation that does not set its own period; a conversation's own legal hold adds to the account's." }),
    ai: AiSettings.openapi({ description: "AI reply drafts: on or off, the engine, the confidence gates, review expiry and escalation rules." }),
    updated_at: Timestamp.nullable().openapi({ description: "Null until the settings are first changed." }),
  })
  .openapi("Settings");
export type Settings = z.infer<typeof Settings>;

/** What PATCH answers: the settings, and the hook's signing secret once, when the hook was set. */
export const UpdatedSettings = Settings.extend({
  pre_event_hook_secret: z.string().optional().openapi({ description: "`whsec_…`: shown only in the answer that set the hook's url." }),
}).openapi("UpdatedSettings");

export const UpdateSettings = z
  .object({
    timers: Timers.optional(),
    fallback_order: z.array(ExternalChannel).min(1).max(5).nullable().optional(),
    delivery_timeouts: DeliveryTimeouts.optional().openapi({ description: "Replaces the whole map." }),
    whatsapp_template: WhatsAppTemplate.nullable().optional(),
    chat_grace_seconds: z.number().int().min(0).max(LIMITS.chatGraceSecondsMax).optional(),
    ai: UpdateAiSettings.optional().openapi({ description: "Fields left out stay as they are (thresholds and escalation field by field); `openai: null` removes the endpoint and its key." }),
    retention: UpdateRetention.optional().openapi({ description: "Fields left out stay as they are; a period set to null keeps for ever." }),
    pre_event_hook: z
      .object({ url: WebhookUrl })
      .nullable()
      .optional()
      .openapi({ description: "Set (a new secret is issued) or, with null, remove the hook. The url follows the webhook rules (https to a public host outside development)." }),
  })
  .openapi("UpdateSettings");
export type UpdateSettings = z.infer<typeof UpdateSettings>;

/** What a pre-event hook answers. */
export const PreEventVerdict = z.discriminatedUnion("action", [
  z.object({ action: z.literal("allow") }),
  z.object({ action: z.literal("reject"), reason: z.string().min(1).max(1000) }),
  z.object({
    action: z.literal("modify"),
    body: withinBytes(z.string(), LIMITS.messageBodyBytes, "body").optional(),
    attributes: Attributes(LIMITS.messageAttributesBytes).optional(),
  }),
]);
export type PreEventVerdict = z.infer<typeof PreEventVerdict>;
