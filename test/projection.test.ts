import { describe, expect, it } from "vitest";
import { call, env, newAccount, newConversation, settle } from "./helpers";

describe("the D1 projection of a conversation", () => {
  it("carries large messages across several bounded batches, each exactly once and complete", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key);
    const body = (n: number) => `${n}:`.padEnd(30 * 1024, "x");
    // 120 messages of 30 KB: several times what one D1 batch may carry.
    for (let i = 0; i < 120; i += 20) {
      const sent = await Promise.all(Array.from({ length: 20 }, (_, k) => call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: body(i + k) } })));
      expect(sent.map((r) => r.status)).toEqual(Array(20).fill(201));
    }
    await settle(conv.id);
    const rows = await env.DB.prepare("SELECT idx, length(body) AS n FROM messages WHERE conversation_id = ? ORDER BY idx")
      .bind(conv.id)
      .all<{ idx: number; n: number }>();
    expect(rows.results.map((r) => r.idx)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(rows.results.every((r) => r.n === 30 * 1024)).toBe(true);
    const listed = await call("GET", `/v1/conversations/${conv.id}`, { key });
    expect(listed.json.message_count).toBe(120);
  });

  it("carries long messages with text beyond Latin-1 intact, several to a payload", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key);
    const body = (n: number) => `${n}:`.padEnd(30 * 1024, "x") + "😀";
    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: body(i) } })));
    expect(sent.map((r) => r.status)).toEqual(Array(6).fill(201));
    await settle(conv.id);
    const rows = await env.DB.prepare("SELECT idx, body FROM messages WHERE conversation_id = ? ORDER BY idx").bind(conv.id).all<{ idx: number; body: string }>();
    expect(rows.results.map((r) => r.idx)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.results.every((r, i) => r.body === body(i))).toBe(true);
  });
});
