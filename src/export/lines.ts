import type { Conversation } from "../contract/conversation";
import type { ConversationLine, MessageLine } from "../contract/export";
import type { Message } from "../contract/message";

/**
 * The NDJSON lines of an export (src/contract/export.ts): a conversation's line, then its messages'.
 * JSON.stringify escapes every newline inside a string, so each line is one line.
 */

export const NDJSON = "application/x-ndjson";

export const conversationLine = (conversation: Conversation) => `${JSON.stringify({ type: "conversation", conversation } satisfies ConversationLine)}\n`;

export const messageLine = (message: Message) => `${JSON.stringify({ type: "message", message } satisfies MessageLine)}\n`;

/**
 * The same lines around a resource D1 already holds as JSON text (the projection's `resource`,
 * minified by SQLite's `->`): spliced in as it is, not parsed and written again.
 */
export const storedConversationLine = (resource: string) => `{"type":"conversation","conversation":${resource}}\n`;
export const storedMessageLine = (resource: string) => `{"type":"message","message":${resource}}\n`;

/** `attachment; filename="…"` for an export's file name (ids and dots only, so no escaping). */
export const attachment = (filename: string) => `attachment; filename="${filename}"`;
