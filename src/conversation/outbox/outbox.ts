import type { ConversationStore, OutboxKind, OutboxRow } from "../store";
import { Pacer } from "./pacer";
import { PassBatch, type Sink } from "./sink";
import { OutboxTable } from "./table";

/**
 * The conversation's transactional outbox. Every change records what it touched in the same SQLite
 * transaction that makes it (`change` + `record`), so a 2xx means the change is committed here and
 * will reach every sink, never lost. After the commit a background run of passes carries the rows
 * to the sinks at once; the alarm's `outbox` duty is the durable fallback (it retries a failed
 * pass, and runs after an eviction lost the in-memory state below).
 *
 * A run is a promise the object does not await: it lasts as many passes as the backlog needs
 * (usually one). Runs never overlap, the alarm's included, so a sink sees batches in order. When a
 * run starts is the Pacer's call: at once after a quiet spell, and under load once several changes
 * wait (at most half a second), which is what lets many messages share a queue message and a D1
 * batch.
 *
 * Each sink has its own progress. Rows every sink has passed are deleted, and progress is saved,
 * in the next change's transaction rather than in a write of their own; if the object is evicted
 * first they are delivered again, which every sink tolerates.
 */
export type DrainMode = "automatic" | "manual";

/** After a change, the alarm comes back this soon in case the immediate run did not get through. */
const FALLBACK_MS = 5_000;
/** Rows one pass reads per sink. A send writes two or three, and the non-message ones fold. */
const PASS_ROWS = 300;
/** Message text one pass may carry (bodies run to 32 KB; a full pass of them would be ~10 MB). */
const PASS_TEXT_BYTES = 1024 * 1024;

