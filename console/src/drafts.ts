// The slot for AI reply drafts waiting for an agent (GET /v1/drafts?status=pending): each can be
// edited, approved (sent as the agent) or rejected. Hidden when there are none, and for good when
// the deployment answers 404 (no drafts there).
import type { Client, Draft } from "./client";
import { byId, clear, h } from "./dom";

/** Customers' messages often come in bursts: the drafts are asked for once a burst has settled. */
const SETTLE_MS = 1_500;

export class Drafts {
  private readonly section = byId("drafts");
  private readonly list = byId<HTMLUListElement>("draft-list");
  private available = true;
  private conversationId: string | null = null;
  private pending: number | undefined;

  constructor(private readonly client: Client) {}

  /** Shows the open conversation's drafts (none open: hides the slot). */
  async show(conversationId: string | null): Promise<void> {
    this.conversationId = conversationId;
    clearTimeout(this.pending);
    if (!conversationId || !this.available || !this.client.account) return this.hide();
    let drafts: Draft[] | null;
    try {
      drafts = await this.client.drafts(conversationId);
    } catch {
      return this.hide();
    }
    if (drafts === null) this.available = false;
    if (this.conversationId !== conversationId) return;
    if (!drafts || drafts.length === 0) return this.hide();
    clear(this.list);
    for (const d of drafts) this.list.append(this.item(d));
    this.section.hidden = false;
  }

  /** A customer wrote: a draft may follow. */
  later(): void {
    clearTimeout(this.pending);
    this.pending = window.setTimeout(() => void this.show(this.conversationId), SETTLE_MS);
  }

  private hide(): void {
    this.section.hidden = true;
    clear(this.list);
  }

  private item(d: Draft): HTMLLIElement {
    const id = `draft-${d.id}`;
    const text = h("textarea", { id, rows: 2 });
    text.value = d.body ?? "";
    const note = h("span", { role: "status" });
    const review = async (verdict: "approve" | "reject") => {
      note.textContent = verdict === "approve" ? "Sending…" : "Rejecting…";
      try {
        await this.client.reviewDraft(d, verdict, verdict === "approve" && text.value !== (d.body ?? "") ? text.value : undefined);
        await this.show(this.conversationId);
      } catch (e) {
        note.textContent = e instanceof Error ? e.message : String(e);
      }
    };
    return h(
      "li",
      {},
      h("label", { for: id }, `Reply to message ${d.message_index + 1} (confidence ${Math.round(d.confidence * 100)}%)`),
      text,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => void review("approve") }, "Approve and send"), h("button", { type: "button", class: "secondary", onclick: () => void review("reject") }, "Reject"), note),
    );
  }
}
