import { z } from "@hono/zod-openapi";
import { utf8Length } from "../lib/crypto";
import { LIMITS } from "../lib/limits";

/**
 * A size limit that answers 413 (not 422) when broken: the error hook reads `params.status`.
 * Byte length, not characters, because that is what storage and providers count.
 */
export function withinBytes<T extends z.ZodType>(schema: T, maxBytes: number, what: string) {
  return schema.superRefine((value, ctx) => {
    const size = typeof value === "string" ? utf8Length(value) : utf8Length(JSON.stringify(value) ?? "");
    if (size > maxBytes) {
      ctx.addIssue({
        code: "custom",
        message: `${what} is ${size} bytes; the limit is ${maxBytes}`,
        params: { status: 413 },
      });
    }
  });
}

export const Attributes = (maxBytes: number) =>
  withinBytes(z.record(z.string(), z.unknown()), maxBytes, "attributes").openapi({
    description: `Free-form JSON object, at most ${maxBytes} bytes serialized.`,
    example: { crm_id: "A-1042" },
  });

export const Timestamp = z.string().openapi({ format: "date-time", example: "2026-11-21T09:30:00.000Z" });

export const Channel = z.enum(["sms", "mms", "whatsapp", "messenger", "email", "chat"]).openapi("Channel");
export type Channel = z.infer<typeof Channel>;

/** Channels that reach someone at an external address (as opposed to an in-app chat identity). */
export const EXTERNAL_CHANNELS = ["sms", "mms", "whatsapp", "messenger", "email"] as const satisfies Channel[];

export const Identity = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\s]+$/, "identity must not contain whitespace")
  .openapi({ example: "agent-ada" });

export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(LIMITS.pageSizeMax)
  .default(LIMITS.pageSizeDefault)
  .openapi({ description: `Page size, 1–${LIMITS.pageSizeMax}.`, example: 25 });

export const Cursor = z.string().max(512).optional().openapi({ description: "`next_cursor` from the previous page." });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(LIMITS.idempotencyKeyChars)
    .optional()
    .openapi({ description: "Retry-safe key: the same key and body return the first response for 24 h." }),
});
