import type { DeliveryJob } from "../../../delivery/job";
import type { Env } from "../../../env";
import type { PassBatch, Sink } from "../sink";

/** sendBatch takes at most 100 messages; jobs are a few hundred bytes, far under its 256 KB. */
const SEND_BATCH_MESSAGES = 100;

/**
 * Outbound delivery: each `delivery` row (a message owed to one channel-bound recipient) becomes
 * one job on the DELIVERY queue, whose consumer calls the provider (src/delivery/consumer.ts). A
 * row carried twice (after an eviction lost this sink's progress) is a second job for the same
 * recipient; the conversation's claim makes it a no-op once the first has sent.
 */
export class DeliverySink implements Sink {
  readonly name = "delivery";

  constructor(private readonly env: Pick<Env, "DELIVERY">) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv || batch.deleted) return;
    // `<index>:<participant id>:<step>` (participant ids hold no colon).
    const owed = batch.rows.filter((r) => r.kind === "delivery").map((r) => {
      const [index, participant_id, step] = r.ref.split(":");
      return { index: Number(index), participant_id: participant_id!, step: Number(step ?? 0) };
    });
    if (owed.length === 0) return;
    const ids = batch.messageIds(owed.map((o) => o.index));
    const jobs: MessageSendRequest<DeliveryJob>[] = owed.flatMap(({ index, participant_id, step }) => {
      const message_id = ids.get(index);
      // A message gone since (its conversation's content erased) is owed to nobody.
      if (message_id === undefined) return [];
      return [{ body: { v: 1, account_id: conv.account_id, conversation_id: conv.id, message_id, index, participant_id, step, kind: "send" }, contentType: "json" }];
    });
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < jobs.length; i += SEND_BATCH_MESSAGES) sends.push(this.env.DELIVERY.sendBatch(jobs.slice(i, i + SEND_BATCH_MESSAGES)));
    await Promise.all(sends);
  }
}
