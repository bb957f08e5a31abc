import type { InboundMessage } from "../../channels/inbound";
import type { Ingested } from "../../conversation/commands/inbound";
import { claimThread, moveThread } from "../../db/queries/contact-threads";
import { claimInbound, markInboundStored, moveInbound } from "../../db/queries/inbound";
import { resolveContact } from "../../db/queries/contact-addresses";
import { repliedConversation } from "../../db/queries/outbound";
import { timersForNew } from "../../db/queries/settings";
import type { Env } from "../../env";
import { newId } from "../../lib/ids";
import { copyInboundMedia, type MediaLoader } from "../../media/inbound";
import { ok, type Outcome } from "../../lib/problem";
import { conversation } from "../http";

/** A thread's conversation can close or be deleted under us more than once; after this, give up (a 5xx, retried by the provider). */
const MAX_MOVES = 3;

/**
 * Puts a customer's inbound message in their thread: the contact for (channel, address), found or
 * created, and the contact's open conversation, whatever channel it was on. With none, a new one
 * is created with the contact as its customer. Safe to repeat: each provider message id is claimed
 * in D1 (a retry goes where the first attempt went) and stored once by its conversation, and
 * concurrent first messages from a new person share one conversation (the thread is claimed in D1
 * before the conversation is created, and `create` under an existing id returns that conversation).
 *
 * The message's files are copied into R2 with `media` (the webhook's or the mail's loader) once
 * the claim shows it is not stored yet, so a retry of a stored message fetches nothing; each file's
 * id is derived from the provider message id, so a retry of one that failed half-way stores none
 * twice. A file the provider cannot give is stored as `unavailable`; a transient failure throws.
 * `requestUrl` is the origin for the files' signed URLs when PUBLIC_BASE_URL is unset.
 */
export async function intoThread(env: Env, accountId: string, received: InboundMessage, media?: MediaLoader, requestUrl?: string): Promise<Outcome<Ingested | null>> {
  let message = received;
  // A Message-ID is the sender's to choose: keyed with the sender, so another's mail reusing it is not taken for a retry.
  const providerMessageId = message.channel === "email" ? `${message.from} ${message.provider_message_id}` : message.provider_message_id;
  const key = { accountId, provider: message.provider, providerMessageId };
  const { contactId } = await resolveContact(env.DB, accountId, message.channel, message.from, message.profile_name);
  // A reply to mail Parley sent this person goes to the conversation that sent it (In-Reply-To,
  // else the latest of References), even if the person's thread has moved on since.
  const replied = message.channel === "email" ? await repliedConversation(env.DB, accountId, message.from, [message.in_reply_to, ...[...(message.references ?? [])].reverse()]) : undefined;
  const thread = replied ?? (await claimThread(env.DB, accountId, contactId, newId("conversation")));
  // A retry goes where its first attempt went, and once stored there is only acknowledged (null),
  // even if that conversation has since been closed or deleted.
  const claim = await claimInbound(env.DB, key, thread);
  if (claim.stored) return ok(null);
  if (media && message.media.length > 0) {
    message = { ...message, media: await copyInboundMedia(env, accountId, `${message.provider}\n${providerMessageId}`, message.media, media, requestUrl) };
  }
  let id = claim.conversationId;
  /** The closed conversation this person's message moved on from: the new one links back to it. */
  let previous: string | undefined;
  for (let moves = 0; ; moves++) {
    const stub = conversation(env, id);
    let outcome = await stub.ingest(accountId, message);
    if (!outcome.ok && outcome.problem.status === 404) {
      // Claimed but not created yet (by us, or by a request still in flight): create it. Under an
      // existing id this returns the existing conversation; a deleted one stays a 404.
      const created = await stub.create(accountId, id, {
        timers: await timersForNew(env.DB, accountId, undefined),
        friendly_name: message.profile_name ?? message.from,
        channel: message.channel,
        participants: [{ kind: "customer", channel: message.channel, address: message.from, attributes: message.profile_name ? { profile_name: message.profile_name } : {} }],
        ...(previous ? { attributes: { previous_conversation_id: previous } } : {}),
      });
      outcome = created.ok ? await stub.ingest(accountId, message) : created;
    }
    if (outcome.ok) {
      await markInboundStored(env.DB, key);
      return outcome;
    }
    // Closed (409) or deleted (404): the person's message starts a new conversation. Anything else is the answer.
    const gone = outcome.problem.status === 404 || outcome.problem.status === 409;
    if (!gone || moves === MAX_MOVES) return outcome;
    if (outcome.problem.status === 409) previous = id;
    const next = newId("conversation");
    id = (await moveThread(env.DB, accountId, contactId, id, next)) ? next : await claimThread(env.DB, accountId, contactId, next);
    await moveInbound(env.DB, key, id);
  }
}
