import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/**
 * Providers an account connected, and what passes through them: inbound messages already taken
 * in, webhook tokens already used, messages handed to a provider and receipts that came early,
 * and SMS opt-outs.
 */

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
