import type { SetConversationRetention } from "../contract/retention";
import type { ConversationRow } from "../conversation/rows";
import { parseDuration } from "../lib/duration";

/**
 * A create's or a PATCH's retention fields as the conversation's columns: a period sets its own,
 * null goes back to the account's, absent leaves it; `legal_hold` places or lifts the hold.
 */
export function retentionColumns(input: { retention?: SetConversationRetention; legal_hold?: boolean }): Partial<Pick<ConversationRow, "retention_messages_ms" | "retention_conversation_ms" | "legal_hold">> {
  const ms = (d: string | null) => (d === null ? null : parseDuration(d));
  const r = input.retention;
  return {
    ...(r?.messages !== undefined && { retention_messages_ms: ms(r.messages) }),
    ...(r?.conversations !== undefined && { retention_conversation_ms: ms(r.conversations) }),
    ...(input.legal_hold !== undefined && { legal_hold: input.legal_hold ? 1 : 0 }),
  };
}
