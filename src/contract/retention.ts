import { z } from "@hono/zod-openapi";
import { parseDuration } from "../lib/duration";
import { LIMITS } from "../lib/limits";

/**
 * Retention: how long an account keeps messages and conversations, a conversation's own periods,
 * and legal holds (docs/architecture.md "Retention and deletion"). Periods are ISO 8601 durations
 * as the lifecycle timers take them, in days or weeks in practice (`P365D`, `P52W`): durations have
 * no months or years, whose length depends on the calendar.
 */
const DAY_MS = 86_400_000;

export const RetentionPeriod = z
  .string()
  .refine((d) => {
    const ms = parseDuration(d);
    return ms !== null && ms >= LIMITS.retentionMinMs && ms <= LIMITS.retentionMaxMs;
  }, `an ISO 8601 duration (P365D, P52W, P30D) from ${LIMITS.retentionMinMs / DAY_MS} day to ${LIMITS.retentionMaxMs / DAY_MS} days`)
  .openapi({ example: "P365D" });

/** The account's retention, as `/v1/settings` shows it. */
export const Retention = z
  .object({
    messages: z.string().nullable().openapi({ example: "P365D", description: "A message is deleted (it becomes a tombstone in its index slot) once it is this old; null: kept for ever." }),
    conversations: z.string().nullable().openapi({ example: "P365D", description: "A conversation is deleted with everything in it once it has had no activity for this long; null: kept for ever." }),
    legal_hold: z.boolean().openapi({ description: "While true nothing of the account is deleted: the retention job skips it and DELETE of a conversation or a message is a 409." }),
  })
  .openapi("Retention");
export type Retention = z.infer<typeof Retention>;

export const UpdateRetention = z
  .object({
    messages: RetentionPeriod.nullable().optional(),
    conversations: RetentionPeriod.nullable().optional(),
    legal_hold: z.boolean().optional(),
  })
  .openapi("UpdateRetention");
export type UpdateRetention = z.infer<typeof UpdateRetention>;

/** A conversation's own periods; null: the account's. */
export const ConversationRetention = z
  .object({
    messages: z.string().nullable().openapi({ description: "This conversation's message period; null: the account's (`/v1/settings`)." }),
    conversations: z.string().nullable().openapi({ description: "How long this conversation is kept after its last activity; null: the account's." }),
  })
  .openapi("ConversationRetention");

export const SetConversationRetention = z
  .object({
    messages: RetentionPeriod.nullable().optional().openapi({ description: "Overrides the account's message period; null: back to the account's." }),
    conversations: RetentionPeriod.nullable().optional().openapi({ description: "Overrides the account's conversation period; null: back to the account's." }),
  })
  .openapi("SetConversationRetention");
export type SetConversationRetention = z.infer<typeof SetConversationRetention>;
