import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * D1 holds what spans conversations: accounts and keys, and read-only projections of each
 * conversation (listing row, participants, message history) that the ConversationDO's outbox
 * upserts. The DO stays the source of truth for a single conversation; these tables may lag it.
 * Times are epoch milliseconds.
 */

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    name: text("name"),
    /** The first characters of the key, shown in listings so a person can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key: keys are 40 random base62 characters, so no slow hash is needed. */
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_account").on(t.accountId)],
);

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

/**
 * Providers an account has connected (src/channels/connections.ts). Credentials are sealed with
 * AES-GCM under the CREDENTIALS_KEYS keyring (src/lib/secrets.ts), bound to the row's id and
 * account: nothing secret is stored in the clear. One channel per (account, type, sender).
 */
export const channels = sqliteTable(
  "channels",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    /** In its one normal form (E.164, lowercase email), so the unique index sees duplicates. */
    sender: text("sender").notNull(),
    /** Null: the provider's default, so a changed default reaches channels that never chose one. */
    baseUrl: text("base_url"),
    friendlyName: text("friendly_name"),
    /** The keyring key the credentials were sealed with; null, like ciphertext, for a provider without credentials. */
    keyId: text("key_id"),
    ciphertext: text("ciphertext"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("channels_sender").on(t.accountId, t.type, t.sender), index("channels_account").on(t.accountId, t.id)],
);

/**
 * People with addresses on several channels (src/db/queries/contacts.ts), so an inbound message on
 * any of them finds one contact. A merged contact keeps its row, pointing at the survivor, so its
 * id can say where it went; it owns no addresses.
 */
export const contacts = sqliteTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    name: text("name"),
    /** JSON object. */
    attributes: text("attributes").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Set by a merge. Deleting the survivor deletes what was merged into it: it is the same person. */
    mergedInto: text("merged_into").references((): AnySQLiteColumn => contacts.id, { onDelete: "cascade" }),
  },
  (t) => [index("contacts_account").on(t.accountId, t.id)],
);

/**
 * Each contact's addresses in the channel registry's normal form. The primary key makes an address
 * one contact's per account; deleting the contact frees its addresses.
 */
export const contactAddresses = sqliteTable(
  "contact_addresses",
  {
    accountId: text("account_id").notNull(),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    contactId: text("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.channel, t.address] }),
    index("contact_addresses_contact").on(t.contactId, t.channel),
    // `?address=` without a channel.
    index("contact_addresses_address").on(t.accountId, t.address),
  ],
);

/**
 * Each contact's current thread: the conversation their inbound messages go to. Claimed before the
 * conversation exists, so concurrent first messages agree on one (src/db/queries/contact-threads.ts);
 * moved to a new conversation once that one is closed or deleted.
 */
export const contactThreads = sqliteTable(
  "contact_threads",
  {
    accountId: text("account_id").notNull(),
    contactId: text("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id").notNull(),
    claimedAt: integer("claimed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.contactId] })],
);

/**
 * Provider message ids already taken in, per account: which conversation each went to and whether
 * it was stored. A retried webhook goes where its first attempt went, and once stored is only
 * acknowledged, even if that conversation has since been closed or deleted.
 */
export const inboundMessages = sqliteTable(
  "inbound_messages",
  {
    accountId: text("account_id").notNull(),
    provider: text("provider").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    storedAt: integer("stored_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.provider, t.providerMessageId] })],
);

/**
 * Webhook tokens already used (Mailgun signs only a timestamp and a token, not the body): a signed
 * post replayed with another body inside the 5-minute window is refused. Kept about 10 minutes.
 */
export const webhookTokens = sqliteTable("webhook_tokens", {
  token: text("token").primaryKey(),
  seenAt: integer("seen_at").notNull(),
});

/**
 * Messages Parley handed to a provider, by the provider's id: how a receipt (which names only that
 * id) finds its conversation, message and recipient. Written by the delivery consumer once the
 * provider accepts, before the conversation is told.
 */
export const outboundMessages = sqliteTable(
  "outbound_messages",
  {
    provider: text("provider").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    accountId: text("account_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    messageIndex: integer("message_index").notNull(),
    participantId: text("participant_id").notNull(),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerMessageId] }),
    // Messenger's watermarks name a person and a time, not messages.
    index("outbound_by_address").on(t.accountId, t.channel, t.address, t.sentAt),
  ],
);

/**
 * Receipts that came before their send was recorded (a provider can call back before its own
 * answer reaches the consumer). The receipt is written here first and the consumer reads here after
 * recording the send, so one of the two always sees the other; applied receipts are deleted.
 */
export const earlyReceipts = sqliteTable(
  "early_receipts",
  {
    provider: text("provider").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    status: text("status").notNull(),
    accountId: text("account_id").notNull(),
    errorCode: text("error_code"),
    reason: text("reason"),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerMessageId, t.status] })],
);

/**
 * Every event the conversations emitted (the catalog in src/contract/events.ts), as delivered to
 * webhooks: written by the projection consumer in the same D1 batch as the change it describes, so
 * an event is in D1 exactly when its change is. Webhook deliveries and replays read it from here.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    type: text("type").notNull(),
    sequence: integer("sequence").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    /** The whole envelope as JSON: what a webhook's body is. */
    payload: text("payload").notNull(),
  },
  (t) => [index("events_by_account_time").on(t.accountId, t.occurredAt)],
);

