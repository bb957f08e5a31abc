// Full-text search over the account's messages (GET /v1/search/messages; API keys only): results
// replace the inbox until closed, each opening its conversation at the message. "/" jumps here.
import { ParleyError } from "../../sdk/src/index";
import type { Client, SearchResult } from "./client";
import { byId, clear, h, snippet } from "./dom";
import { time } from "./format";

export class SearchView {
  private readonly form = byId<HTMLFormElement>("search-form");
  private readonly input = byId<HTMLInputElement>("search-q");
  private readonly results = byId("search-results");
  private readonly list = byId<HTMLUListElement>("search-list");
  private readonly status = byId("search-status");

  constructor(
    private readonly client: Client,
    private readonly open: (conversationId: string, index: number) => void,
  ) {
    this.form.hidden = !client.account;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.run();
    });
    byId("search-close").addEventListener("click", () => this.close());
    this.results.addEventListener("keydown", (e) => e.key === "Escape" && this.close());
    document.addEventListener("keydown", (e) => {
      const target = e.target as HTMLElement;
      if (e.key === "/" && client.account && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
        e.preventDefault();
        this.input.focus();
      }
    });
  }

  private async run(): Promise<void> {
    const q = this.input.value.trim();
    if (!q) return this.close();
    this.results.hidden = false;
    byId("inbox-body").hidden = true;
    clear(this.list);
    this.status.textContent = "Searching…";
    let hits: SearchResult[];
    try {
      hits = await this.client.search(q);
    } catch (e) {
      this.status.textContent = e instanceof ParleyError ? e.message : "The search failed.";
      return;
    }
    this.status.textContent = hits.length === 0 ? `Nothing matches “${q}”.` : `${hits.length === 1 ? "1 message matches" : `${hits.length} messages match`} “${q}”.`;
    for (const hit of hits) {
      const m = hit.message;
      if (!m) continue;
      this.list.append(
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", onclick: () => this.open(hit.conversation_id, m.index) },
            h("span", {}, h("strong", {}, m.author), ": ", snippet(hit.snippet)),
            h("time", { datetime: m.created_at }, time(m.created_at)),
          ),
        ),
      );
    }
  }

  close(): void {
    this.results.hidden = true;
    byId("inbox-body").hidden = false;
    this.input.value = "";
  }
}
