import { z } from "@hono/zod-openapi";
import { Conversation, ListConversationsQuery } from "./conversation";
import { Limit, Cursor, Timestamp } from "./common";
import { Message } from "./message";

/**
 * Exports are NDJSON: one JSON object per line, each with a `type`. A conversation's line comes
 * first and its messages follow it in index order (a bulk export holds many such runs, one per
 * conversation). Messages are the API's Message resource, delivery state and attempts included; a
 * message the retention job has deleted is carried as the tombstone the API shows for it.
 */
export const ConversationLine = z
  .object({ type: z.literal("conversation"), conversation: Conversation })
  .openapi("ExportConversationLine");
export const MessageLine = z.object({ type: z.literal("message"), message: Message }).openapi("ExportMessageLine");
export type ConversationLine = z.infer<typeof ConversationLine>;
export type MessageLine = z.infer<typeof MessageLine>;

/**
 * What a bulk export takes: the listing's own filters (one schema, so a filter means the same in
 * both), and a time range over messages. `from`/`to` default to everything up to when the export is
 * created; a conversation is included when it matches the filters and its life overlaps the range
 * (created before `to`, last active at or after `from`), with its messages created in the range.
 */
export const CreateExport = ListConversationsQuery.pick({
  status: true,
  channel: true,
  tag: true,
  address: true,
  identity: true,
  contact_id: true,
  created_after: true,
  created_before: true,
})
  .extend({
    from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Messages created at or after this time (default: the beginning)." }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Messages created before this time (default: when the export is created)." }),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.from !== undefined && e.to !== undefined && Date.parse(e.from) >= Date.parse(e.to)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "to must be after from" });
    }
  })
  .openapi("CreateExport");
export type CreateExport = z.infer<typeof CreateExport>;

export const ExportStatus = z.enum(["queued", "running", "completed", "failed"]).openapi("ExportStatus");
export type ExportStatus = z.infer<typeof ExportStatus>;

export const ExportJob = z
  .object({
    id: z.string().openapi({ example: "exp_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    status: ExportStatus,
    filters: z.record(z.string(), z.string()).openapi({ description: "The filters it was created with (listing filters by name)." }),
    from: Timestamp.nullable(),
    to: Timestamp,
    progress: z.object({
      conversations: z.number().int().openapi({ description: "Conversations written so far." }),
      messages: z.number().int().openapi({ description: "Messages written so far." }),
      bytes: z.number().int().openapi({ description: "NDJSON bytes written so far." }),
    }),
    download_url: z.string().nullable().openapi({ description: "Once completed: a signed URL that serves the NDJSON without an API key, until `download_expires_at`. Each GET signs a fresh one." }),
    download_expires_at: Timestamp.nullable(),
    error: z.string().nullable().openapi({ description: "Why it failed, when it did." }),
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: Timestamp.nullable(),
  })
  .openapi("Export");
export type ExportJob = z.infer<typeof ExportJob>;

export const ExportParams = z.object({ export_id: z.string().openapi({ example: "exp_01JD5V7J3E9Q8M2K4N6P0R1S2T" }) });
export const ListExportsQuery = z.object({ limit: Limit, cursor: Cursor });
