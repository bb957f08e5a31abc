// Replying: the text, the channel or fallback order to send it through (the message's `channels`),
// typing frames while writing, and the send itself (REST as the agent with a key, joining the
// conversation first when the agent is not in it yet; over the socket with a token).
import { ParleyError } from "../../sdk/src/index";
import type { Channel, Client } from "./client";
import { byId, clear, h } from "./dom";
import { channelName, EXTERNAL } from "./format";
import type { ThreadView } from "./thread";

/** Typing frames: `started` again at most this often while writing (the server throttles at 2 s), `stopped` after this long idle. */
const TYPING_REPEAT_MS = 2_500;
const TYPING_IDLE_MS = 3_000;

export class Compose {
  private readonly form = byId<HTMLFormElement>("compose");
  private readonly body = byId<HTMLTextAreaElement>("compose-body");
  private readonly channels = byId<HTMLSelectElement>("compose-channels");
  private readonly error = byId("compose-error");
  private readonly button = byId<HTMLButtonElement>("compose-send");
  private typingSince = 0;
  private idle: number | undefined;

  constructor(
    private readonly client: Client,
    private readonly thread: ThreadView,
  ) {
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send();
    });
    this.body.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.send();
      }
    });
    this.body.addEventListener("input", () => this.typed());
  }

  /** The form for the conversation just opened: its channel choices, an empty text. */
  reset(): void {
    this.clearText();
    this.refresh();
  }

  /** Empties the text (and stops typing) at once when another conversation is chosen. */
  clearText(): void {
    this.body.value = "";
    this.error.textContent = "";
    this.stopTyping();
  }

  /**
   * Shows the form with the loaded conversation's channel choices, keeping the text: an agent may
   * start typing while the thread loads, and what they typed must not vanish when it arrives.
   */
  refresh(): void {
    this.form.hidden = !this.thread.row;
    this.options();
  }

  /** Puts text in (an AI draft to edit) and moves there. */
  fill(text: string): void {
    this.body.value = text;
    this.body.focus();
  }

  /**
   * The choices: the default order (the account's fallback_order, else each recipient's channel),
   * each channel the participants are on, and each of those followed by SMS as the last resort.
   */
  options(): void {
    const on = new Set<Channel>();
    for (const m of this.thread.members.values()) if (m.channel && EXTERNAL.includes(m.channel)) on.add(m.channel);
    clear(this.channels);
    this.channels.append(h("option", { value: "" }, on.size ? "Default order" : "Chat (in the app)"));
    for (const c of on) this.channels.append(h("option", { value: c }, `${channelName(c)} only`));
    for (const c of on) if (c !== "sms") this.channels.append(h("option", { value: `${c},sms` }, `${channelName(c)}, then SMS`));
    this.channels.disabled = on.size === 0;
  }

  private chosen(): Channel[] | undefined {
    return this.channels.value ? (this.channels.value.split(",") as Channel[]) : undefined;
  }

  private async send(): Promise<void> {
    const row = this.thread.row;
    const text = this.body.value.trim();
    if (!row || !text) return;
    this.button.disabled = true;
    this.error.textContent = "";
    try {
      this.stopTyping();
      if (this.client.account) {
        if (!this.thread.me) await this.thread.rejoined(await this.client.join(row.id));
        this.thread.sent(await this.client.send(row.id, text, this.chosen()));
      } else {
        const socket = this.thread.socket;
        if (!socket) throw new Error("not connected to the conversation");
        const channels = this.chosen();
        this.thread.sent(await socket.send({ body: text, ...(channels && { channels }) }));
      }
      this.body.value = "";
    } catch (e) {
      this.error.textContent = e instanceof ParleyError ? `Not sent: ${e.message}` : `Not sent: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.button.disabled = false;
      this.body.focus();
    }
  }

  private typed(): void {
    const socket = this.thread.socket;
    if (!socket || !this.thread.me) return;
    if (this.body.value === "") return this.stopTyping();
    const now = Date.now();
    if (now - this.typingSince > TYPING_REPEAT_MS) {
      socket.typing("started");
      this.typingSince = now;
    }
    clearTimeout(this.idle);
    this.idle = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.idle);
    if (this.typingSince === 0) return;
    this.typingSince = 0;
    this.thread.socket?.typing("stopped");
  }
}
