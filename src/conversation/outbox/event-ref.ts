import type { EventReason, EventType } from "../../contract/events";

/**
 * What an `event` outbox row holds: the event's type, its subject, why and when. Small and
 * fixed-size, like every outbox ref: the resource itself is rendered when a pass carries it.
 */
export type EventRef = { type: EventType; subject: string; reason?: EventReason; at: number };

export const encodeEventRef = (e: EventRef): string => JSON.stringify([e.type, e.subject, e.at, e.reason ?? null]);

export function decodeEventRef(ref: string): EventRef {
  const [type, subject, at, reason] = JSON.parse(ref) as [EventType, string, number, EventReason | null];
  return reason === null ? { type, subject, at } : { type, subject, at, reason };
}

/** The message index a message or delivery event is about; undefined for other events. */
export function eventMessageIndex(e: EventRef): number | undefined {
  if (!e.type.startsWith("message.") && !e.type.startsWith("delivery.")) return undefined;
  return Number(e.subject.split(":")[0]);
}
