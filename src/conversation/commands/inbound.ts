import type { InboundMessage } from "../../channels/inbound";
import type { Message } from "../../contract/message";
import { newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { ok, type Outcome } from "../../lib/problem";
import { reject, type ConversationCore, type Tx } from "../core";
import { renderMessage, renderParticipant, type ConversationRow, type MessageRow, type ParticipantRow } from "../rows";
import { moveReadHorizon } from "./participants";

/** What a conversation answers for an inbound message: the stored message, and whether it was new. */
export type Ingested = { message: Message; duplicate: boolean };

/**
 * Stores a customer's message that arrived from a provider. Providers retry webhooks, sometimes
 * while the first attempt is still running: the provider's message id is recorded in the same
 * transaction as the message, and this object runs one call at a time, so a retry finds it and
 * answers the stored message without storing anything.
 *
 * The author is the participant at that address, whatever channel they were added on (a person on
 * WhatsApp texting by SMS from the same number is one participant); one not yet in the
 * conversation joins it as a customer on the message's channel.
 */
export function ingest(core: ConversationCore, accountId: string, inbound: InboundMessage): Outcome<Ingested> {
  return core.mutate(accountId, undefined, (conv, tx): Outcome<Ingested> => {
    const seen = core.store.providerMessage(inbound.provider, inbound.provider_message_id);
    if (seen !== undefined) return ok({ message: renderMessage(conv.id, core.store.messageByIndex(seen)!), duplicate: true });
    if (conv.status === "closed") reject(409, "the conversation is closed", "conversation_id");
    const author = core.store.participantByAddress(inbound.from) ?? joinAsCustomer(core, tx, conv, inbound);
    const row: MessageRow = {
      idx: conv.next_index,
      id: newId("message"),
      author: author.identity ?? author.address ?? author.id,
      author_kind: author.kind,
      participant_id: author.id,
      body: inbound.body,
      media: JSON.stringify(inbound.media),
      channel: inbound.channel,
      attributes: JSON.stringify(extras(inbound)),
      // Delivery to the other channel-bound participants begins with the delivery issue.
      delivery: null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    core.store.insertMessage(row);
    core.store.recordProviderMessage(inbound.provider, inbound.provider_message_id, row.idx);
    core.store.updateConversation({ next_index: row.idx + 1, last_activity_at: tx.now }, tx.now);
    tx.record("message", String(row.idx));
    tx.record("conversation", conv.id);
    const message = renderMessage(conv.id, row);
    tx.emit({ type: "message.added", message });
    moveReadHorizon(core, tx, { ...conv, next_index: row.idx + 1 }, author.id, row.idx, "from", false);
    return ok({ message, duplicate: false }, 201);
  });
}

function joinAsCustomer(core: ConversationCore, tx: Tx, conv: ConversationRow, inbound: InboundMessage): ParticipantRow {
  const counts = core.store.participantCounts();
  if (counts.external >= LIMITS.channelParticipantsPerConversation) {
    reject(422, `a conversation has at most ${LIMITS.channelParticipantsPerConversation} participants on external channels`, "from");
  }
  const attributes = inbound.profile_name ? { profile_name: inbound.profile_name } : {};
  const row: ParticipantRow = {
    id: newId("participant"),
    kind: "customer",
    channel: inbound.channel,
    address: inbound.from,
    identity: null,
    attributes: JSON.stringify(attributes),
    last_read_index: null,
    last_seen_at: null,
    created_at: tx.now,
    updated_at: tx.now,
  };
  core.store.insertParticipant(row);
  if (conv.channel === null) core.store.updateConversation({ channel: inbound.channel }, tx.now);
  tx.record("participant", row.id);
  tx.emit({ type: "participant.added", participant: renderParticipant(conv.id, conv.next_index, row, false) });
  return row;
}

/** What the provider said beyond text and media, kept on the message's attributes under `inbound`. */
function extras(m: InboundMessage): Record<string, unknown> {
  const inbound: Record<string, unknown> = { provider: m.provider, provider_message_id: m.provider_message_id };
  for (const key of ["location", "reply", "reaction", "unsupported", "in_reply_to", "subject", "profile_name"] as const) {
    if (m[key] !== undefined) inbound[key] = m[key];
  }
  return { inbound };
}
