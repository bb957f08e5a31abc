import type { Env } from "../../../env";
import { utf8Length } from "../../../lib/crypto";
import { project } from "../../../projection/consumer";
import type { MessageProjection, ProjectionPayload } from "../../../projection/payload";
import { listingProjection } from "../../../projection/listing";
import type { PassBatch, Sink } from "../sink";

/**
 * Queue messages are limited to 128 KB and a sendBatch to 256 KB; payloads are kept under these
 * with room for the envelope. A single message whose resource alone is larger (a 32 KB body of
 * characters JSON escapes six-fold) cannot travel by queue and is written to D1 directly.
 */
const PAYLOAD_BYTES = 100 * 1024;
const SEND_BATCH_BYTES = 240 * 1024;
const SEND_BATCH_MESSAGES = 100;

/**
 * D1's read models of the conversation (listing row, tag index, participants, history) and, once
 * D1 has them, the account stream, carried by the PROJECTION queue so that many conversations share
 * one D1 batch and one publish per account (src/projection/consumer.ts):
 * D1 is one shared primary, and round trips per message are what would cap the whole system.
 * Each pass becomes one payload (more when its messages are large), a snapshot versioned by the
 * pass's last outbox row, so redelivered or reordered payloads change nothing (see payload.ts).
 */
export class D1Sink implements Sink {
  readonly name = "d1";

  constructor(private readonly env: Pick<Env, "DB" | "ACCOUNT_HUB" | "PROJECTION">) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv) return;
    const base = { v: 1 as const, account_id: conv.account_id, conversation_id: conv.id, version: batch.through };
    if (batch.deleted) {
      return this.send([{ ...base, deleted: true, announce: null, conversation: null, participants: [], removed_participants: [], messages: [] }], [512]);
    }
    const { current, removed } = batch.participants();
    const first: ProjectionPayload = {
      ...base,
      deleted: false,
      announce: batch.kinds.has("created") ? "created" : batch.kinds.has("conversation") ? "updated" : null,
      conversation: listingProjection(conv, batch.conversation()),
      participants: current.map((p) => ({ id: p.id, kind: p.kind, channel: p.channel, address: p.address, identity: p.identity, last_read_index: p.last_read_index })),
      removed_participants: removed,
      messages: [],
    };
    const payloads = [first];
    const sizes = [utf8Length(JSON.stringify(first))];
    const direct: ProjectionPayload[] = [];
    for (const message of batch.messages()) {
      const projected: MessageProjection = { id: message.id, index: message.index, created_at: Date.parse(message.created_at), resource: message };
      const bytes = utf8Length(JSON.stringify(projected));
      if (bytes > PAYLOAD_BYTES) {
        direct.push({ ...base, deleted: false, announce: null, conversation: null, participants: [], removed_participants: [], messages: [projected] });
        continue;
      }
      if (sizes.at(-1)! + bytes > PAYLOAD_BYTES) {
        payloads.push({ ...base, deleted: false, announce: null, conversation: null, participants: [], removed_participants: [], messages: [] });
        sizes.push(0);
      }
      payloads.at(-1)!.messages.push(projected);
      sizes[sizes.length - 1]! += bytes;
    }
    await Promise.all([this.send(payloads, sizes), direct.length > 0 ? project(this.env, direct) : undefined]);
  }

  /** sendBatch in as few calls as its limits allow; `sizes` are the payloads' JSON bytes. */
  private async send(payloads: ProjectionPayload[], sizes: number[]): Promise<void> {
    let group: MessageSendRequest<ProjectionPayload>[] = [];
    let bytes = 0;
    const sends: Promise<unknown>[] = [];
    for (const [i, body] of payloads.entries()) {
      const size = sizes[i]!;
      if (group.length > 0 && (bytes + size > SEND_BATCH_BYTES || group.length === SEND_BATCH_MESSAGES)) {
        sends.push(this.env.PROJECTION.sendBatch(group));
        group = [];
        bytes = 0;
      }
      group.push({ body });
      bytes += size;
    }
    if (group.length > 0) sends.push(this.env.PROJECTION.sendBatch(group));
    await Promise.all(sends);
  }
}