export class Outbox {
  /** `manual`: nothing drains until `drain()` is called (tests and the bench use it). */
  mode: DrainMode = "automatic";
  private readonly progress = new Map<string, number>();
  private readonly saved = new Map<string, number>();
  private prunedThrough = 0;
  private running: Promise<void> | null = null;
  private readonly table: OutboxTable;
  private readonly pacer = new Pacer(() => {
    void this.run().catch((error: unknown) => console.error("outbox run failed; the alarm will retry:", error));
  });
  /** Whether the change in progress recorded a row; null outside a change. */
  private wrote: boolean | null = null;
  /** Whether it recorded a delivery or an AI request (work owed now: carried without batching). */
  private urgent = false;
  /**
   * Rows written but not yet read by a pass. A pass reads the conversation and participants as they
   * are when it runs, so a second row for the same one adds nothing: a send writes one row, not three.
   */
  private readonly unread = new Set<string>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly store: ConversationStore,
    private readonly sinks: readonly Sink[],
    /** Asks the alarm to run the outbox duty at a time (no-op if it is due sooner). */
    private readonly wakeAt: (at: number) => void,
  ) {
    this.table = new OutboxTable(storage.sql);
  }

  /** Loads saved progress. Call once the schema exists. */
  load(): void {
    for (const { name, through } of this.table.progress()) {
      this.progress.set(name, through);
      this.saved.set(name, through);
    }
  }

  /**
   * Runs `run` as one transaction that may `record` rows; a throw rolls it all back. `committed`
   * runs after the commit and before a pass starts (so broadcasts do not wait behind rendering).
   */
  change<T>(run: () => T, committed: (value: T) => void): T {
    this.wrote = false;
    let value: T;
    try {
      value = this.storage.transactionSync(() => {
        const result = run();
        this.table.flush();
        this.prune();
        return result;
      });
    } catch (error) {
      // Rolled back: the rows it recorded are gone, so nothing may be assumed written.
      this.unread.clear();
      this.table.forget();
      this.store.forgetCached();
      this.wrote = null;
      this.urgent = false;
      throw error;
    }
    const wrote = this.wrote;
    const urgent = this.urgent;
    this.wrote = null;
    this.urgent = false;
    try {
      committed(value);
    } finally {
      // Committed is committed: whatever `committed` did, the rows must still be carried.
      if (wrote) {
        const now = Date.now();
        this.wakeAt(now + FALLBACK_MS);
        if (this.mode === "automatic") this.pacer.changed(now, urgent);
      }
    }
    return value;
  }

  /** Records that something changed, for every sink. Only inside `change`. */
  record(kind: OutboxKind, ref: string): void {
    if (this.wrote === null) throw new Error("outbox rows are recorded only inside a change");
    const key = `${kind}:${ref}`;
    // Messages and events are each their own row; the rest name state a pass reads as it is then.
    const folds = kind !== "message" && kind !== "event";
    if (folds && this.unread.has(key)) return;
    this.table.append(kind, ref);
    if (folds) this.unread.add(key);
    this.wrote = true;
    // A send owed, or a customer waiting for the AI's draft: carried at once, not paced.
    if (kind === "delivery" || kind === "assist") this.urgent = true;
  }

  /** Drains every sink until the outbox is empty; throws (after the others finish) if one failed. */
  async drain(): Promise<void> {
    try {
      await this.run();
    } finally {
      // What the healthy sinks carried is settled even when another sink failed (a transaction
      // only when there is something to settle: the alarm's drain usually finds nothing).
      const { progress, ackThrough } = this.unsettled();
      if (progress.length > 0 || ackThrough !== null) this.storage.transactionSync(() => this.prune());
    }
  }

  /** Forgets everything in memory about the outbox: its storage was deleted. */
  forget(): void {
    this.progress.clear();
    this.saved.clear();
    this.prunedThrough = 0;
    this.unread.clear();
    this.table.forget();
  }

  /** The alarm's duty: a drain unless draining is manual. */
  async onAlarm(): Promise<void> {
    if (this.mode === "automatic") await this.drain();
  }

  /** Whether some sink has rows left to carry. */
  pending(): boolean {
    return this.table.read(1, this.floor()).length > 0;
  }

  /** The last row a sink has carried (tests wait on it). */
  delivered(sink: string): number {
    return this.progress.get(sink) ?? 0;
  }

  /** Passes until no sink has a backlog, one run at a time: a caller waits for the run in progress. */
  private async run(): Promise<void> {
    while (this.running) await this.running;
    this.pacer.runStarted(Date.now());
    const failed = new Map<string, unknown>();
    const passes = (async () => {
      while (await this.pass(failed)) {
        // a pass takes a bounded batch: keep going while a healthy sink has a backlog
      }
    })();
    this.running = passes.catch(() => undefined);
    try {
      await passes;
    } finally {
      this.running = null;
      this.pacer.runEnded(Date.now());
    }
    if (failed.size > 0) throw new AggregateError([...failed.values()], `outbox sinks failed: ${[...failed.keys()].join(", ")}`);
  }

  /**
   * One batch for each sink that has not failed in this run; whether any has more waiting. Sinks at
   * the same progress (the usual case) share one read and one rendering of the batch.
   */
  private async pass(failed: Map<string, unknown>): Promise<boolean> {
    this.unread.clear();
    const groups = new Map<number, Sink[]>();
    for (const sink of this.sinks) {
      if (failed.has(sink.name)) continue;
      const at = this.delivered(sink.name);
      groups.set(at, [...(groups.get(at) ?? []), sink]);
    }
    let more = false;
    const deliveries: Promise<void>[] = [];
    for (const [after, sinks] of groups) {
      const fetched = this.table.read(PASS_ROWS, after);
      const rows = withinBudget(this.store, fetched);
      if (rows.length === 0) continue;
      if (fetched.length === PASS_ROWS || rows.length < fetched.length) more = true;
      const batch = new PassBatch(this.store, rows);
      for (const sink of sinks) {
        // Called synchronously, one after another: each reads the batch before its first await.
        deliveries.push(
          sink.deliver(batch).then(
            () => void this.progress.set(sink.name, Math.max(this.delivered(sink.name), batch.through)),
            (error: unknown) => {
              console.error(`outbox sink ${sink.name} failed; it will be retried:`, error);
              failed.set(sink.name, error);
            },
          ),
        );
      }
    }
    await Promise.all(deliveries);
    return more && this.sinks.some((s) => !failed.has(s.name));
  }

  private floor(): number {
    return Math.min(...this.sinks.map((s) => this.delivered(s.name)));
  }

  /**
   * What `prune` would write: the progress of sinks ahead of the others that is not saved yet
   * (the only progress a restart could not infer: rows at or below the floor are gone, so a sink
   * there has nothing to redo), and the floor when rows at or below it are still stored.
   */
  private unsettled(): { progress: [string, number][]; ackThrough: number | null } {
    const floor = this.floor();
    const progress = [...this.progress].filter(([name, through]) => through > floor && (this.saved.get(name) ?? 0) < through);
    return { progress, ackThrough: floor > this.prunedThrough ? floor : null };
  }

  /** Inside a transaction that writes anyway: saves and deletes what `unsettled` names. */
  private prune(): void {
    const { progress, ackThrough } = this.unsettled();
    for (const [name, through] of progress) {
      this.table.saveProgress(name, through);
      this.saved.set(name, through);
    }
    if (ackThrough === null) return;
    this.table.ack(ackThrough);
    this.prunedThrough = ackThrough;
  }
}

/** The longest prefix of `rows` whose message bodies fit PASS_TEXT_BYTES (always at least one row). */
function withinBudget(store: ConversationStore, rows: OutboxRow[]): OutboxRow[] {
  const indexes = rows.filter((r) => r.kind === "message").map((r) => Number(r.ref));
  if (indexes.length === 0) return rows;
  const sizes = store.messageSizes(Math.min(...indexes), Math.max(...indexes));
  let total = 0;
  for (const [i, row] of rows.entries()) {
    if (row.kind !== "message") continue;
    total += sizes.get(Number(row.ref)) ?? 0;
    if (total > PASS_TEXT_BYTES && i > 0) return rows.slice(0, i);
  }
  return rows;
}

export type { OutboxKind };