/**
 * Webhook endpoints (src/webhooks): where an account's events are POSTed, signed with Standard
 * Webhooks. The signing secrets are sealed under the CREDENTIALS_KEYS keyring (`key_id` names the
 * key) with an AAD naming the account and the endpoint, so a ciphertext copied to another row does
 * not open; the one a rotation replaced is in the same sealed value until `previous_secret_expires_at`.
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    url: text("url").notNull(),
    /** The filter as a JSON array: exact event names, `family.*`, or `*`. */
    events: text("events").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    description: text("description"),
    /** Why Parley disabled it (failing for days); null when enabled or disabled by the account. */
    disabledReason: text("disabled_reason"),
    /** The first failed attempt since the last success; null while healthy. */
    failingSince: integer("failing_since"),
    keyId: text("key_id").notNull(),
    ciphertext: text("ciphertext").notNull(),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // The fan-out's one query per projection batch: an account's enabled endpoints.
  (t) => [index("webhooks_by_account").on(t.accountId, t.enabled)],
);

/** Every attempt to deliver an event to an endpoint, newest first in its log (ids are ULIDs). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    accountId: text("account_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The queue's count for this job: 1 for the first send, 2 for the first retry, … (a replay starts again at 1). */
    attempt: integer("attempt").notNull(),
    replay: integer("replay", { mode: "boolean" }).notNull(),
    /** `delivered` (a 2xx), `retrying` (another attempt is due at next_retry_at), `failed` (given up on). */
    outcome: text("outcome").notNull(),
    /** Null when no response came: network error, timeout. */
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    nextRetryAt: integer("next_retry_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("webhook_deliveries_by_webhook").on(t.webhookId, t.id), index("webhook_deliveries_by_event").on(t.webhookId, t.eventId)],
);

/** Account settings (src/contract/settings.ts), one row per account that changed them, as JSON. */
export const accountSettings = sqliteTable("account_settings", {
  accountId: text("account_id").primaryKey(),
  settings: text("settings").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Phone numbers that replied STOP (or another opt-out keyword) on SMS: sends to them by SMS are
 * skipped until they reply START. Per account, since opting out is from that business's number.
 */
export const optOuts = sqliteTable(
  "opt_outs",
  {
    accountId: text("account_id").notNull(),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    keyword: text("keyword").notNull(),
    optedOutAt: integer("opted_out_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.channel, t.address] })],
);

/*
 * Search (migrations/0014_search.sql, SQL only): drizzle cannot describe FTS5 virtual tables, views or
 * triggers, so the search index is not declared here. The tables search_accounts, search_docs and
 * search_name_docs, the views search_words_content and search_grams_content, the FTS5 tables
 * search_words, search_grams and search_names, and the triggers on messages, conversations and
 * contacts that keep them in step, are read and written only by src/db/queries/search.ts,
 * src/db/queries/conversations.ts (q) and the triggers themselves.
 */

/**
 * Bulk exports (src/export, migrations/0018_exports.sql): the job, its progress, and its place, which
 * each step records in the same statement that claims its number (`step`), so a crashed or retried
 * step resumes from the last recorded one and two copies of a step cannot both record.
 */
export const exportJobs = sqliteTable(
  "exports",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    status: text("status", { enum: ["queued", "running", "completed", "failed"] }).notNull(),
    /** JSON: the listing filters it was created with. */
    filters: text("filters").notNull(),
    rangeFrom: integer("range_from"),
    rangeTo: integer("range_to").notNull(),
    /** Steps recorded so far; the next step is this number. */
    step: integer("step").notNull().default(0),
    /** Until when the step under way holds the job (null: none does). */
    leaseUntil: integer("lease_until"),
    /** JSON: where the next step starts (src/export/cursor.ts); null before the first. */
    cursor: text("cursor"),
    /** The R2 multipart upload, once the output reached a full part. */
    uploadId: text("upload_id"),
    /** JSON: the uploaded parts, `[{ partNumber, etag }]`, in order. */
    parts: text("parts").notNull().default("[]"),
    /** Bytes past the last full part, waiting in the staging object of the last step. */
    tailBytes: integer("tail_bytes").notNull().default(0),
    conversationsDone: integer("conversations_done").notNull().default(0),
    messagesDone: integer("messages_done").notNull().default(0),
    bytesDone: integer("bytes_done").notNull().default(0),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [index("exports_by_account").on(t.accountId, t.id)],
);

/**
 * The retention job's progress (src/retention/job.ts), one row: the run in progress or the last
 * one, where it is (account, phase, keyset cursor), its lease and its counts.
 */
export const retentionRuns = sqliteTable("retention_runs", {
  id: integer("id").primaryKey(),
  startedAt: integer("started_at").notNull(),
  accountId: text("account_id"),
  phase: text("phase").notNull(),
  cursor: text("cursor"),
  finishedAt: integer("finished_at"),
  leasedUntil: integer("leased_until"),
  conversationsDeleted: integer("conversations_deleted").notNull().default(0),
  messagesDeleted: integer("messages_deleted").notNull().default(0),
  calls: integer("calls").notNull().default(0),
});
