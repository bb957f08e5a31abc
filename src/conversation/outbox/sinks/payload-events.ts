import type { PayloadEvent } from "../../../projection/payload";
import { renderDraft, renderHandoff } from "../../assist-store";
import { renderParticipant } from "../../rows";
import { eventMessageIndex } from "../event-ref";
import type { PassBatch } from "../sink";

/**
 * A pass's events as the projection payload carries them (see PayloadEvent): conversation and
 * participant events with their data rendered now, message and delivery events by message index,
 * to travel in the payload that holds that message. Ids are stable (the conversation's and the
 * outbox sequence), so an event carried twice is one event to D1 and to webhook receivers.
 */
export function payloadEvents(batch: PassBatch): { conversation: PayloadEvent[]; byMessage: Map<number, PayloadEvent[]> } {
  const conv = batch.conv!;
  const conversation: PayloadEvent[] = [];
  const byMessage = new Map<number, PayloadEvent[]>();
  for (const { sequence, event } of batch.events()) {
    const base: PayloadEvent = { id: eventId(conv.id, sequence), type: event.type, sequence, occurred_at: event.at, ...(event.reason ? { reason: event.reason } : {}) };
    const index = eventMessageIndex(event);
    if (index !== undefined) {
      // A message erased since (its conversation deleted) has nothing left to say.
      if (batch.deleted) continue;
      const participant = event.type.startsWith("delivery.") ? { participant_id: event.subject.slice(event.subject.indexOf(":") + 1) } : {};
      byMessage.set(index, [...(byMessage.get(index) ?? []), { ...base, message_index: index, ...participant }]);
      continue;
    }
    conversation.push({ ...base, data: dataOf(batch, event.type, event.subject) });
  }
  return { conversation, byMessage };
}

function dataOf(batch: PassBatch, type: PayloadEvent["type"], subject: string): Record<string, unknown> {
  const conv = batch.conv!;
  switch (type) {
    case "conversation.deleted":
      return { conversation_id: conv.id };
    case "participant.removed":
      return { participant_id: subject };
    case "draft.created":
    case "draft.updated": {
      const d = batch.draftRow(subject);
      return d && !batch.deleted ? { draft: renderDraft(conv.id, d) } : { draft_id: subject };
    }
    case "handoff.requested":
    case "handoff.accepted":
      return { handoff: renderHandoff(conv.id, batch.assistant()) };
    case "participant.added": {
      const p = batch.participantRow(subject);
      // Removed again before this pass: what is left to say is its id.
      return p ? { participant: renderParticipant(conv.id, conv.next_index, p, false) } : { participant_id: subject };
    }
    default:
      return batch.deleted ? { conversation_id: conv.id } : { conversation: batch.conversation() };
  }
}

/** `evt_` with the conversation's ULID and the outbox sequence: unique, stable, and in order within a conversation. */
const eventId = (conversationId: string, sequence: number) => `evt_${conversationId.slice(conversationId.indexOf("_") + 1)}${sequence.toString(36).padStart(8, "0")}`;
