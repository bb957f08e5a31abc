import type { PassBatch, Sink } from "../conversation/outbox/sink";
import type { Env } from "../env";
import { routingRpc } from "./stubs";

/**
 * The conversation outbox's `routing` sink: tells the account's RoutingDO when a seat may have
 * freed, so the queue is served then. That is when the conversation is resolved, closed or deleted,
 * or a participant leaves it (the RoutingDO knows whether that was its agent). Any other batch costs
 * nothing: no call is made. Carried through the outbox, so it is retried until the RoutingDO has
 * it, and a repeat is harmless (releasing a seat already free does nothing).
 */
export class RoutingSink implements Sink {
  readonly name = "routing";

  constructor(private readonly env: Pick<Env, "ROUTING">) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv) return;
    const events = batch.events();
    const removedParticipants = events.filter((e) => e.event.type === "participant.removed").map((e) => e.event.subject);
    const statusChanged = events.some((e) => e.event.type === "conversation.updated" || e.event.type === "conversation.closed");
    const finished = batch.deleted || (statusChanged && (conv.status === "resolved" || conv.status === "closed"));
    if (!finished && removedParticipants.length === 0) return;
    await routingRpc(this.env, conv.account_id).release(conv.account_id, conv.id, { finished, removedParticipants });
  }
}
