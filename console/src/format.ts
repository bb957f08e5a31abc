// How the console says things: channels (an icon and a name), times, delivery states and who a
// participant is, in one place so the inbox, the thread and the screen-reader labels agree.
import type { Channel, Message, Participant } from "./client";

type Delivery = NonNullable<Message["delivery"]>;
type DeliveryStatus = Delivery["status"];
type DeliveryRecipient = Delivery["recipients"][number];

/** Each channel's badge (short text, so it needs no emoji font) and name. */
const CHANNELS: Record<Channel, { icon: string; name: string }> = {
  chat: { icon: "Chat", name: "Chat" },
  sms: { icon: "SMS", name: "SMS" },
  mms: { icon: "MMS", name: "MMS" },
  whatsapp: { icon: "WA", name: "WhatsApp" },
  messenger: { icon: "FB", name: "Messenger" },
  email: { icon: "@", name: "Email" },
};

/** A conversation or participant with no channel of its own is in the app's chat. */
export const channelName = (c: Channel | null | undefined): string => CHANNELS[c ?? "chat"]?.name ?? String(c);
export const channelIcon = (c: Channel | null | undefined): string => CHANNELS[c ?? "chat"]?.icon ?? "•";
export const EXTERNAL: Channel[] = ["sms", "whatsapp", "messenger", "email", "mms"];

/** The tick of a delivery state, and its words for screen readers and the tooltip. */
const TICKS: Record<DeliveryStatus, { mark: string; words: string }> = {
  queued: { mark: "○", words: "Queued" },
  sent: { mark: "✓", words: "Sent" },
  delivered: { mark: "✓✓", words: "Delivered" },
  read: { mark: "✓✓", words: "Read" },
  failed: { mark: "⚠", words: "Failed" },
  undelivered: { mark: "⚠", words: "Undelivered" },
};
export const tick = (s: DeliveryStatus) => TICKS[s];

/** Why a recipient's delivery failed, as the provider or Parley put it (the recipient's, else its last attempt's). */
export function failure(r: DeliveryRecipient, attempts: Delivery["attempts"]): string {
  const last = attempts.filter((a) => a.participant_id === r.participant_id && (a.reason || a.error_code)).at(-1);
  const code = r.error_code ?? last?.error_code;
  const reason = r.reason ?? last?.reason;
  return [code, reason].filter(Boolean).join(": ") || "no reason given";
}

export function time(iso: string): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { month: "short", day: "numeric" });
}

/** A participant as people read it: their identity, or their address on their channel. */
export function who(p: Pick<Participant, "identity" | "address" | "channel">): string {
  return p.identity ?? p.address ?? channelName(p.channel);
}

/** Messages by agents and bots sit on the right (ours), customers' and the system's on the left. */
export const isOurs = (m: Pick<Message, "author_kind">): boolean => m.author_kind === "agent" || m.author_kind === "bot";
