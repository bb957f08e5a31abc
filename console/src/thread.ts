// The open conversation, live: its messages in index order (message.added), their delivery ticks
// (message.updated), who is typing, who is online and how far each participant has read. History
// comes by REST with a key; a token's stream replays it. The socket acts as the signed-in identity
// once it is a participant, so its reading is the read receipt others see.
import type { Client, InboxRow, Message, Participant, RealtimeConversation } from "./client";
import { byId, clear, h } from "./dom";
import { channelName, failure, isOurs, tick, time } from "./format";
import { conversationName } from "./inbox";
import { memberFromMessage, memberOf, renderMembers, type Member } from "./members";

const SOMEONE = "Someone";
const unknown = (id: string): Member => ({ id, name: SOMEONE, kind: "participant", channel: "chat", online: false, lastRead: null });

/** Messages shown when a conversation opens; older ones are in the API's history. */
const HISTORY = 50;

export type ThreadEvents = {
  /** The open conversation changed (status, tags, a new message). */
  changed(c: InboxRow): void;
  /** The agent's own read horizon moved: its unread count in this conversation. */
  read(conversationId: string, unread: number, participantId: string): void;
  /** The conversation stream's state, for the connection indicator. */
  connection(state: "live" | "connecting" | "down"): void;
};

export class ThreadView {
  row: InboxRow | null = null;
  /** Called for each new customer message (an AI draft may follow it). */
  onCustomerMessage: () => void = () => {};
  me: Participant | null = null;
  readonly members = new Map<string, Member>();
  private stream: RealtimeConversation | null = null;
  private readonly shown = new Map<number, { message: Message; li: HTMLLIElement }>();
  private readonly typing = new Map<string, number>();
  private readonly list = byId<HTMLOListElement>("messages");
  private readonly typingLine = byId("typing");

  constructor(
    private readonly client: Client,
    private readonly events: ThreadEvents,
  ) {
    document.addEventListener("visibilitychange", () => this.markRead());
  }

  /** The open conversation's socket (typing, and a token's sends), null while none is open. */
  get socket(): RealtimeConversation | null {
    return this.stream;
  }

  /** Opens a conversation (closing the one open before), `focusIndex` scrolled to and marked when given. */
  async open(row: InboxRow, focusIndex?: number): Promise<void> {
    this.close();
    this.row = row;
    byId("thread-empty").hidden = true;
    this.header();
    this.list.setAttribute("aria-busy", "true");
    let after = Math.max(-1, row.message_count - HISTORY - 1);
    if (this.client.account) {
      const [history, participants] = await Promise.all([this.client.history(row.id, HISTORY), this.client.participants(row.id)]);
      if (this.row !== row) return; // another conversation was opened meanwhile
      for (const p of participants) this.members.set(p.id, memberOf(p));
      this.me = participants.find((p) => p.identity === this.client.identity) ?? null;
      for (const m of history) this.add(m);
      after = history.at(-1)?.index ?? -1;
    }
    this.list.setAttribute("aria-busy", "false");
    this.connect(after);
    renderMembers(this.members, this.me?.id ?? null);
    if (focusIndex !== undefined) this.focus(focusIndex);
    else this.scrollToEnd(true);
  }

  /** After the agent joined: the socket again, now as its participant (resolves once it is up). */
  async rejoined(me: Participant): Promise<void> {
    if (!this.row) return;
    this.me = me;
    this.members.set(me.id, memberOf(me, true));
    this.stream?.close();
    this.connect(this.lastIndex());
    await this.stream?.ready;
  }

  close(): void {
    this.stream?.close();
    this.stream = null;
    this.row = null;
    this.me = null;
    this.members.clear();
    this.shown.clear();
    for (const t of this.typing.values()) clearTimeout(t);
    this.typing.clear();
    this.typingLine.textContent = "";
    clear(this.list);
    renderMembers(this.members, null);
  }

  lastIndex(): number {
    return Math.max(-1, ...this.shown.keys());
  }

