import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Cursor, Limit, Timestamp } from "./common";

/** The knowledge base AI drafts answer from: documents, split into passages indexed for retrieval. */

export const KnowledgeFormat = z.enum(["text", "markdown", "html"]).openapi("KnowledgeFormat");
export type KnowledgeFormat = z.infer<typeof KnowledgeFormat>;

const Topic = z
  .string()
  .min(1)
  .max(LIMITS.knowledgeTopicChars)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "topic must be lowercase letters, digits, '_', '.' or '-'")
  .openapi({ example: "billing", description: "What the document is about, as agents' skills name it: routing sends a conversation whose question this document answers best to agents with this skill." });

export const CreateKnowledgeDocument = z
  .object({
    title: z.string().min(1).max(LIMITS.knowledgeTitleChars),
    format: KnowledgeFormat.default("text").openapi({ description: "`markdown`: headings start sections; `html`: read as text (scripts and styles dropped, headings kept as section titles)." }),
    content: z.string().min(1).max(LIMITS.knowledgeDocumentChars),
    topic: Topic.nullable().optional(),
  })
  .openapi("CreateKnowledgeDocument");
export type CreateKnowledgeDocument = z.infer<typeof CreateKnowledgeDocument>;

export const UpdateKnowledgeDocument = z
  .object({
    title: z.string().min(1).max(LIMITS.knowledgeTitleChars).optional(),
    format: KnowledgeFormat.optional(),
    content: z.string().min(1).max(LIMITS.knowledgeDocumentChars).optional(),
    topic: Topic.nullable().optional(),
  })
  .openapi("UpdateKnowledgeDocument");
export type UpdateKnowledgeDocument = z.infer<typeof UpdateKnowledgeDocument>;

export const KnowledgePassage = z
  .object({
    id: z.string().openapi({ example: "kbp_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    document_id: z.string(),
    version: z.number().int().openapi({ description: "The document version this passage belongs to." }),
    position: z.number().int(),
    heading: z.string().openapi({ description: "The section the passage is in (the document's title when it has no headings)." }),
    text: z.string(),
    live: z.boolean().openapi({ description: "False once a later version (or the document's deletion) retired it; kept because a draft cited it." }),
  })
  .openapi("KnowledgePassage");
export type KnowledgePassage = z.infer<typeof KnowledgePassage>;

export const KnowledgeDocument = z
  .object({
    id: z.string().openapi({ example: "kb_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    title: z.string(),
    topic: z.string().nullable(),
    format: KnowledgeFormat,
    content: z.string(),
    version: z.number().int().openapi({ description: "1 when created; each change of its title, format or content adds one." }),
    passage_count: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("KnowledgeDocument");
export type KnowledgeDocument = z.infer<typeof KnowledgeDocument>;

export const KnowledgeDocumentWithPassages = KnowledgeDocument.extend({ passages: z.array(KnowledgePassage) }).openapi("KnowledgeDocumentWithPassages");

export const KnowledgeParams = z.object({ document_id: z.string().openapi({ example: "kb_01JD5V7J3E9Q8M2K4N6P0R1S2T" }) });
export const PassageParams = z.object({ passage_id: z.string().openapi({ example: "kbp_01JD5V7J3E9Q8M2K4N6P0R1S2T" }) });

export const KnowledgeListQuery = z.object({ limit: Limit, cursor: Cursor });
