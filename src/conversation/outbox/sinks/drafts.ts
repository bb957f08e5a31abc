import type { Env } from "../../../env";
import { renderDraft } from "../../assist-store";
import type { PassBatch, Sink } from "../sink";

/**
 * D1's copy of the conversation's drafts (`drafts`, migration 0021), which GET /v1/drafts lists
 * across the account. Written directly, in the order the conversation's passes run (drafts are a
 * few per customer message, not worth a queue), each row versioned by the pass's last outbox
 * sequence so a pass carried again after an eviction never puts an older state back.
 */
export class DraftsSink implements Sink {
  readonly name = "drafts";

  constructor(private readonly env: Pick<Env, "DB">) {}

  async deliver(batch: PassBatch): Promise<void> {
    const conv = batch.conv;
    if (!conv) return;
    if (batch.deleted) {
      await this.env.DB.prepare("DELETE FROM drafts WHERE conversation_id = ?").bind(conv.id).run();
      return;
    }
    const ids = [...new Set(batch.rows.filter((r) => r.kind === "draft").map((r) => r.ref))];
    const rows = ids.flatMap((id) => {
      const d = batch.draftRow(id);
      return d ? [renderDraft(conv.id, d)] : [];
    });
    if (rows.length === 0) return;
    const upsert = this.env.DB.prepare(
      `INSERT INTO drafts (id, account_id, conversation_id, status, created_at, version, resource) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, resource = excluded.resource WHERE excluded.version > drafts.version`,
    );
    await this.env.DB.batch(rows.map((d) => upsert.bind(d.id, conv.account_id, conv.id, d.status, Date.parse(d.created_at), batch.through, JSON.stringify(d))));
  }
}