  private connect(after: number): void {
    const row = this.row!;
    // With a key, the socket acts as the agent only once the agent is a participant (else the server has no one to act as).
    const stream = this.client.account && !this.me ? this.client.parley.conversations.connect(row.id, { lastIndex: after }) : this.client.connect(row.id, after);
    this.stream = stream;
    this.events.connection("connecting");
    stream.on("open", (ready) => {
      if (ready.participant) {
        this.me = ready.participant;
        this.members.set(ready.participant.id, memberOf(ready.participant, true));
      }
      for (const [id, m] of this.members) m.online = ready.online.includes(id);
      renderMembers(this.members, this.me?.id ?? null);
      this.events.connection("live");
      this.markRead();
      // A resumed stream replays messages, not their updates: what changed while it was down (a tick) is read again.
      if (this.client.account) void this.refresh(row);
    });
    stream.on("close", (info) => this.events.connection(info.willRetry ? "connecting" : "down"));
    stream.onMessage((m) => {
      this.add(m);
      // Writing moves the author's own read horizon (the server does not announce that one).
      if (this.me && m.participant_id === this.me.id) this.events.read(row.id, 0, this.me.id);
      this.stopTyping(m.participant_id);
      row.message_count = Math.max(row.message_count, m.index + 1);
      row.last_message = { id: m.id, index: m.index, author: m.author, body: m.body, created_at: m.created_at };
      row.last_activity_at = m.created_at;
      this.events.changed(row);
      this.scrollToEnd(false);
      this.markRead();
      if (m.author_kind === "customer") this.onCustomerMessage();
    });
    stream.on("message.updated", ({ message }) => this.add(message));
    stream.on("typing", (f) => (f.state === "started" && f.participant_id !== this.me?.id ? this.startTyping(f.participant_id, f.expires_at) : this.stopTyping(f.participant_id)));
    stream.on("presence", (f) => this.member(f.participant_id, (m) => (m.online = f.status === "online"), unknown(f.participant_id)));
    stream.on("read.updated", (f) => {
      this.member(f.participant_id, (m) => (m.lastRead = f.last_read_index), unknown(f.participant_id));
      if (f.participant_id === this.me?.id) this.events.read(row.id, f.unread_count, f.participant_id);
    });
    stream.on("participant.added", ({ participant }) => this.member(participant.id, () => {}, memberOf(participant)));
    stream.on("participant.removed", ({ participant_id }) => {
      this.members.delete(participant_id);
      renderMembers(this.members, this.me?.id ?? null);
    });
    stream.on("conversation.updated", ({ conversation }) => {
      Object.assign(row, conversation);
      this.header();
      this.events.changed(row);
    });
  }

  /** Marks everything shown as read, when the page is in view and the socket is the agent's. */
  markRead(): void {
    const last = this.lastIndex();
    if (!this.stream || !this.me || last < 0 || document.visibilityState !== "visible") return;
    this.stream.markRead(last);
  }

  private member(id: string, change: (m: Member) => void, added?: Member): void {
    const m = this.members.get(id) ?? added;
    if (!m) return;
    change(m);
    this.members.set(id, m);
    renderMembers(this.members, this.me?.id ?? null);
    this.receipts();
  }

  header(): void {
    const row = this.row;
    if (!row) return;
    byId("thread-title").textContent = conversationName(row);
    byId("thread-meta").textContent = [channelName(row.channel), row.status, row.tags.length ? `tags: ${row.tags.join(", ")}` : ""].filter(Boolean).join(" · ");
  }

  /** A message this page sent: shown at once (the stream's copy of it then changes nothing). */
  sent(m: Message): void {
    if (m.conversation_id !== this.row?.id) return;
    this.add(m);
    if (this.me) this.events.read(m.conversation_id, 0, this.me.id);
  }

  private async refresh(row: InboxRow): Promise<void> {
    const recent = await this.client.history(row.id, HISTORY).catch(() => []);
    if (this.row === row) for (const m of recent) if (this.shown.has(m.index)) this.add(m);
  }

  /** Adds a message, or updates it in place (a delivery update), keeping index order. */
  private add(m: Message): void {
    const known = this.shown.get(m.index);
    if (known) {
      // A REST answer can come after the stream's later updates of the same message.
      if (m.updated_at < known.message.updated_at) return;
      known.message = m;
      known.li.replaceChild(this.foot(m), known.li.lastChild!);
      this.receipts();
      return;
    }
    const li = this.item(m);
    const later = [...this.shown.entries()].filter(([i]) => i > m.index).sort(([a], [b]) => a - b)[0];
    this.list.insertBefore(li, later ? later[1].li : null);
    // A token has no participant list: the authors it sees are who it knows.
    const author = m.participant_id ? this.members.get(m.participant_id) : undefined;
    if (m.participant_id && (!author || author.name === SOMEONE)) {
      this.members.set(m.participant_id, { ...memberFromMessage(m), online: author?.online ?? false, lastRead: author?.lastRead ?? null });
      renderMembers(this.members, this.me?.id ?? null);
    }
    this.shown.set(m.index, { message: m, li });
    this.receipts();
  }

