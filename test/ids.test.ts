import { describe, expect, it, vi } from "vitest";
import { isId, newId } from "../src/lib/ids";

// Ids are public (message ids, conversation ids): they must stay well-formed, unique, in the order
// they were made, and unguessable, whatever source of randomness makes them.
describe("ids", () => {
  it("are well-formed, unique and sort in the order they were made", () => {
    const ids = Array.from({ length: 5000 }, () => newId("message"));
    expect(ids.every((id) => isId("message", id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("draw every character of their random part about equally often", () => {
    // Fresh milliseconds only: within one, a monotonic ULID increments the last id instead of drawing.
    let clock = Date.now();
    const now = vi.spyOn(Date, "now").mockImplementation(() => ++clock);
    const counts = new Map<string, number>();
    let drawn = 0;
    for (let i = 0; i < 3000; i++) {
      const random = newId("conversation").slice("conv_".length + 10);
      for (const ch of random) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      drawn += random.length;
    }
    now.mockRestore();
    // All 32 characters of Crockford's base32, each within 15% of its share: a wrong mapping of the
    // pooled bytes (half the alphabet, or bytes reused across ids) fails this.
    expect(counts.size).toBe(32);
    const expected = drawn / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });
});
