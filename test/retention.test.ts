import { describe, expect, it } from "vitest";
import { runRetention, RETENTION_DEFAULTS, type RetentionReport } from "../src/retention/job";
import { call, d1Number, env, errorPaths, newAccount, newConversation, problemOf, send, settle, sleep } from "./helpers";

const DAY = 86_400_000;
const PHONE = "+14155550177";
const withCustomer = (extra: Record<string, unknown> = {}) => ({ participants: [{ kind: "customer", channel: "sms", address: PHONE }], ...extra });

/** Runs the job at `now` until its run has finished (each call is one cron invocation). */
async function retention(now: number, options = RETENTION_DEFAULTS): Promise<RetentionReport> {
  for (let i = 0; i < 100; i++) {
    const report = await runRetention(env, now, options);
    if (report?.finished) return report;
  }
  throw new Error("the retention run did not finish in 100 invocations");
}

/** Waits until D1 has the conversation's deletion (its object may have erased itself by then). */
async function goneFromD1(conversationId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await d1Number("SELECT count(*) AS n FROM deleted_conversations WHERE id = ?", conversationId))) {
    if (Date.now() > deadline) throw new Error(`${conversationId} was not deleted in D1`);
    await sleep(20);
  }
}

const history = async (key: string, id: string) => {
  const res = await call("GET", `/v1/conversations/${id}/messages`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data as { index: number; body: string; deleted_at: string | null }[];
};

describe("retention settings", () => {
  it("are 12 months for messages and conversations with no hold until changed, and merge field by field", async () => {
    const { key } = await newAccount();
    expect((await call("GET", "/v1/settings", { key })).json.retention).toEqual({ messages: "P365D", conversations: "P365D", legal_hold: false });
    const patched = await call("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D" } } });
    expect(patched.status).toBe(200);
    expect(patched.json.retention).toEqual({ messages: "P30D", conversations: "P365D", legal_hold: false });
    await call("PATCH", "/v1/settings", { key, body: { retention: { conversations: null, legal_hold: true } } });
    expect((await call("GET", "/v1/settings", { key })).json.retention).toEqual({ messages: "P30D", conversations: null, legal_hold: true });
  });

  it("refuse a bad duration or hold with a 422 naming the field, and change nothing", async () => {
    const { key } = await newAccount();
    for (const [body, path] of [
      [{ retention: { messages: "P1M" } }, "body.retention.messages"],
      [{ retention: { messages: "PT1H" } }, "body.retention.messages"],
      [{ retention: { conversations: "P99999D" } }, "body.retention.conversations"],
      [{ retention: { conversations: "a year" } }, "body.retention.conversations"],
      [{ retention: { legal_hold: "yes" } }, "body.retention.legal_hold"],
    ] as const) {
      expect(errorPaths(problemOf(await call("PATCH", "/v1/settings", { key, body }), 422))).toContain(path);
    }
    expect((await call("GET", "/v1/settings", { key })).json.retention).toEqual({ messages: "P365D", conversations: "P365D", legal_hold: false });
    expect(errorPaths(problemOf(await call("POST", "/v1/conversations", { key, body: { retention: { conversations: "P0D" } } }), 422))).toContain("body.retention.conversations");
    const conv = await newConversation(key);
    expect(errorPaths(problemOf(await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { retention: { messages: "1 week" } } }), 422))).toContain("body.retention.messages");
    expect(errorPaths(problemOf(await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { legal_hold: 1 } }), 422))).toContain("body.legal_hold");
  });

  it("per conversation: set on create and PATCH, back to the account's with null", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { retention: { messages: "P7D" }, legal_hold: true });
    expect(conv.retention).toEqual({ messages: "P7D", conversations: null });
    expect(conv.legal_hold).toBe(true);
    const patched = await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { retention: { messages: null, conversations: "P2W" }, legal_hold: false } });
    expect(patched.json.retention).toEqual({ messages: null, conversations: "P14D" });
    expect(patched.json.legal_hold).toBe(false);
  });
});

