/**
 * One queue message on DELIVERY: send message `index` of a conversation to one recipient on one
 * step of its fallback order (or check that step's receipt came in time). It names
 * the recipient and the attempt and carries nothing else: the consumer asks the conversation for
 * the current content (so an edit or a deletion before the send is honoured) and the account's
 * channel for credentials (so a rotation is too).
 */
export interface DeliveryJob {
  v: 1;
  account_id: string;
  conversation_id: string;
  message_id: string;
  index: number;
  participant_id: string;
  /** Which channel of the recipient's fallback order (absent in jobs queued before fallback: 0). */
  step?: number;
  /** `timeout`: not a send but the check, delayed by the channel's timeout, that a delivered receipt came. */
  kind?: "send" | "timeout";
}
