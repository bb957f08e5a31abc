import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Read-only projections of each conversation, which the ConversationDO's outbox upserts: the
 * listing row and its tags, participants, message history, and the tombstones that keep late
 * projections out; and the claims that precede a conversation's creation (unique names,
 * creation Idempotency-Keys).
 */

/** Claims that make `unique_name` unique per account; taken before the conversation is created. */
export const conversationNames = sqliteTable(
  "conversation_names",
  {
    accountId: text("account_id").notNull(),
    uniqueName: text("unique_name").notNull(),
    conversationId: text("conversation_id").notNull(),
    /** When the claim was taken: a claim whose conversation does not exist yet may be a create in flight. */
    claimedAt: integer("claimed_at").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.uniqueName] })],
);

/** Idempotency keys for creating conversations (keys for a conversation's own changes live in its DO). */
export const creationKeys = sqliteTable(
  "creation_keys",
  {
    accountId: text("account_id").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    conversationId: text("conversation_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] })],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    status: text("status").notNull(),
    channel: text("channel"),
    /** JSON array; the tag index (conversation_tags) is rebuilt from it. */
    tags: text("tags").notNull(),
    lastActivityAt: integer("last_activity_at").notNull(),
    createdAt: integer("created_at").notNull(),
    messageCount: integer("message_count").notNull().default(0),
    /** The projection version (the DO's outbox sequence): an older snapshot never replaces a newer one. */
    version: integer("version").notNull(),
    /** The conversation resource as the DO rendered it. */
    resource: text("resource").notNull(),
    /** Its own retention periods in ms (null: the account's) and legal hold, for the retention job (indexes in migrations/0016_retention.sql). */
    retentionMessagesMs: integer("retention_messages_ms"),
    retentionConversationMs: integer("retention_conversation_ms"),
    legalHold: integer("legal_hold", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("conversations_activity").on(t.accountId, t.lastActivityAt, t.id),
    index("conversations_created").on(t.accountId, t.createdAt),
    index("conversations_status").on(t.accountId, t.status, t.lastActivityAt),
  ],
);

/** One row per tag of a conversation, so `?tag=` is an index lookup rather than a scan of every row's JSON. */
export const conversationTags = sqliteTable(
  "conversation_tags",
  {
    accountId: text("account_id").notNull(),
    tag: text("tag").notNull(),
    conversationId: text("conversation_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tag, t.conversationId] }), index("conversation_tags_conversation").on(t.conversationId)],
);

export const conversationParticipants = sqliteTable(
  "conversation_participants",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    kind: text("kind").notNull(),
    channel: text("channel").notNull(),
    address: text("address"),
    identity: text("identity"),
    /** Read horizon, so an identity's inbox can show unread counts without asking each DO. */
    lastReadIndex: integer("last_read_index"),
    /** The projection version that wrote the row (see src/projection/apply.ts). */
    version: integer("version").notNull().default(0),
  },
  (t) => [
    index("participants_conversation").on(t.conversationId),
    index("participants_address").on(t.accountId, t.address),
    index("participants_identity").on(t.accountId, t.identity),
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    index: integer("idx").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    resource: text("resource").notNull(),
    /** The projection version that wrote the row (see src/projection/apply.ts). */
    version: integer("version").notNull().default(0),
  },
  (t) => [uniqueIndex("messages_conversation_index").on(t.conversationId, t.index), index("messages_account").on(t.accountId, t.createdAt)],
);

/**
 * Conversations deleted from D1. Projections travel by queue, unordered: a snapshot sent before the
 * deletion may arrive after it, and the tombstone is what keeps it out. Ids are never reused.
 */
export const deletedConversations = sqliteTable("deleted_conversations", {
  id: text("id").primaryKey(),
  accountId: text("account_id").notNull(),
  deletedAt: integer("deleted_at").notNull(),
});

/** Participants removed from their conversation, for the same reason as deleted_conversations. */
export const removedParticipants = sqliteTable(
  "removed_participants",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id").notNull(),
  },
  (t) => [index("removed_participants_conversation").on(t.conversationId)],
);