describe("the retention job", () => {
  it("tombstones messages past the message period and deletes conversations past theirs, except under a conversation's legal hold", async () => {
    const { key } = await newAccount();
    await call("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D", conversations: "P90D" } } });
    const held = await newConversation(key, withCustomer({ legal_hold: true }));
    const free = await newConversation(key, withCustomer());
    const ownPeriod = await newConversation(key, withCustomer({ retention: { messages: "P60D" } }));
    for (const c of [held, free, ownPeriod]) for (const body of ["old wombat one", "old wombat two"]) await send(key, c.id, { body, author: PHONE });
    await settle(held.id, free.id, ownPeriod.id);
    const sent = Date.now();

    // 31 days on: the account's 30 days have passed for `free`, not the 60 of `ownPeriod`; `held` is held.
    const first = await retention(sent + 31 * DAY);
    expect(first.messages_deleted).toBeGreaterThanOrEqual(2);
    expect((await history(key, free.id)).map((m) => [m.index, m.body, m.deleted_at !== null])).toEqual([
      [0, "", true],
      [1, "", true],
    ]);
    expect((await history(key, held.id)).map((m) => m.body)).toEqual(["old wombat one", "old wombat two"]);
    expect((await history(key, ownPeriod.id)).map((m) => m.body)).toEqual(["old wombat one", "old wombat two"]);
    await settle(free.id);
    const found = (await call("GET", `/v1/search/messages?q=wombat`, { key })).json.data.map((h: { conversation_id: string }) => h.conversation_id);
    expect(found).not.toContain(free.id);
    expect(found).toContain(held.id);
    const events = (await env.DB.prepare("SELECT payload FROM events WHERE conversation_id = ? AND type = 'message.deleted'").bind(free.id).all<{ payload: string }>()).results.map((r) => JSON.parse(r.payload));
    expect(events.map((e) => [e.reason, e.data.message.index])).toEqual([
      ["retention", 0],
      ["retention", 1],
    ]);

    // 61 days on: ownPeriod's too; 91 days on, the conversations themselves, but the held one.
    await retention(sent + 61 * DAY);
    expect((await history(key, ownPeriod.id)).every((m) => m.deleted_at !== null)).toBe(true);
    const last = await retention(sent + 91 * DAY);
    expect(last.conversations_deleted).toBeGreaterThanOrEqual(2);
    for (const c of [free, ownPeriod]) {
      problemOf(await call("GET", `/v1/conversations/${c.id}`, { key }), 404);
      await goneFromD1(c.id);
    }
    expect((await history(key, held.id)).map((m) => m.body)).toEqual(["old wombat one", "old wombat two"]);
    const deletedEvent = await env.DB.prepare("SELECT payload FROM events WHERE conversation_id = ? AND type = 'conversation.deleted'").bind(free.id).first<{ payload: string }>();
    expect(JSON.parse(deletedEvent!.payload).reason).toBe("retention");
    const listed = (await call("GET", "/v1/conversations", { key })).json.data.map((c: { id: string }) => c.id);
    expect(listed).toEqual([held.id]);
  });

  it("deletes nothing of an account under legal hold, and catches up once the hold is lifted", async () => {
    const { key } = await newAccount();
    await call("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D", conversations: "P90D", legal_hold: true } } });
    const a = await newConversation(key, withCustomer());
    const b = await newConversation(key, withCustomer({ retention: { conversations: "P1D" } }));
    for (const c of [a, b]) await send(key, c.id, { body: "held platypus", author: PHONE });
    await settle(a.id, b.id);
    const sent = Date.now();

    await retention(sent + 400 * DAY);
    for (const c of [a, b]) expect((await history(key, c.id)).map((m) => m.body)).toEqual(["held platypus"]);

    await call("PATCH", "/v1/settings", { key, body: { retention: { legal_hold: false } } });
    await retention(sent + 400 * DAY + 1);
    for (const c of [a, b]) {
      problemOf(await call("GET", `/v1/conversations/${c.id}`, { key }), 404);
      await goneFromD1(c.id);
    }
    expect((await call("GET", `/v1/search/messages?q=platypus`, { key })).json.data).toEqual([]);
  });

  it("leaves a conversation whose hold D1 has not seen yet: the conversation's own state decides", async () => {
    const { key } = await newAccount();
    await call("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D", conversations: "P90D" } } });
    const conv = await newConversation(key, withCustomer());
    await send(key, conv.id, { body: "hold me", author: PHONE });
    await settle(conv.id);
    // The hold is placed, and D1's copy made to say otherwise (as if its projection had not landed).
    await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { legal_hold: true } });
    await settle(conv.id);
    await env.DB.prepare("UPDATE conversations SET legal_hold = 0 WHERE id = ?").bind(conv.id).run();
    await retention(Date.now() + 400 * DAY);
    expect((await history(key, conv.id)).map((m) => m.body)).toEqual(["hold me"]);
  });
});
