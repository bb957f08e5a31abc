import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Channel, Cursor, Limit } from "./common";
import { AuthorKind, Message } from "./message";

export const SearchMessagesQuery = z.object({
  q: z
    .string()
    .min(1)
    .max(LIMITS.searchQueryChars)
    .openapi({
      example: '"not arrived" parcel deliv*',
      description:
        `Words match whole words (any case, Latin accents ignored); all of them must match. \`"two words"\` is a phrase, \`deliv*\` a prefix (at least ${LIMITS.searchPrefixMinChars} letters), ` +
        "`a OR b`, `a NOT b` (or `a -b`) and parentheses combine them; `AND` is implied. Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar and emoji match as substrings. " +
        `At most ${LIMITS.searchTerms} terms. A query that cannot be read (an unbalanced quote, an operator without its terms, a lone \`*\`) is a 422 naming \`query.q\`.`,
    }),
  conversation_id: z.string().min(1).optional().openapi({ description: "Only messages of this conversation." }),
  channel: Channel.optional().openapi({ description: "Only messages that came in or first went out on this channel." }),
  author_kind: AuthorKind.optional(),
  contact_id: z
    .string()
    .min(1)
    .optional()
    .openapi({
      example: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T",
      description: "Only messages of conversations with a participant at one of this contact's addresses (as the contact is now). An unknown, foreign or merged contact is a 404.",
    }),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  limit: Limit,
  cursor: Cursor,
});
export type SearchMessagesQuery = z.infer<typeof SearchMessagesQuery>;

export const SearchResult = z
  .object({
    message: Message,
    conversation_id: z.string(),
    snippet: z.string().openapi({
      example: "My <mark>parcel</mark> has not arrived, and the tracking…",
      description:
        "An HTML fragment: the text around the best match, HTML-escaped, each match in `<mark>`…`</mark>`, and `…` where the text was cut. Safe to insert as HTML.",
    }),
    rank: z.number().openapi({
      description:
        "The BM25 score of the match, computed from the caller's own messages only (how rare the query is among them, how often it occurs in this message, how long the message is). Higher is better; results come best first (for a query with more matches than one ranked block, block by block, newest block first: see the route). Comparable within one query only.",
    }),
  })
  .openapi("SearchResult");
export type SearchResult = z.infer<typeof SearchResult>;
