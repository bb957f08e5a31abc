import type { Conversation } from "../contract/conversation";
import type { ConversationRow } from "../conversation/rows";
import type * as d1 from "../db/schema";
import type { ListingProjection } from "./payload";

/** The listing columns of a conversation (what listings filter and sort on) with its resource. */
export function listingProjection(conv: ConversationRow, resource: Conversation): ListingProjection {
  return {
    status: conv.status,
    channel: conv.channel,
    tags: JSON.parse(conv.tags) as string[],
    last_activity_at: conv.last_activity_at,
    created_at: conv.created_at,
    message_count: conv.next_index,
    retention_messages_ms: conv.retention_messages_ms,
    retention_conversation_ms: conv.retention_conversation_ms,
    legal_hold: conv.legal_hold === 1,
    resource,
  };
}

/** The same as a D1 `conversations` row at a given version (the bench seeds rows with it). */
export function listingRow(conv: ConversationRow, resource: Conversation, version: number): typeof d1.conversations.$inferInsert {
  const listing = listingProjection(conv, resource);
  return {
    id: conv.id,
    accountId: conv.account_id,
    status: listing.status,
    channel: listing.channel,
    tags: JSON.stringify(listing.tags),
    lastActivityAt: listing.last_activity_at,
    createdAt: listing.created_at,
    messageCount: listing.message_count,
    retentionMessagesMs: listing.retention_messages_ms ?? null,
    retentionConversationMs: listing.retention_conversation_ms ?? null,
    legalHold: listing.legal_hold ?? false,
    version,
    resource: JSON.stringify(resource),
  };
}
