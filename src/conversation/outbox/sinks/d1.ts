import type { Env } from "../../../env";
import { utf8Length } from "../../../lib/crypto";
import { project } from "../../../projection/consumer";
import type { MessageProjection, ProjectionPayload } from "../../../projection/payload";
import { listingProjection } from "../../../projection/listing";
import type { PassBatch, Sink } from "../sink";
import { payloadEvents } from "./payload-events";

/**
 * Queue messages are limited to 128 KB and a sendBatch to 256 KB; payloads are kept under these
 * with room for the envelope, measured as the JSON they are sent as (`contentType: "json"`: the
 * default v8 serialisation stores any string beyond Latin-1 at two bytes a character, so a JSON
 * size would undercount it). A payload that cannot be made small enough (one message whose
 * resource alone is larger, or a conversation with hundreds of participants changed at once) is
 * written to D1 directly rather than retried against a limit it can never meet.
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

  constructor(private readonly env: Pick<Env, "DB" | "ACCOUNT_HUB" | "PROJECTION" | "WEBHOOKS" | "WEBHOOKS_SLOW">) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv) return;
    const base = { v: 1 as const, account_id: conv.account_id, conversation_id: conv.id, version: batch.through };
    const events = payloadEvents(batch);
    if (batch.deleted) {
      const deletion: ProjectionPayload = { ...base, deleted: true, announce: null, conversation: null, participants: [], removed_participants: [], messages: [], events: events.conversation };
      return this.send([{ body: deletion, bytes: jsonBytes(deletion) }]);
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
      events: events.conversation,
    };
    // Messages fill payloads in order; one that would overflow starts the next.
    const payloads: Sized[] = [{ body: first, bytes: jsonBytes(first) }];
    for (const message of batch.messages()) {
      const projected: MessageProjection = { id: message.id, index: message.index, created_at: Date.parse(message.created_at), resource: message };
      // Its events travel with it: the consumer takes the message for them from the same payload.
      const its = events.byMessage.get(message.index) ?? [];
      const bytes = jsonBytes(projected) + (its.length > 0 ? jsonBytes(its) : 0);
      let last = payloads.at(-1)!;
      if (last.bytes > 0 && last.bytes + bytes > PAYLOAD_BYTES) {
        last = { body: { ...base, deleted: false, announce: null, conversation: null, participants: [], removed_participants: [], messages: [], events: [] }, bytes: 0 };
        payloads.push(last);
      }
      last.body.messages.push(projected);
      (last.body.events ??= []).push(...its);
      last.bytes += bytes;
    }
    const direct = payloads.filter((p) => p.bytes > PAYLOAD_BYTES).map((p) => p.body);
    await Promise.all([this.send(payloads.filter((p) => p.bytes <= PAYLOAD_BYTES)), direct.length > 0 ? project(this.env, direct) : undefined]);
  }

  /** sendBatch in as few calls as its limits allow. */
  private async send(payloads: Sized[]): Promise<void> {
    let group: MessageSendRequest<ProjectionPayload>[] = [];
    let bytes = 0;
    const sends: Promise<unknown>[] = [];
    for (const { body, bytes: size } of payloads) {
      if (group.length > 0 && (bytes + size > SEND_BATCH_BYTES || group.length === SEND_BATCH_MESSAGES)) {
        sends.push(this.env.PROJECTION.sendBatch(group));
        group = [];
        bytes = 0;
      }
      group.push({ body, contentType: "json" });
      bytes += size;
    }
    if (group.length > 0) sends.push(this.env.PROJECTION.sendBatch(group));
    await Promise.all(sends);
  }
}

type Sized = { body: ProjectionPayload; bytes: number };
const jsonBytes = (value: unknown) => utf8Length(JSON.stringify(value));
