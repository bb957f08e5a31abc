import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Timestamp } from "./common";

/**
 * Media: files kept in R2 for an account (uploads, and later what customers send), reached by
 * signed URLs, so a provider or a browser can fetch one without an API key. A signed URL goes into
 * a message's `media[].url` like any other https URL.
 */

export const MediaParams = z.object({ media_id: z.string().openapi({ example: "med_01JD5V7J3E9Q8M2K4N6P0R1S2T" }) });

/**
 * A filename is shown to people and sent in a Content-Disposition header: no control characters
 * (a newline would end the header) and no path separators (it names a file, not where to put it).
 */
export const MediaFilename = z
  .string()
  .min(1)
  .max(LIMITS.mediaFilenameChars)
  .regex(/^[^\x00-\x1f\x7f/\\]+$/, "filename must not contain control characters, / or \\")
  .openapi({ example: "receipt.jpg" });

export const UploadMediaQuery = z.object({
  filename: MediaFilename.optional().openapi({ description: "The file's name, kept with it and offered when it is downloaded." }),
});

/** The query of a signed media URL. The signature covers the path, the account and the expiry. */
export const SignedMediaQuery = z.object({
  account: z.string().min(1).max(64).openapi({ example: "acct_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
  expires: z.string().regex(/^\d{1,12}$/, "expires must be a Unix time in seconds").openapi({ example: "1795253400" }),
  signature: z.string().min(1).max(128).openapi({ example: "UNhY4JhezH9gQYqvDMWrWH9CwlcKiECVqejMrND2VFw" }),
});

export const MediaResource = z
  .object({
    id: z.string().openapi({ example: "med_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    content_type: z.string().openapi({ example: "image/jpeg" }),
    filename: z.string().nullable(),
    size: z.number().int().openapi({ description: "Bytes." }),
    created_at: Timestamp,
    url: z.string().openapi({
      example: "https://parley.example.com/media/med_01JD5V7J3E9Q8M2K4N6P0R1S2T?account=acct_01JD5V7J3E9Q8M2K4N6P0R1S2T&expires=1795253400&signature=…",
      description: "A signed URL that serves the bytes without an API key until `url_expires_at`; usable as a message's `media[].url`. Each read of the resource signs a fresh one.",
    }),
    url_expires_at: Timestamp,
  })
  .openapi("MediaResource");
export type MediaResource = z.infer<typeof MediaResource>;
