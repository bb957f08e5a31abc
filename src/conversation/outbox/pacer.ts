/**
 * When the outbox starts its next run. Each run costs about the same whatever it carries (a queue
 * send, a hub publish, rendering the conversation), so under load runs should carry many changes;
 * yet a quiet conversation's change should be carried at once. The rule:
 * - the first change after a quiet spell (no run for QUIET_MS) starts a run at once, and so does
 *   one that owes a delivery (it would otherwise wait up to MAX_WAIT_MS to reach the provider);
 * - otherwise a run starts once BATCH_CHANGES changes wait (but not sooner than MIN_GAP_MS after
 *   the last run), or when the oldest has waited MAX_WAIT_MS.
 * So a conversation at hundreds of messages/s is carried ten times a second, one at a few a
 * second twice a second, and one written to less than once a second immediately. (QUIET_MS was
 * 250 ms: conversations at 4/s then got nearly a run per message, and the bench's 100-conversation
 * case spent 0.77 ms of server CPU a send on the HTTP layer and the outbox; at 1 s, 0.39 ms.)
 *
 * The wait is an in-memory timer, not the alarm: an alarm per run costs a storage write and an
 * invocation (measured dearer than the run itself), and the timer never outlives the runtime's own
 * idle window (an object stays in memory for seconds after its last request), so it does not keep
 * a quiet object from hibernating. If the object is evicted first, the fallback alarm carries it.
 */
const QUIET_MS = 1000;
const BATCH_CHANGES = 8;
const MIN_GAP_MS = 100;
const MAX_WAIT_MS = 500;

export class Pacer {
  private waiting = 0;
  private oldestAt = 0;
  private lastRunAt = 0;
  private running = false;
  private urgent = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;

  constructor(private readonly start: () => void) {}

  /**
   * A change committed that a run must carry. `urgent`: it owes someone a send (a message to a
   * channel-bound recipient, or its next channel after a fallback): carried at once rather than
   * batched, since waiting would add to the delivery's latency and a delivery job costs the same
   * whether it shares a run or not.
   */
  changed(now: number, urgent = false): void {
    if (this.waiting++ === 0) this.oldestAt = now;
    if (urgent) this.urgent = true;
    if (!this.running) this.decide(now);
  }

  /** A run begins: it carries everything committed so far. */
  runStarted(now: number): void {
    this.running = true;
    this.lastRunAt = now;
    this.waiting = 0;
    this.urgent = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The run ended; changes committed meanwhile were not in it. */
  runEnded(now: number): void {
    this.running = false;
    this.lastRunAt = now;
    if (this.waiting > 0) this.decide(now);
  }

  private decide(now: number): void {
    const due =
      this.urgent || now - this.lastRunAt >= QUIET_MS ? now : this.waiting >= BATCH_CHANGES ? this.lastRunAt + MIN_GAP_MS : this.oldestAt + MAX_WAIT_MS;
    if (due <= now) return this.start();
    if (this.timer !== undefined) {
      if (this.timerAt <= due) return;
      clearTimeout(this.timer);
    }
    this.timerAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, due - now);
  }
}
