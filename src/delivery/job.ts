/**
 * One queue message on DELIVERY: send message `index` of a conversation to one recipient. It names
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
}
