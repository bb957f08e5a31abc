/**
 * Every duty of the conversation's one alarm, by name. A Durable Object has a single alarm, so the
 * duties are multiplexed onto it: each has its own due time, and the alarm is set for the earliest.
 * An alarm does not keep the object awake between runs, as a timer would, and survives eviction.
 *
 * - `outbox`: the durable fallback of the outbox, a few seconds after each change (its runs after
 *   a commit need no alarm; this one carries what they could not, and after an eviction);
 * - `liveness`: while sockets are connected, a sweep for sockets that stopped answering pings;
 * - `idempotency`: forgetting Idempotency-Keys once they are past the replay window;
 * - `lifecycle`: the conversation's inactive_after and closed_after timers (lifecycle/);
 * - `erase`: after the conversation was deleted, deleting its alarm and all its storage once the
 *   deletion has reached D1 (commands/deletion.ts);
 * - `drafts`: AI drafts waiting for review expire when their time is up (commands/drafts.ts).
 *
 * Due times live in memory. After an eviction they are unknown, so the first alarm runs every duty
 * (each is cheap when it has nothing to do and idempotent, since alarms are at-least-once); a duty
 * that has run and wants nothing more is idle until something schedules it again.
 */
export type Duty = "outbox" | "liveness" | "idempotency" | "lifecycle" | "erase" | "drafts";

/** Runs a duty at `now`; returns when it next wants to run, or null. */
export type DutyRunner = (now: number) => Promise<number | null> | number | null;

/** Order of a run: the chores first, the outbox (the one that talks to other services), then erasing a deleted conversation once the outbox has carried its deletion. */
const ORDER: readonly Duty[] = ["liveness", "idempotency", "lifecycle", "drafts", "outbox", "erase"];
/**
 * Duties that run whenever the alarm fires, due or not: the outbox's run costs one read when there
 * is nothing to carry, and an alarm that comes early (a retry, an earlier duty) is its chance to
 * delete rows already carried.
 */
const EVERY_ALARM: ReadonlySet<Duty> = new Set(["outbox"]);
/** The longest wait between retries of a failing duty. */
const RETRY_MAX_MS = 5 * 60_000;

export class Timers {
  private readonly due = new Map<Duty, number | "idle">();
  /** Consecutive failures of each duty, for its retry backoff (in memory: an eviction starts over). */
  private readonly failures = new Map<Duty, number>();
  /** When the alarm is set for: null none, undefined unknown (before `load`). */
  private alarmAt: number | null | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly duties: Record<Duty, DutyRunner>,
  ) {}

  /** Reads the alarm already set, if any. Without it, scheduling could move an earlier alarm later. */
  async load(): Promise<void> {
    this.alarmAt = await this.storage.getAlarm();
  }

  /** For an object with no storage yet: it cannot have an alarm. */
  none(): void {
    this.alarmAt = null;
  }

  /** For an object whose storage is being deleted (alarm included): forgets every due time, so nothing arms the alarm again. */
  stop(): void {
    this.due.clear();
    this.alarmAt = null;
  }

  /** Asks for `duty` to run at `at` (a no-op if it is due sooner). */
  schedule(duty: Duty, at: number): void {
    const current = this.due.get(duty);
    // Already due sooner: make sure an alarm is set for it (it may have been lost with a failed run).
    const when = typeof current === "number" && current <= at ? current : at;
    this.due.set(duty, when);
    this.arm(when);
  }

  /** The alarm handler: every duty that is due (or unknown), then the alarm for the next. */
  async fire(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    for (const duty of ORDER) {
      const due = this.due.get(duty);
      if (!EVERY_ALARM.has(duty) && (due === "idle" || (typeof due === "number" && due > now))) continue;
      this.due.set(duty, "idle");
      try {
        const next = await this.duties[duty](now);
        this.failures.delete(duty);
        if (next !== null) this.schedule(duty, next);
      } catch (error) {
        // Retried by our own alarm with backoff, not by throwing: the runtime's retries of a
        // throwing alarm run out after a few minutes and leave nothing scheduled.
        const failures = (this.failures.get(duty) ?? 0) + 1;
        this.failures.set(duty, failures);
        const delay = Math.min(RETRY_MAX_MS, 1000 * 2 ** (failures - 1));
        console.error(`alarm duty ${duty} failed (${failures} in a row); retrying in ${delay} ms:`, error);
        this.due.set(duty, now + delay);
      }
    }
    const next = Math.min(...[...this.due.values()].filter((d): d is number => typeof d === "number"));
    if (Number.isFinite(next)) this.arm(next);
  }

  private arm(at: number): void {
    if (typeof this.alarmAt === "number" && this.alarmAt <= at) return;
    this.alarmAt = at;
    // Not awaited on purpose: the output gate holds our reply until the alarm write is durable.
    void this.storage.setAlarm(at);
  }
}
