import { z } from "@hono/zod-openapi";
import { utf8Length } from "../lib/crypto";
import { LIMITS } from "../lib/limits";

/** The issue for a value over `maxBytes`, if it is: a 413 (not 422), which the error hook reads from `params.status`. */
function sizeIssue(value: unknown, maxBytes: number, what: string) {
  // Byte length, not characters, because that is what storage and providers count.
  const size = typeof value === "string" ? utf8Length(value) : utf8Length(JSON.stringify(value) ?? "");
  if (size <= maxBytes) return undefined;
  return { code: "custom" as const, message: `${what} is ${size} bytes; the limit is ${maxBytes}`, params: { status: 413 } };
}

/** A size limit that answers 413 when broken. */
export function withinBytes<T extends z.ZodType>(schema: T, maxBytes: number, what: string) {
  return schema.superRefine((value, ctx) => {
    const issue = sizeIssue(value, maxBytes, what);
    if (issue) ctx.addIssue(issue);
  });
}

/**
 * Whether `value` nests objects and arrays more than `max` levels deep (the value itself is level
 * 1). Walked with a stack, not recursion: the point is to refuse input so deep that a recursive
 * walk (the byte count below, the Idempotency-Key fingerprint, storage) would overflow the stack.
 */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, depth] = entry;
    if (node === null || typeof node !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Free-form JSON object, bounded in depth (checked first, so nothing recursive sees it) and in bytes. */
export const Attributes = (maxBytes: number) =>
  z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      if (nestsDeeperThan(value, LIMITS.attributesDepth)) {
        ctx.addIssue({ code: "custom", message: `attributes nest more than ${LIMITS.attributesDepth} levels deep` });
        return;
      }
      const issue = sizeIssue(value, maxBytes, "attributes");
      if (issue) ctx.addIssue(issue);
    })
    .openapi({
      description: `Free-form JSON object, at most ${maxBytes} bytes serialized and ${LIMITS.attributesDepth} levels deep.`,
      example: { crm_id: "A-1042" },
    });

export const Timestamp = z.string().openapi({ format: "date-time", example: "2026-11-21T09:30:00.000Z" });

export const Channel = z.enum(["sms", "mms", "whatsapp", "messenger", "email", "chat"]).openapi("Channel");
export type Channel = z.infer<typeof Channel>;

/** Channels that reach someone at an external address (as opposed to an in-app chat identity). */
export const EXTERNAL_CHANNELS = ["sms", "mms", "whatsapp", "messenger", "email"] as const satisfies Channel[];
export const ExternalChannel = z.enum(EXTERNAL_CHANNELS).openapi("ExternalChannel");

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

export const PageQuery = z.object({ limit: Limit, cursor: Cursor });

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
