// The inbox: the conversations latest activity first, each with its channel, status, unread count
// and last message; filters by status, channel and unread; kept live by the account stream (with a
// key) or refreshed (with a token). Arrow keys move between conversations, Enter opens one.
import type { AccountFrame } from "../../sdk/src/index";
import type { Channel, Client, Conversation, ConversationStatus, InboxRow } from "./client";
import { byId, clear, h } from "./dom";
import { channelIcon, channelName, time } from "./format";

type MessageSummary = Extract<AccountFrame, { type: "message.added" }>;

export const conversationName = (c: Pick<Conversation, "friendly_name" | "subject" | "id" | "last_message">): string =>
  c.friendly_name ?? c.subject ?? (c.last_message ? c.last_message.author : c.id);

export class InboxView {
  private readonly rows = new Map<string, InboxRow>();
  /** Per conversation, the last message index already in its unread count (frames may come in any order). */
  private readonly counted = new Map<string, number>();
  private selected: string | null = null;
  private readonly list = byId<HTMLUListElement>("conversation-list");
  private readonly empty = byId("inbox-empty");
  private readonly status = byId<HTMLSelectElement>("filter-status");
  private readonly channel = byId<HTMLSelectElement>("filter-channel");
  private readonly unreadOnly = byId<HTMLInputElement>("filter-unread");

  constructor(
    private readonly client: Client,
    private readonly open: (id: string) => void,
  ) {
    this.status.addEventListener("change", () => void this.load());
    this.channel.addEventListener("change", () => void this.load());
    this.unreadOnly.addEventListener("change", () => this.render());
    this.list.addEventListener("keydown", (e) => this.arrows(e));
  }

  /** Lists the inbox again, under the current filters (after a reconnect, anything may have changed). */
  async load(): Promise<void> {
    const rows = await this.client.inbox({ status: (this.status.value || undefined) as ConversationStatus | undefined, channel: (this.channel.value || undefined) as Channel | undefined });
    this.rows.clear();
    for (const row of rows) {
      this.rows.set(row.id, row);
      this.counted.set(row.id, row.message_count - 1);
    }
    this.render();
  }

  get(id: string): InboxRow | undefined {
    return this.rows.get(id);
  }

  /** A conversation created or changed (account stream, or the open thread's socket). */
  upsert(c: Conversation): void {
    const known = this.rows.get(c.id);
    if (!known && !this.passes(c)) return;
    // Where the agent is not a participant it has read none of it; else its count moves with message.added and its receipts.
    const participant = known?.participant_id ?? null;
    this.rows.set(c.id, { ...c, participant_id: participant, unread_count: participant ? (known?.unread_count ?? 0) : c.message_count });
    if (!participant) this.counted.set(c.id, Math.max(this.counted.get(c.id) ?? -1, c.message_count - 1));
    this.render();
  }

  /** A message added anywhere in the account: it moves its conversation up, and counts as unread unless `seen`. */
  messageAdded(frame: MessageSummary, seen: boolean): void {
    const row = this.rows.get(frame.conversation_id);
    if (!row) return void this.load();
    const m = frame.message;
    if (m.index <= (this.counted.get(row.id) ?? -1)) return; // already counted (a listing, or the thread's socket, had it first)
    this.counted.set(row.id, m.index);
    if (m.index >= row.message_count) {
      row.last_message = { id: m.id, index: m.index, author: m.author, body: m.body, created_at: m.created_at };
      row.last_activity_at = m.created_at;
      row.message_count = m.index + 1;
    }
    if (!seen && m.author !== this.client.identity) row.unread_count += 1;
    this.render();
  }

  remove(id: string): void {
    if (this.rows.delete(id)) this.render();
  }

  /** Where the signed-in agent has read up to in a conversation (its own read receipt). */
  read(id: string, unread: number, participantId?: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    row.unread_count = unread;
    this.counted.set(id, Math.max(this.counted.get(id) ?? -1, row.message_count - 1));
    if (participantId) row.participant_id = participantId;
    this.render();
  }

  select(id: string | null): void {
    this.selected = id;
    this.render();
  }

  private passes(c: Conversation): boolean {
    return (!this.status.value || c.status === this.status.value) && (!this.channel.value || c.channel === this.channel.value);
  }

  private render(): void {
    const focused = document.activeElement instanceof HTMLElement && this.list.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
    const rows = [...this.rows.values()]
      .filter((r) => this.passes(r) && (!this.unreadOnly.checked || r.unread_count > 0))
      .sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at));
    clear(this.list);
    for (const r of rows) this.list.append(this.item(r));
    this.empty.hidden = rows.length > 0;
    if (focused) this.list.querySelector<HTMLElement>(`[data-id="${focused}"]`)?.focus();
  }

  private item(r: InboxRow): HTMLLIElement {
    const current = r.id === this.selected;
    const last = r.last_message;
    const button = h(
      "button",
      { type: "button", "data-id": r.id, "aria-current": current ? "true" : null, tabindex: current || (!this.selected && this.list.children.length === 0) ? 0 : -1, onclick: () => this.open(r.id) },
      h("span", { class: "icon", "data-channel": r.channel ?? "chat", "aria-hidden": "true", title: channelName(r.channel) }, channelIcon(r.channel)),
      h("span", { class: "name" }, conversationName(r), h("span", { class: "visually-hidden" }, `, ${channelName(r.channel)}`)),
      h("span", { class: "when" }, h("time", { datetime: r.last_activity_at }, time(r.last_activity_at))),
      h("span", { class: "preview" }, last ? `${last.author}: ${last.body}` : "No messages yet"),
      h(
        "span",
        { class: "badges" },
        h("span", { class: "status", "data-status": r.status }, r.status),
        r.unread_count > 0 ? h("span", { class: "badge", "data-unread": r.unread_count }, String(r.unread_count), h("span", { class: "visually-hidden" }, " unread")) : null,
      ),
    );
    return h("li", { class: r.unread_count > 0 ? "unread" : "" }, button);
  }

  /** Roving focus over the list: one Tab stop, arrows (and Home/End) within. */
  private arrows(e: KeyboardEvent): void {
    const buttons = [...this.list.querySelectorAll<HTMLButtonElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const to = e.key === "ArrowDown" ? at + 1 : e.key === "ArrowUp" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? buttons.length - 1 : null;
    if (to === null || at < 0) return;
    e.preventDefault();
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
    next?.focus();
  }
}
