import { z } from "@hono/zod-openapi";
import { Timestamp } from "./common";
import { Timers } from "./conversation";

/**
 * Account settings: the defaults a new conversation takes (today its lifecycle timers; the
 * fallback order, retention and AI thresholds join them as those capabilities land). A change
 * applies to conversations created from then on; a conversation's own settings are its own.
 */
export const Settings = z
  .object({
    timers: z
      .object({ inactive_after: z.string().nullable(), closed_after: z.string().nullable() })
      .openapi({ description: "Lifecycle timers new conversations take unless their create says otherwise (ISO 8601 durations, null: off)." }),
    updated_at: Timestamp.nullable().openapi({ description: "Null until the settings are first changed." }),
  })
  .openapi("Settings");
export type Settings = z.infer<typeof Settings>;

export const UpdateSettings = z.object({ timers: Timers.optional() }).openapi("UpdateSettings");
export type UpdateSettings = z.infer<typeof UpdateSettings>;
