/**
 * D1 holds what spans conversations: accounts and keys, and read-only projections of each
 * conversation (listing row, participants, message history) that the ConversationDO's outbox
 * upserts. The DO stays the source of truth for a single conversation; these tables may lag it.
 * Times are epoch milliseconds.
 *
 * The tables are declared by area in schema/; this module is the one drizzle-kit reads
 * (drizzle.config.ts) and the one the rest of the code imports.
 */

export * from "./schema/accounts";
export * from "./schema/conversations";
export * from "./schema/channels";
export * from "./schema/contacts";
export * from "./schema/webhooks";
export * from "./schema/jobs";

/*
 * Search (migrations/0014_search.sql, SQL only): drizzle cannot describe FTS5 virtual tables, views or
 * triggers, so the search index is not declared here. The tables search_accounts, search_docs and
 * search_name_docs, the views search_words_content and search_grams_content, the FTS5 tables
 * search_words, search_grams and search_names, and the triggers on messages, conversations and
 * contacts that keep them in step, are read and written only by src/db/queries/search.ts,
 * src/db/queries/conversations.ts (q) and the triggers themselves.
 */
