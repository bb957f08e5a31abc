import { z } from "@hono/zod-openapi";
import { Timestamp } from "./common";

/** Accounts and their API keys, as the admin routes show them. */
export const Account = z.object({ id: z.string(), name: z.string(), created_at: Timestamp }).openapi("Account");
export type Account = z.infer<typeof Account>;

/** A key as issued: the only time its secret is shown. */
export const IssuedKey = z
  .object({
    id: z.string(),
    prefix: z.string(),
    key: z.string().openapi({ description: "The secret itself. Shown once: only a hash is stored." }),
    name: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi("IssuedKey");
export type IssuedKey = z.infer<typeof IssuedKey>;

/** A key as listed later: its prefix, never its secret. */
export const KeySummary = z
  .object({ id: z.string(), prefix: z.string(), name: z.string().nullable(), created_at: Timestamp, revoked_at: Timestamp.nullable() })
  .openapi("ApiKey");
export type KeySummary = z.infer<typeof KeySummary>;

export const CreateAccount = z.object({ name: z.string().min(1).max(256) });
export type CreateAccount = z.infer<typeof CreateAccount>;

export const CreatedAccount = z.object({ account: Account, api_key: IssuedKey });
export type CreatedAccount = z.infer<typeof CreatedAccount>;

export const CreateKey = z.object({ name: z.string().min(1).max(256).optional() });
export type CreateKey = z.infer<typeof CreateKey>;
