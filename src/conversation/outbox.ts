import type { Env } from "../env";
import { drainOutbox } from "./projection";
import type { ConversationStore, OutboxKind } from "./store";

/**
 * Moves the outbox into D1 (and the account stream) as soon as a change commits, instead of waiting
 * for the alarm: an alarm cycle costs several storage writes of its own, per message when a
 * conversation is quiet. The alarm stays as the durable fallback (it retries a failed pass, and
 * runs after an eviction that lost the in-memory state below).
 *
 * A background run is a promise the object does not await: it lasts as many D1 batches as the
 * backlog needs (usually one), holds no timer and does not stop the object from hibernating once
 * it settles. Runs never overlap, the alarm's included, so D1 batches land in order. Under load
 * they are spaced at least COALESCE_MS apart, so one D1 batch carries many messages instead of one
 * or two: a change that comes sooner asks for the alarm at the end of the gap (written in the same
 * storage commit as the change itself), and the first change after a quiet spell drains at once.
 *
 * Rows a pass delivered are deleted in the next change's transaction rather than in a write of
 * their own (`settle`). If the object is evicted first they are delivered again: every D1 statement
 * is an idempotent upsert, and account-stream events are at-least-once.
 */
/** The least time between the end of one pass and the start of the next. */
const COALESCE_MS = 25;

export class OutboxDrainer {
  private running: Promise<void> | null = null;
  private lastPassEndedAt = 0;
  private drainedThrough = 0;
  private deletedThrough = 0;
  /**
   * Rows written but not yet read by a pass. A pass renders the conversation and participants as
   * they are when it reads, so a second row for the same one adds nothing: a send then writes one
   * outbox row, not three.
   */
  private readonly unread = new Set<string>();

  constructor(
    private readonly store: ConversationStore,
    private readonly env: Pick<Env, "DB" | "ACCOUNT_HUB">,
    /** Asks for the alarm at a time (no-op if it is due sooner). */
    private readonly wakeAt: (at: number) => void,
  ) {}

  /** Whether the transaction in progress wrote a row (and so needs a pass). */
  private wrote = false;

  /** Records a change for D1. Call inside the change's transaction. */
  enqueue(kind: OutboxKind, ref: string): void {
    const key = `${kind}:${ref}`;
    if (kind !== "message" && this.unread.has(key)) return;
    this.store.enqueue(kind, ref);
    if (kind !== "message") this.unread.add(key);
    this.wrote = true;
  }

  /** After a commit: whether it wrote outbox rows (then kick, and arm the fallback). */
  takeWrote(): boolean {
    const wrote = this.wrote;
    this.wrote = false;
    return wrote;
  }

  /** After a rolled-back transaction: its rows are gone, so nothing may be assumed written. */
  forgetUnread(): void {
    this.unread.clear();
    this.wrote = false;
  }

  /** Deletes rows already delivered. Call inside a transaction that writes anyway. */
  settle(): void {
    if (this.drainedThrough <= this.deletedThrough) return;
    this.store.ackOutbox(this.drainedThrough);
    this.deletedThrough = this.drainedThrough;
  }

  /**
   * After a commit: starts a background run of passes, or, when one is running or ended less than
   * COALESCE_MS ago, asks the alarm to come at the end of that gap.
   */
  kick(now: number): void {
    const earliest = this.lastPassEndedAt + COALESCE_MS;
    if (this.running || now < earliest) {
      this.wakeAt(Math.max(earliest, now + 1));
      return;
    }
    void this.run().catch((error: unknown) => {
      // Left for the fallback alarm, which retries with backoff.
      console.error("outbox drain failed; the alarm will retry:", error);
    });
  }

  /**
   * The alarm's path: everything delivered and deleted, or a throw so the runtime retries. It takes
   * its turn in the same single slot as background runs: two passes in flight at once could land
   * their D1 batches out of order.
   */
  async drainAll(): Promise<void> {
    await this.run();
    this.settle();
  }

  pending(): boolean {
    return this.store.outbox(1, this.drainedThrough).length > 0;
  }

  /** Passes until the backlog is gone, one run at a time: a caller waits for the run in progress. */
  private async run(): Promise<void> {
    while (this.running) await this.running;
    const passes = (async () => {
      while (await this.pass()) {
        // a pass takes a bounded batch: keep going while there is a backlog
      }
    })();
    this.running = passes.then(
      () => undefined,
      () => undefined,
    );
    try {
      await passes;
    } finally {
      this.running = null;
      this.lastPassEndedAt = Date.now();
    }
  }

  /** One batch; whether more rows are waiting. */
  private async pass(): Promise<boolean> {
    // drainOutbox reads the rows and the state they point at synchronously, before its first await.
    this.unread.clear();
    const { through, more } = await drainOutbox(this.store, this.env, this.drainedThrough);
    if (through !== null) this.drainedThrough = Math.max(this.drainedThrough, through);
    return more;
  }
}
