// The open conversation's status and tags (PATCH /v1/conversations/{id}); API keys only. A refused
// change (a move the lifecycle does not allow, a tag too long) shows the problem's words.
import { ParleyError } from "../../sdk/src/index";
import type { Client, ConversationStatus, InboxRow } from "./client";
import { byId } from "./dom";

export class Details {
  private readonly form = byId<HTMLFormElement>("details");
  private readonly status = byId<HTMLSelectElement>("details-status");
  private readonly tags = byId<HTMLInputElement>("details-tags");
  private readonly line = byId("details-status-line");
  private row: InboxRow | null = null;

  constructor(
    private readonly client: Client,
    private readonly changed: (row: InboxRow) => void,
  ) {
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.save();
    });
    // A status is one choice: it is saved as soon as it is made.
    this.status.addEventListener("change", () => void this.save());
  }

  show(row: InboxRow | null): void {
    this.row = row;
    this.form.hidden = !row || !this.client.account;
    if (!row) return;
    this.status.value = row.status;
    this.tags.value = row.tags.join(", ");
    this.line.textContent = "";
  }

  private async save(): Promise<void> {
    const row = this.row;
    if (!row) return;
    const tags = this.tags.value.split(",").map((t) => t.trim()).filter(Boolean);
    const status = this.status.value as ConversationStatus;
    this.line.textContent = "Saving…";
    try {
      const updated = await this.client.update(row.id, { ...(status !== row.status && { status }), tags });
      Object.assign(row, updated);
      this.show(row);
      this.line.textContent = "Saved";
      this.changed(row);
    } catch (e) {
      this.status.value = row.status;
      this.line.textContent = e instanceof ParleyError ? `Not saved: ${e.message}` : "Not saved";
    }
  }
}
