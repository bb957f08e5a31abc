// The open conversation's participants as the thread knows them: from the participant list (with a
// key), or, with a token, from the stream (its own participant, the authors of messages, and the
// ids that presence and read frames name). Rendered as a row of names with an online dot.
import type { Channel, Message, Participant } from "./client";
import { byId, clear, h } from "./dom";
import { channelName, who } from "./format";

export type Member = { id: string; name: string; kind: string; channel: Channel | null; online: boolean; lastRead: number | null };

export const memberOf = (p: Participant, online = p.online): Member => ({ id: p.id, name: who(p), kind: p.kind, channel: p.channel, online, lastRead: p.last_read_index });

/** A participant known only from what it wrote (a token sees no participant list). */
export const memberFromMessage = (m: Message): Member => ({ id: m.participant_id ?? m.author, name: m.author, kind: m.author_kind, channel: m.channel, online: false, lastRead: null });

export function renderMembers(members: Map<string, Member>, meId: string | null): void {
  const list = byId<HTMLUListElement>("participants");
  clear(list);
  for (const m of members.values()) {
    const label = `${m.name}${m.id === meId ? " (you)" : ""}`;
    list.append(
      h(
        "li",
        { class: m.online ? "online" : "offline", "data-id": m.id },
        h("span", { class: "dot", "aria-hidden": "true" }),
        label,
        h("span", { class: "visually-hidden" }, `, ${m.kind} on ${channelName(m.channel)}, ${m.online ? "online" : "offline"}`),
      ),
    );
  }
}
