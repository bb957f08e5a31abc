import { describe, expect, it } from "vitest";
import { Timers } from "../src/conversation/timers";

/** Just the alarm half of DurableObjectStorage, recording what is set. */
function fakeStorage() {
  const set: number[] = [];
  let alarm: number | null = null;
  const storage = {
    getAlarm: async () => alarm,
    setAlarm: async (at: number) => {
      alarm = at;
      set.push(at);
    },
  } as unknown as DurableObjectStorage;
  return { storage, set };
}

describe("the alarm's duties", () => {
  it("a failing duty is retried by the alarm itself with growing delays, and the alarm does not throw", async () => {
    const { storage, set } = fakeStorage();
    let failing = true;
    let runs = 0;
    const timers = new Timers(storage, {
      outbox: () => {
        runs++;
        if (failing) throw new Error("D1 is down");
        return null;
      },
      liveness: () => null,
      erase: () => null,
      idempotency: () => null,
      lifecycle: () => null,
      drafts: () => null,
    });
    await timers.load();
    const t0 = Date.now();
    await expect(timers.fire()).resolves.toBeUndefined();
    const first = set.at(-1)! - t0;
    await timers.fire();
    const second = set.at(-1)! - Date.now();
    expect(first).toBeGreaterThanOrEqual(900);
    expect(second).toBeGreaterThan(first);
    failing = false;
    const before = set.length;
    await timers.fire();
    expect(runs).toBe(3);
    // Recovered: nothing more is due, so no alarm is set.
    expect(set.length).toBe(before);
  });
});
