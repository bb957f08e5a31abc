import type { AccountFrame } from "../../../contract/frames";
import type { Env } from "../../../env";
import type { PassBatch, Sink } from "../sink";

const PREVIEW_CHARS = 160;

/**
 * The account stream (`GET /v1/stream`): what agent consoles hear about this conversation, one RPC
 * to the account's hub per pass, not per message. It is a live feed: consoles that were away catch
 * up by listing, so a redelivered batch (after an eviction) may repeat an event, and a hub that
 * fails leaves this sink alone behind while D1 moves on.
 */
export class AccountStreamSink implements Sink {
  readonly name = "account-stream";

  constructor(private readonly env: Pick<Env, "ACCOUNT_HUB">) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv) return;
    const events: AccountFrame[] = [];
    if (batch.deleted) {
      events.push({ type: "conversation.deleted", conversation_id: conv.id });
    } else {
      if (batch.kinds.has("created") || batch.kinds.has("conversation")) {
        events.push({ type: batch.kinds.has("created") ? "conversation.created" : "conversation.updated", conversation: batch.conversation() });
      }
      for (const { id, index, author, author_kind, body, created_at } of batch.messages()) {
        events.push({ type: "message.added", conversation_id: conv.id, message: { id, index, author, author_kind, body: body.slice(0, PREVIEW_CHARS), created_at } });
      }
    }
    if (events.length === 0) return;
    await this.env.ACCOUNT_HUB.get(this.env.ACCOUNT_HUB.idFromName(conv.account_id)).publish(events);
  }
}
