import { index, integer, primaryKey, sqliteTable, text, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/**
 * Contacts: people with addresses on several channels, and each one's current thread.
 */

/**
 * People with addresses on several channels (src/db/queries/contacts.ts, contact-addresses.ts), so
 * an inbound message on any of them finds one contact. A merged contact keeps its row, pointing at
 * the survivor, so its id can say where it went; it owns no addresses.
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
