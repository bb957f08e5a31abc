import type { MessageRow } from "./rows";

/** Messages remembered; the oldest is dropped past this. An outbox pass rarely carries more. */
const REMEMBERED = 256;
/** Longer bodies are not remembered (a pass that needs one reads the table), so this holds at most ~2 MB. */
const REMEMBERED_BODY_CHARS = 8 * 1024;

/**
 * The rows of the messages this object wrote lately, exactly as the table holds them, so the outbox
 * pass that carries a message need not read it back (in a CPU profile of bench case (c), sends
 * spread over 100 conversations, that read was 4.3% of the isolate's samples, a quarter of the pass). ConversationStore keeps it true: every
 * write of a message row goes through it, and a rollback forgets it all.
 */
export class RecentMessages {
  private readonly rows = new Map<number, MessageRow>();

  /** A row just inserted. */
  remember(row: MessageRow): void {
    if (row.body.length > REMEMBERED_BODY_CHARS) return this.forget(row.idx);
    this.rows.set(row.idx, { ...row });
    if (this.rows.size > REMEMBERED) this.rows.delete(this.rows.keys().next().value!);
  }

  /** A row changed or went. */
  forget(idx: number): void {
    this.rows.delete(idx);
  }

  clear(): void {
    this.rows.clear();
  }

  /** The rows with low <= idx <= high, if every one of them is here (indexes are gapless). */
  range(low: number, high: number): MessageRow[] | undefined {
    if (high - low + 1 > this.rows.size) return undefined;
    const rows: MessageRow[] = [];
    for (let idx = low; idx <= high; idx++) {
      const row = this.rows.get(idx);
      if (!row) return undefined;
      rows.push(row);
    }
    return rows;
  }
}