  private mine(m: Message): boolean {
    if (this.me && m.participant_id === this.me.id) return true;
    return this.me?.kind === "customer" ? m.author === this.client.identity : isOurs(m);
  }

  private item(m: Message): HTMLLIElement {
    const kind = m.author_kind === "system" ? "system" : this.mine(m) ? "ours" : "theirs";
    return h(
      "li",
      { class: `msg ${kind}`, id: `msg-${m.index}`, "data-index": m.index, "data-id": m.id },
      h("div", { class: "meta" }, h("span", { class: "author" }, m.author), h("time", { datetime: m.created_at }, time(m.created_at)), m.channel !== "chat" ? h("span", {}, `via ${channelName(m.channel)}`) : null),
      h("p", { class: "body" }, m.body),
      ...m.media.map((f) => h("a", { href: f.url, target: "_blank", rel: "noopener" }, f.filename ?? f.content_type)),
      this.foot(m),
    );
  }

  /** The message's delivery tick, per recipient when there are several, with the failure's reason. */
  private foot(m: Message): HTMLElement {
    const foot = h("div", { class: "foot" });
    const d = m.delivery;
    if (d) {
      const t = tick(d.status);
      const failed = d.recipients.filter((r) => r.status === "failed" || r.status === "undelivered");
      const detail = d.recipients.map((r) => `${r.address ?? r.participant_id} on ${channelName(r.channel)}: ${tick(r.status).words}${failed.includes(r) ? ` (${failure(r, d.attempts)})` : ""}`).join("; ");
      foot.append(
        h("span", { class: "tick", "data-status": d.status, title: detail }, h("span", { "aria-hidden": "true" }, t.mark), ` ${t.words}`),
        ...failed.map((r) => h("span", { class: "reason" }, failure(r, d.attempts))),
      );
    }
    foot.append(h("span", { class: "seen" }));
    return foot;
  }

  /** "Seen by …" under the latest of our messages each other participant has read. */
  private receipts(): void {
    for (const { li } of this.shown.values()) {
      const seen = li.querySelector(".seen");
      if (seen) seen.textContent = "";
    }
    const ours = [...this.shown.values()].filter(({ message }) => this.mine(message)).sort((a, b) => a.message.index - b.message.index);
    for (const [id, m] of this.members) {
      if (id === this.me?.id || m.lastRead === null) continue;
      const last = ours.filter(({ message }) => message.index <= m.lastRead!).at(-1);
      const seen = last?.li.querySelector(".seen");
      if (seen) seen.textContent = `${seen.textContent ? `${seen.textContent}, ` : "Seen by "}${m.name}`;
    }
  }

  private startTyping(participantId: string, expiresAt: string | null): void {
    clearTimeout(this.typing.get(participantId));
    const ms = expiresAt ? Math.max(500, Date.parse(expiresAt) - Date.now()) : 6000;
    this.typing.set(participantId, window.setTimeout(() => this.stopTyping(participantId), ms));
    this.typingText();
  }

  private stopTyping(participantId: string | null): void {
    if (participantId === null || !this.typing.has(participantId)) return;
    clearTimeout(this.typing.get(participantId));
    this.typing.delete(participantId);
    this.typingText();
  }

  private typingText(): void {
    const names = [...this.typing.keys()].map((id) => {
      const m = this.members.get(id);
      return m ? m.name : SOMEONE;
    });
    this.typingLine.textContent = names.length === 0 ? "" : `${names.join(", ")} ${names.length === 1 ? "is" : "are"} typing…`;
  }

  private scrollToEnd(force: boolean): void {
    const near = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 120;
    if (force || near) this.list.scrollTop = this.list.scrollHeight;
  }

  private focus(index: number): void {
    const li = this.shown.get(index)?.li;
    if (!li) return this.scrollToEnd(true);
    li.scrollIntoView({ block: "center" });
    li.classList.add("flash");
  }
}
