import type { InboundMessage } from "../../channels/inbound";
import type { Message } from "../../contract/message";
import { ok, type Outcome } from "../../lib/problem";
import { reject, type ConversationCore } from "../core";
import { renderMessage } from "../rows";
import { planDelivery } from "./delivery";
import { appendMessage } from "./messages";
import { insertParticipant } from "./participants";

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
 * conversation joins it as a customer on the message's channel, under the same rules and limits
 * as one added over the API.
 */
export function ingest(core: ConversationCore, accountId: string, inbound: InboundMessage): Outcome<Ingested> {
  return core.mutate(accountId, undefined, (conv, tx): Outcome<Ingested> => {
    const seen = core.store.providerMessage(inbound.provider, inbound.provider_message_id);
    if (seen !== undefined) return ok({ message: renderMessage(conv.id, core.store.messageByIndex(seen)!), duplicate: true });
    if (conv.status === "closed") reject(409, "the conversation is closed", "conversation_id");
    const attributes = inbound.profile_name ? { profile_name: inbound.profile_name } : undefined;
    const author =
      core.store.participantByAddress(inbound.from) ??
      insertParticipant(core, tx, { kind: "customer", channel: inbound.channel, address: inbound.from, attributes }, "from");
    // The other channel-bound participants get it too (another customer on a group thread); never its author.
    const message = appendMessage(core, tx, core.requireConversation(), author, "from", {
      body: inbound.body,
      media: inbound.media,
      channel: inbound.channel,
      attributes: extras(inbound),
      delivery: planDelivery(core, author.id, undefined, tx.now),
    }, "inbound");
    core.store.recordProviderMessage(inbound.provider, inbound.provider_message_id, message.index);
    return ok({ message, duplicate: false }, 201);
  });
}

/** What the provider said beyond text and media, kept on the message's attributes under `inbound`. */
function extras(m: InboundMessage): Record<string, unknown> {
  const inbound: Record<string, unknown> = { provider: m.provider, provider_message_id: m.provider_message_id };
  for (const key of ["location", "reply", "reaction", "unsupported", "in_reply_to", "subject", "profile_name"] as const) {
    if (m[key] !== undefined) inbound[key] = m[key];
  }
  return { inbound };
}
