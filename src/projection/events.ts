import type { EventEnvelope } from "../contract/events";
import type { ProjectionPayload } from "./payload";

/**
 * The events of projection payloads as the catalog's envelopes (src/contract/events.ts): message
 * and delivery events get their message from the payload that carried them.
 */
export function envelopesOf(payloads: readonly ProjectionPayload[]): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  for (const p of payloads) {
    if (!p.events?.length) continue;
    const messages = new Map(p.messages.map((m) => [m.index, m.resource]));
    for (const e of p.events) {
      let data = e.data;
      if (e.message_index !== undefined) {
        const message = messages.get(e.message_index);
        if (!message) {
          console.warn(`event ${e.id} (${e.type}) of ${p.conversation_id}: message ${e.message_index} is not in its payload; dropped`);
          continue;
        }
        const recipient = message.delivery?.recipients.find((r) => r.participant_id === e.participant_id) ?? null;
        if (e.type === "delivery.updated") data = { message_id: message.id, message_index: message.index, recipient };
        else if (e.type === "delivery.fallback") {
          // The attempt that moved the recipient on says why (its outcome, code and reason).
          const attempt = [...(message.delivery?.attempts ?? [])].reverse().find((a) => a.participant_id === e.participant_id && a.moved_on) ?? null;
          data = { message_id: message.id, message_index: message.index, recipient, attempt };
        } else data = { message };
      }
      out.push({
        id: e.id,
        type: e.type,
        account_id: p.account_id,
        conversation_id: p.conversation_id,
        sequence: e.sequence,
        occurred_at: new Date(e.occurred_at).toISOString(),
        ...(e.reason ? { reason: e.reason } : {}),
        data: data ?? {},
      });
    }
  }
  return out;
}
