import type { Env } from "../env";
import { drainOutbox } from "./projection";
import type { ConversationStore, OutboxKind } from "./store";

/**
 * Moves the outbox into D1 (and the account stream) as soon as a change commits, instead of waiting
 * for the alarm: an alarm cycle costs several storage writes of its own, per message when a
 * conversation is quiet. The alarm stays as the durable fallback (it retries a failed pass, and
 * runs after an eviction that lost the in-memory state below).
 *
 * A background pass is a promise the object does not await: it lasts one D1 batch, holds no timer
 * and does not stop the object from hibernating once it settles. Passes never overlap; changes
 * committed during one fold into one more pass.
 *
 * Rows a pass delivered are deleted in the next change's transaction rather than in a write of
 * their own (`settle`). If the object is evicted first they are delivered again: every D1 statement
 * is an idempotent upsert, and account-stream events are at-least-once.
 */
export class OutboxDrainer {
  private running: Promise<void> | null = null;
  private again = false;
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
  ) {}

  /** Records a change for D1. Call inside the change's transaction. */
  enqueue(kind: OutboxKind, ref: string): void {
    if (kind === "message") return this.store.enqueue(kind, ref);
    const key = `${kind}:${ref}`;
    if (this.unread.has(key)) return;
    this.store.enqueue(kind, ref);
    this.unread.add(key);
  }

  /** After a rolled-back transaction: its rows are gone, so nothing may be assumed written. */
  forgetUnread(): void {
    this.unread.clear();
  }

  /** Deletes rows already delivered. Call inside a transaction that writes anyway. */
  settle(): void {
    if (this.drainedThrough <= this.deletedThrough) return;
    this.store.ackOutbox(this.drainedThrough);
    this.deletedThrough = this.drainedThrough;
  }

  /** Starts a background pass, or asks the running one to go round once more. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** The alarm's path: everything delivered and deleted, or a throw so the runtime retries. */
  async drainAll(): Promise<void> {
    await this.running;
    while (await this.pass()) {
      // keep going: a pass takes a bounded batch
    }
    this.settle();
  }

  pending(): boolean {
    return this.store.outbox(1, this.drainedThrough).length > 0;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        while (await this.pass()) {
          // as above
        }
      } while (this.again);
    } catch (error) {
      // Left for the fallback alarm, which retries with backoff.
      console.error("outbox drain failed; the alarm will retry:", error);
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
