import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/env";
import worker from "../src/index";
import { RETENTION_CRON, runRetention, type RetentionReport } from "../src/retention/job";
import { candidates } from "../src/retention/candidates";
import { claimRun, releaseRun } from "../src/retention/runs";
import { call, env, newAccount, newConversation, send, settle } from "./helpers";

const DAY = 86_400_000;

/** Every message.deleted event D1 holds for these conversations, as `conversation:index`. */
async function deletedEvents(ids: string[]): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT conversation_id, payload ->> '$.data.message.index' AS idx FROM events WHERE type = 'message.deleted' AND conversation_id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(ids))
    .all<{ conversation_id: string; idx: number }>();
  return rows.results.map((r) => `${r.conversation_id}:${r.idx}`).sort();
}

describe("the retention job, interrupted", () => {
  it("resumes where it stopped: a budget smaller than the work, many invocations, every message tombstoned once", async () => {
    const { key } = await newAccount();
    await call("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D", conversations: "P3650D" } } });
    const convs = [];
    for (let c = 0; c < 3; c++) {
      const conv = await newConversation(key);
      for (let i = 0; i < 5; i++) await send(key, conv.id, { body: `numbat ${c}.${i}` });
      convs.push(conv.id as string);
    }
    await settle(...convs);
    const now = Date.now() + 31 * DAY;

    // Two conversation calls of two messages each per invocation, batches of two rows: 15 messages take several.
    const options = { batchRows: 2, callsPerRun: 2, messagesPerCall: 2, leaseMs: 60_000 };
    const reports: RetentionReport[] = [];
    for (let i = 0; i < 50; i++) {
      const report = await runRetention(env, now, options);
      expect(report).not.toBeNull();
      reports.push(report!);
      if (report!.finished) break;
      // What it did so far is real and stays done: the projection of it lands meanwhile.
      await settle(...convs);
    }
    expect(reports.length).toBeGreaterThan(3);
    expect(reports.at(-1)!.finished).toBe(true);
    expect(reports.slice(0, -1).every((r) => !r.finished && r.calls <= reports.at(-1)!.calls)).toBe(true);
    // The run kept its instant across invocations.
    expect(new Set(reports.map((r) => r.started_at))).toEqual(new Set([now]));
    expect(reports.at(-1)!.messages_deleted).toBe(15);

    await settle(...convs);
    for (const id of convs) {
      const history = (await call("GET", `/v1/conversations/${id}/messages`, { key })).json.data as { index: number; deleted_at: string | null }[];
      expect(history.map((m) => m.index)).toEqual([0, 1, 2, 3, 4]);
      expect(history.every((m) => m.deleted_at !== null)).toBe(true);
    }
    // Nothing lost, nothing done twice: one event per message.
    expect(await deletedEvents(convs)).toEqual(convs.flatMap((id) => [0, 1, 2, 3, 4].map((i) => `${id}:${i}`)).sort());

    // A second run at the same instant finds nothing left to do.
    const again = await runRetention(env, now, options);
    const finish = again!.finished ? again! : (await runRetention(env, now, options))!;
    expect(finish.messages_deleted).toBe(0);
  });

  it("lets only one invocation hold a run at a time, and a released run carries on at the next", async () => {
    const options = { batchRows: 100, callsPerRun: 400, messagesPerCall: 200, leaseMs: 60_000 };
    const holder = await claimRun(env.DB, Date.now(), options.leaseMs);
    expect(holder).not.toBeNull();
    expect(await runRetention(env, Date.now(), options)).toBeNull();
    await releaseRun(env.DB, holder!);
    expect(await runRetention(env, Date.now(), options)).not.toBeNull();
  });

  it("runs from the Worker's scheduled handler, judged at the controller's scheduledTime", async () => {
    const { key } = await newAccount();
    await call("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D", conversations: "P3650D" } } });
    const conv = await newConversation(key);
    await send(key, conv.id, { body: "echidna" });
    await settle(conv.id);

    const tick = async (scheduledTime: number) => {
      const ctx = createExecutionContext();
      await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ scheduledTime, cron: RETENTION_CRON }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    // Ten days on, the message is kept; thirty-one days on, it is a tombstone.
    await tick(Date.now() + 10 * DAY);
    expect((await call("GET", `/v1/conversations/${conv.id}/messages`, { key })).json.data[0].body).toBe("echidna");
    await tick(Date.now() + 31 * DAY);
    const [message] = (await call("GET", `/v1/conversations/${conv.id}/messages`, { key })).json.data;
    expect(message).toMatchObject({ index: 0, body: "" });
    expect(message.deleted_at).not.toBeNull();
  });
});

describe("the retention job's reads", () => {
  it("are index searches, never a scan of conversations or messages", async () => {
    const { id: accountId } = await newAccount();
    const policy = { messagesMs: 30 * DAY, conversationsMs: 365 * DAY, legalHold: false };
    const expected = {
      conversations: "conversations_retention_default",
      conversations_own: "conversations_retention_own",
      messages: "messages_retention",
      messages_own: "conversations_retention_messages_own",
    } as const;
    for (const phase of Object.keys(expected) as (keyof typeof expected)[]) {
      const statements: { sql: string; binds: unknown[] }[] = [];
      const spy = {
        prepare: (sql: string) => ({ bind: (...binds: unknown[]) => ({ all: async () => (statements.push({ sql, binds }), { results: [] }) }) }),
      } as unknown as D1Database;
      await candidates(spy, phase, accountId, policy, Date.now(), null, 10);
      expect(statements).toHaveLength(1);
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${statements[0]!.sql}`).bind(...statements[0]!.binds).all<{ detail: string }>()).results.map((r) => r.detail);
      for (const d of plan) expect(d, `${phase}: ${plan.join(" | ")}`).not.toMatch(/^SCAN /);
      expect(plan[0], phase).toMatch(new RegExp(`^SEARCH \\w+ USING INDEX ${expected[phase]} \\(account_id=\\?`));
    }
  });
});
