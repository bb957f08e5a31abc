import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../src/app";
import type { EventEnvelope } from "../src/contract/events";
import type { Env } from "../src/env";
import { LIMITS } from "../src/lib/limits";
import { consumeWebhooks, failDeadWebhooks, retryDelaySeconds } from "../src/webhooks/consumer";
import { enqueueWebhooks } from "../src/webhooks/fanout";
import type { WebhookJob } from "../src/webhooks/job";
import { call, env, newAccount, problemOf, sleep } from "./helpers";
import { createWebhook, fakeBatch, insertEvent } from "./webhook-fixtures";

const job = (accountId: string, webhookId: string, eventId: string, extra: Partial<WebhookJob> = {}): WebhookJob => ({ v: 1, account_id: accountId, webhook_id: webhookId, event_id: eventId, ...extra });

type Seen = { url: string; init: RequestInit; headers: Headers; body: string; at: number };
/** A fake network for consumeWebhooks: each URL answered by its own function. */
function network(answers: Record<string, (seen: Seen) => Response | Promise<Response>>) {
  const seen: Seen[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const s = { url, init, headers: new Headers(init.headers), body: String(init.body), at: Date.now() };
    seen.push(s);
    const answer = answers[url];
    if (!answer) throw new TypeError(`no route to ${url}`);
    return answer(s);
  };
  return { fetch, seen };
}

/** Never answers; fails as fetch does when its signal aborts. */
const hang = (s: Seen) =>
  new Promise<Response>((_resolve, reject) => {
    const signal = s.init.signal!;
    signal.addEventListener("abort", () => reject(signal.reason));
  });

const deliveries = async (key: string, webhookId: string, query = "") => {
  const res = await call("GET", `/v1/webhooks/${webhookId}/deliveries${query}`, { key });
  expect(res.status).toBe(200);
  return res.json as { data: any[]; next_cursor: string | null };
};

const webhookRow = (id: string) => env.DB.prepare("SELECT enabled, disabled_reason, failing_since FROM webhooks WHERE id = ?").bind(id).first<{ enabled: number; disabled_reason: string | null; failing_since: number | null }>();

afterEach(() => vi.restoreAllMocks());

// ---- the consumer -----------------------------------------------------------------------------------

describe("the WEBHOOKS consumer", () => {
  it("POSTs the stored envelope, signed, with content-type json, a timeout and redirects not followed; a 2xx is delivered and logged", async () => {
    const { id: accountId, key } = await newAccount();
    const hook = await createWebhook(key);
    const event = await insertEvent(accountId, "message.added");
    const net = network({ "http://receiver.test/hook": () => new Response(`{"ok":true}`) });
    const { batch, outcome } = fakeBatch([{ body: job(accountId, hook.id, event.id) }]);
    await consumeWebhooks(batch, env, net.fetch);
    expect(outcome).toEqual({ acked: ["m0"], retried: [] });
    const [request] = net.seen;
    expect(request!.init).toMatchObject({ method: "POST", redirect: "manual" });
    expect(request!.init.signal).toBeInstanceOf(AbortSignal);
    expect(request!.headers.get("content-type")).toBe("application/json");
    expect(request!.body).toBe(event.payload);
    expect(request!.headers.get("webhook-id")).toBe(event.id);
    const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, request!.headers.get(h)!]));
    expect(new Webhook(hook.secret).verify(request!.body, headers)).toEqual(JSON.parse(event.payload));
    const log = await deliveries(key, hook.id);
    expect(log.data).toEqual([
      expect.objectContaining({ webhook_id: hook.id, event_id: event.id, event_type: "message.added", attempt: 1, replay: false, outcome: "delivered", status_code: 200, response_excerpt: '{"ok":true}', error: null, next_retry_at: null }),
    ]);
    expect(log.data[0].id).toMatch(/^whd_/);
    expect(typeof log.data[0].latency_ms).toBe("number");
  });

  it("retries a failing endpoint with backoff: each attempt logged with its status, excerpt and next retry; then the dead-letter queue marks it failed", async () => {
    const { id: accountId, key } = await newAccount();
    const hook = await createWebhook(key);
    const event = await insertEvent(accountId, "message.added");
    const net = network({ "http://receiver.test/hook": () => new Response("x".repeat(2000), { status: 503 }) });
    const now = Date.now();
    for (const attempts of [1, 2, 3]) {
      const { batch, outcome } = fakeBatch([{ attempts, body: job(accountId, hook.id, event.id) }]);
      await consumeWebhooks(batch, env, net.fetch, { now: () => now + attempts });
      expect(outcome).toEqual({ acked: [], retried: [{ id: "m0", delaySeconds: 30 * 2 ** (attempts - 1) }] });
    }
    expect(net.seen).toHaveLength(3);
    const log = (await deliveries(key, hook.id)).data;
    expect(log.map((d) => d.attempt)).toEqual([3, 2, 1]); // newest first
    for (const d of log) {
      expect(d).toMatchObject({ outcome: "retrying", status_code: 503, error: "HTTP 503" });
      expect(d.response_excerpt).toBe("x".repeat(LIMITS.webhookResponseExcerptChars));
      expect(Date.parse(d.next_retry_at)).toBe(now + d.attempt + 30_000 * 2 ** (d.attempt - 1));
    }
    expect((await webhookRow(hook.id))!.failing_since).toBe(now + 1);

    // The queue's retries ran out: the job's last attempt is failed, with no retry due.
    const dead = fakeBatch([{ body: job(accountId, hook.id, event.id) }]);
    await failDeadWebhooks(dead.batch, env);
    expect(dead.outcome.acked).toEqual(["m0"]);
    const after = (await deliveries(key, hook.id)).data;
    expect(after).toHaveLength(3);
    expect(after[0]).toMatchObject({ attempt: 3, outcome: "failed", next_retry_at: null });
    expect(after[1]).toMatchObject({ attempt: 2, outcome: "retrying" });
    // A job that dead-lettered with no attempt recorded (Parley failing throughout) gets a row saying so.
    const other = await insertEvent(accountId, "message.updated");
    await failDeadWebhooks(fakeBatch([{ body: job(accountId, hook.id, other.id) }]).batch, env);
    expect((await deliveries(key, hook.id)).data[0]).toMatchObject({ event_id: other.id, event_type: "message.updated", attempt: 0, outcome: "failed", status_code: null, error: expect.stringContaining("dead-lettered") });
  });

  it("backs off 30 s doubling to 2 h: about 26 hours over the queue's 20 retries", () => {
    const delays = Array.from({ length: 20 }, (_, i) => retryDelaySeconds(i + 1));
    expect(delays.slice(0, 9)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7200]);
    expect(Math.max(...delays)).toBe(7200);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBe(94_050); // 26 h 7.5 min
    expect(total).toBeGreaterThan(86_400);
  });

  it("a redirect is a failure, not followed; a network error and a timeout have no status code", async () => {
    const { id: accountId, key } = await newAccount();
    const redirecting = await createWebhook(key, { url: "http://receiver.test/moved" });
    const unreachable = await createWebhook(key, { url: "http://receiver.test/down" });
    const event = await insertEvent(accountId, "conversation.created");
    const net = network({ "http://receiver.test/moved": () => new Response(null, { status: 301, headers: { location: "http://169.254.169.254/" } }) });
    const { batch, outcome } = fakeBatch([{ body: job(accountId, redirecting.id, event.id) }, { body: job(accountId, unreachable.id, event.id) }]);
    await consumeWebhooks(batch, env, net.fetch);
    expect(outcome.retried.map((r) => r.id).sort()).toEqual(["m0", "m1"]);
    expect(net.seen.map((s) => s.url).sort()).toEqual(["http://receiver.test/down", "http://receiver.test/moved"]);
    expect((await deliveries(key, redirecting.id)).data[0]).toMatchObject({ status_code: 301, outcome: "retrying", error: expect.stringContaining("redirects are not followed") });
    expect((await deliveries(key, unreachable.id)).data[0]).toMatchObject({ status_code: null, outcome: "retrying", error: expect.stringContaining("network error") });
  });

  it("one hanging endpoint does not delay a healthy one: its delivery arrives and is logged while the other waits for its timeout", async () => {
    const { id: accountId, key } = await newAccount();
    const slow = await createWebhook(key, { url: "http://receiver.test/slow" });
    const healthy = await createWebhook(key, { url: "http://receiver.test/healthy" });
    const event = await insertEvent(accountId, "message.added");
    let healthyLoggedBeforeTimeout = -1;
    let slowTimedOut = false;
    const net = network({
      "http://receiver.test/slow": async (s) => {
        try {
          return await hang(s);
        } finally {
          // When the slow one gives up, the healthy one's delivery is already in the log.
          healthyLoggedBeforeTimeout = (await deliveries(key, healthy.id)).data.filter((d) => d.outcome === "delivered").length;
          slowTimedOut = true;
        }
      },
      "http://receiver.test/healthy": () => {
        expect(slowTimedOut).toBe(false);
        return new Response("ok");
      },
    });
    // The slow endpoint's job comes first in the batch.
    const { batch, outcome } = fakeBatch([{ body: job(accountId, slow.id, event.id) }, { body: job(accountId, healthy.id, event.id) }]);
    const started = Date.now();
    await consumeWebhooks(batch, env, net.fetch, { timeoutMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(healthyLoggedBeforeTimeout).toBe(1);
    expect(net.seen.find((s) => s.url.endsWith("/healthy"))!.at - started).toBeLessThan(250);
    expect(outcome.acked).toEqual(["m1"]);
    expect(outcome.retried).toEqual([{ id: "m0", delaySeconds: 30 }]);
    const timedOut = (await deliveries(key, slow.id)).data[0];
    expect(timedOut).toMatchObject({ status_code: null, outcome: "retrying", error: "timed out after 300 ms", response_excerpt: null });
    expect(timedOut.latency_ms).toBeGreaterThanOrEqual(290);
    expect(timedOut.next_retry_at).not.toBeNull();
    expect((await deliveries(key, healthy.id)).data[0]).toMatchObject({ outcome: "delivered", status_code: 200 });
  });

  it("drops a job for a deleted or disabled endpoint, another account's, or an event not in D1, without sending", async () => {
    const { id: accountId, key } = await newAccount();
    const { id: otherAccount } = await newAccount();
    const disabled = await createWebhook(key, { enabled: false });
    const deleted = await createWebhook(key);
    const live = await createWebhook(key);
    expect((await call("DELETE", `/v1/webhooks/${deleted.id}`, { key })).status).toBe(204);
    const event = await insertEvent(accountId, "message.added");
    const net = network({});
    const { batch, outcome } = fakeBatch([
      { body: job(accountId, disabled.id, event.id) },
      { body: job(accountId, deleted.id, event.id) },
      { body: job(otherAccount, live.id, event.id) },
      { body: job(accountId, live.id, "evt_gone") },
    ]);
    await consumeWebhooks(batch, env, net.fetch);
    expect(net.seen).toHaveLength(0);
    expect(outcome).toEqual({ acked: ["m0", "m1", "m2", "m3"], retried: [] });
    expect((await deliveries(key, live.id)).data).toEqual([]);
  });

  it("disables an endpoint that has failed for 3 days with no success; a success in between starts the count again; enabling clears it", async () => {
    const { id: accountId, key } = await newAccount();
    const hook = await createWebhook(key);
    const event = await insertEvent(accountId, "message.added");
    let status = 500;
    const net = network({ "http://receiver.test/hook": () => new Response("", { status }) });
    const attempt = async (at: number) => {
      const { batch, outcome } = fakeBatch([{ body: job(accountId, hook.id, event.id) }]);
      await consumeWebhooks(batch, env, net.fetch, { now: () => at });
      return outcome;
    };
    const day = 86_400_000;
    const t0 = Date.now();
    await attempt(t0);
    expect((await webhookRow(hook.id))!.failing_since).toBe(t0);
    await attempt(t0 + 2 * day);
    expect((await webhookRow(hook.id))!.failing_since).toBe(t0); // set on the first failure only
    status = 200;
    await attempt(t0 + 2 * day + 1);
    expect((await webhookRow(hook.id))!.failing_since).toBeNull();
    status = 500;
    const t1 = t0 + 2 * day + 2;
    await attempt(t1);
    await attempt(t1 + 3 * day - 1);
    expect((await webhookRow(hook.id))!.enabled).toBe(1);
    await attempt(t1 + 3 * day);
    const got = (await call("GET", `/v1/webhooks/${hook.id}`, { key })).json;
    expect(got).toMatchObject({ enabled: false, failing_since: new Date(t1).toISOString(), disabled_reason: expect.stringContaining("3 days") });
    // An account event says so, kept in D1 like the others (and sent to the account's other endpoints that take it).
    const said = await env.DB.prepare("SELECT payload FROM events WHERE account_id = ? AND type = 'webhook.disabled'").bind(accountId).first<{ payload: string }>();
    expect(JSON.parse(said!.payload)).toMatchObject({ type: "webhook.disabled", conversation_id: null, sequence: 0, data: { webhook_id: hook.id, reason: expect.stringContaining("3 days") } });
    // Jobs still queued for it are dropped now.
    const sends = net.seen.length;
    expect(await attempt(t1 + 3 * day + 1)).toEqual({ acked: ["m0"], retried: [] });
    expect(net.seen).toHaveLength(sends);
    // Enabling it again starts afresh.
    const enabled = await call("PATCH", `/v1/webhooks/${hook.id}`, { key, body: { enabled: true } });
    expect(enabled.json).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
  });
});

// ---- fan-out ---------------------------------------------------------------------------------------------

describe("the two lanes", () => {
  it("a failure in the first lane is acked and handed to the slow lane with its retry delay; a failing endpoint's new events start there", async () => {
    const { id: accountId, key } = await newAccount();
    const failing = await createWebhook(key, { url: "http://receiver.test/down", events: ["*"] });
    const healthy = await createWebhook(key, { url: "http://receiver.test/up", events: ["*"] });
    const event = await insertEvent(accountId, "message.added");
    const net = network({ "http://receiver.test/down": () => new Response("no", { status: 500 }), "http://receiver.test/up": () => new Response("ok") });
    const handed: { body: WebhookJob; delaySeconds?: number }[] = [];
    const WEBHOOKS_SLOW = { send: async (body: WebhookJob, o?: { delaySeconds?: number }) => void handed.push({ body, delaySeconds: o?.delaySeconds }) } as unknown as Queue<WebhookJob>;
    const { batch, outcome } = fakeBatch([{ body: job(accountId, failing.id, event.id) }, { body: job(accountId, healthy.id, event.id) }], "parley-webhooks");
        await consumeWebhooks(batch, { ...env, WEBHOOKS_SLOW } as Env, net.fetch);
    expect(outcome.acked.sort()).toEqual(["m0", "m1"]);
    expect(outcome.retried).toEqual([]);
    expect(handed).toEqual([{ body: job(accountId, failing.id, event.id, { attempts_before: 1 }), delaySeconds: 30 }]);
    // In the slow lane its next try is counted as the second.
    const slow = fakeBatch([{ attempts: 1, body: handed[0]!.body }]);
    await consumeWebhooks(slow.batch, env, net.fetch);
    expect(slow.outcome.retried).toEqual([{ id: "m0", delaySeconds: 60 }]);
    expect((await deliveries(key, failing.id)).data.map((d: { attempt: number }) => d.attempt)).toEqual([2, 1]);

    // failing_since is set now: the endpoint's next events go to the slow lane directly.
    const lanes: Record<string, string[]> = { fast: [], slow: [] };
    const rec = (lane: string) => ({ sendBatch: async (m: { body: WebhookJob }[]) => void lanes[lane]!.push(...m.map((x) => x.body.webhook_id)) }) as unknown as Queue<WebhookJob>;
    await enqueueWebhooks({ ...env, WEBHOOKS: rec("fast"), WEBHOOKS_SLOW: rec("slow") } as Env, [JSON.parse(event.payload) as EventEnvelope]);
    expect(lanes).toEqual({ fast: [healthy.id], slow: [failing.id] });
  });
});

describe("the first lane's short wait", () => {
  it("an endpoint that has not answered in 2 s is handed to the slow lane at once, to be tried with its full timeout", async () => {
    const { id: accountId, key } = await newAccount();
    const hanging = await createWebhook(key, { url: "http://receiver.test/hang", events: ["*"] });
    const event = await insertEvent(accountId, "message.added");
    const net = network({ "http://receiver.test/hang": ({ init }) => new Promise((_r, reject) => init.signal?.addEventListener("abort", () => reject(init.signal!.reason))) });
    const handed: { body: WebhookJob; delaySeconds?: number }[] = [];
    const WEBHOOKS_SLOW = { send: async (body: WebhookJob, o?: { delaySeconds?: number }) => void handed.push({ body, delaySeconds: o?.delaySeconds }) } as unknown as Queue<WebhookJob>;
    const { batch, outcome } = fakeBatch([{ body: job(accountId, hanging.id, event.id) }], "parley-webhooks");
        const started = Date.now();
    await consumeWebhooks(batch, { ...env, WEBHOOKS_SLOW } as Env, net.fetch);
    expect(Date.now() - started).toBeLessThan(LIMITS.webhookTimeoutMs);
    expect(outcome.acked).toEqual(["m0"]);
    expect(handed).toEqual([{ body: job(accountId, hanging.id, event.id, { attempts_before: 1 }), delaySeconds: 0 }]);
    expect((await deliveries(key, hanging.id)).data[0]).toMatchObject({ outcome: "retrying", error: `timed out after ${LIMITS.webhookFirstLaneTimeoutMs} ms` });
  });
});

describe("enqueueWebhooks", () => {
  /** env with WEBHOOKS recording what is sent and D1 counting its queries. */
  function recording() {
    const sent: WebhookJob[][] = [];
    let queries = 0;
    const DB = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare") return (sql: string) => ((queries += 1), target.prepare(sql));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const WEBHOOKS = { sendBatch: async (messages: { body: WebhookJob }[]) => void sent.push(messages.map((m) => m.body)) } as unknown as Queue<WebhookJob>;
    return { env: { ...env, DB, WEBHOOKS } as Env, sent, queries: () => queries };
  }

  it("queues one job per (enabled endpoint, event) whose filter takes the event: exact names, family wildcards, *", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const c = await newAccount(); // no endpoints
    const messages = await createWebhook(a.key, { events: ["message.*"] });
    const closed = await createWebhook(a.key, { events: ["conversation.closed", "participant.added"] });
    const all = await createWebhook(a.key, { events: ["*"] });
    const disabled = await createWebhook(a.key, { events: ["message.added"], enabled: false });
    const theirs = await createWebhook(b.key, { events: ["*"] });
    const envelope = (account: string, type: string, id: string) => ({ id, type, account_id: account, conversation_id: "conv_x", sequence: 1, occurred_at: new Date().toISOString(), data: {} }) as EventEnvelope;
    const events = [
      envelope(a.id, "message.added", "e1"),
      envelope(a.id, "conversation.closed", "e2"),
      envelope(a.id, "message.deleted", "e3"),
      envelope(a.id, "conversation.updated", "e4"),
      envelope(b.id, "participant.removed", "e5"),
      envelope(c.id, "message.added", "e6"),
    ];
    const rec = recording();
    await enqueueWebhooks(rec.env, events);
    expect(rec.queries()).toBe(1); // one D1 query for the three accounts
    const jobs = rec.sent.flat();
    const pairs = jobs.map((j) => `${j.webhook_id} ${j.event_id}`).sort();
    expect(pairs).toEqual(
      [`${messages.id} e1`, `${messages.id} e3`, `${closed.id} e2`, `${all.id} e1`, `${all.id} e2`, `${all.id} e3`, `${all.id} e4`, `${theirs.id} e5`].sort(),
    );
    expect(jobs.some((j) => j.webhook_id === disabled.id)).toBe(false);
    expect(jobs.every((j) => j.v === 1 && j.replay === undefined)).toBe(true);
    expect(jobs.find((j) => j.event_id === "e5")!.account_id).toBe(b.id);
  });

  it("costs one query and sends nothing when no account has endpoints; nothing at all for no events", async () => {
    const { id } = await newAccount();
    const rec = recording();
    await enqueueWebhooks(rec.env, [{ id: "e", type: "message.added", account_id: id, conversation_id: "conv_x", sequence: 1, occurred_at: new Date().toISOString(), data: {} }]);
    expect([rec.queries(), rec.sent.length]).toEqual([1, 0]);
    await enqueueWebhooks(rec.env, []);
    expect([rec.queries(), rec.sent.length]).toEqual([1, 0]);
  });

  it("takes a projection batch's worth of accounts in its one query (more than D1's 100 bound parameters), by the index", async () => {
    const a = await newAccount();
    const hook = await createWebhook(a.key, { events: ["message.added"] });
    const events = Array.from({ length: 150 }, (_, i) => ({ id: `e${i}`, type: "message.added", account_id: i === 149 ? a.id : `acct_other_${i}`, conversation_id: "conv_x", sequence: 1, occurred_at: new Date().toISOString(), data: {} }) as EventEnvelope);
    const rec = recording();
    await enqueueWebhooks(rec.env, events);
    expect(rec.queries()).toBe(1);
    expect(rec.sent.flat()).toEqual([{ v: 1, account_id: a.id, webhook_id: hook.id, event_id: "e149" }]);
    const plan = await env.DB.prepare("EXPLAIN QUERY PLAN SELECT id FROM webhooks WHERE account_id IN (SELECT value FROM json_each(?)) AND enabled = 1").bind("[]").all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("; ")).toContain("USING INDEX webhooks_by_account");
  });

  it("through the real queue: the endpoint receives the event, signed, and the delivery is logged", async () => {
    const { id: accountId, key } = await newAccount();
    const hook = await createWebhook(key, { url: "http://receiver.test/e2e", events: ["message.added"] });
    const event = await insertEvent(accountId, "message.added");
    const received = interceptReceiver();
    await enqueueWebhooks(env, [event]);
    const got = await received.waitFor(1);
    expect(got[0]!.url).toBe("http://receiver.test/e2e");
    expect(new Webhook(hook.secret).verify(got[0]!.body, got[0]!.headers)).toEqual(JSON.parse(event.payload));
    await until(async () => (await deliveries(key, hook.id)).data.length === 1);
    expect((await deliveries(key, hook.id)).data[0]).toMatchObject({ event_id: event.id, outcome: "delivered", attempt: 1 });
  });
});

// ---- the log and replays ---------------------------------------------------------------------------------

/** Intercepts the Worker's own fetch to receiver.test (the real queue's consumer runs in this isolate). */
function interceptReceiver(answer: () => Response = () => new Response("ok")) {
  const received: { url: string; headers: Record<string, string>; body: string}[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).host !== "receiver.test") return real(input, init);
    received.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    return answer();
  });
  return {
    received,
    async waitFor(n: number) {
      await until(async () => received.length >= n);
      return received;
    },
  };
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(20);
  }
}

describe("the delivery log and replays", () => {
  let accountId: string;
  let key: string;
  beforeEach(async () => ({ id: accountId, key } = await newAccount()));

  it("lists deliveries newest first with a cursor", async () => {
    const hook = await createWebhook(key);
    const net = network({ "http://receiver.test/hook": () => new Response("fine") });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const event = await insertEvent(accountId, "message.added");
      ids.push(event.id);
      await consumeWebhooks(fakeBatch([{ body: job(accountId, hook.id, event.id) }]).batch, env, net.fetch);
    }
    const first = await deliveries(key, hook.id, "?limit=2");
    const second = await deliveries(key, hook.id, `?limit=2&cursor=${first.next_cursor}`);
    const third = await deliveries(key, hook.id, `?limit=2&cursor=${second.next_cursor}`);
    expect([...first.data, ...second.data, ...third.data].map((d) => d.event_id)).toEqual(ids.reverse());
    expect(third.next_cursor).toBeNull();
    problemOf(await call("GET", `/v1/webhooks/${hook.id}/deliveries?cursor=junk`, { key }), 400);
    // Another account's endpoint has no log to show this one.
    const { key: other } = await newAccount();
    problemOf(await call("GET", `/v1/webhooks/${hook.id}/deliveries`, { key: other }), 404);
  });

  it("replays one delivery: the same event, queued again with replay: true (202), and logged as a replay", async () => {
    const hook = await createWebhook(key);
    const event = await insertEvent(accountId, "message.added");
    await consumeWebhooks(fakeBatch([{ body: job(accountId, hook.id, event.id) }]).batch, env, network({ "http://receiver.test/hook": () => new Response("", { status: 500 }) }).fetch);
    const failed = (await deliveries(key, hook.id)).data[0];
    const received = interceptReceiver();
    const res = await call("POST", `/v1/webhooks/${hook.id}/deliveries/${failed.id}/replay`, { key, body: {} });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ queued: 1, truncated: false, next_from: null });
    const [got] = await received.waitFor(1);
    expect(got!.headers["webhook-id"]).toBe(event.id);
    expect(got!.body).toBe(event.payload);
    await until(async () => (await deliveries(key, hook.id)).data.length === 2);
    expect((await deliveries(key, hook.id)).data[0]).toMatchObject({ event_id: event.id, replay: true, attempt: 1, outcome: "delivered" });
    problemOf(await call("POST", `/v1/webhooks/${hook.id}/deliveries/whd_01JD5V7J3E9Q8M2K4N6P0R1S2T/replay`, { key, body: {} }), 404);
    // A disabled endpoint takes no replay.
    await call("PATCH", `/v1/webhooks/${hook.id}`, { key, body: { enabled: false } });
    problemOf(await call("POST", `/v1/webhooks/${hook.id}/deliveries/${failed.id}/replay`, { key, body: {} }), 409);
  });

  it("replays a time range: the account's events in [from, to) that the filter takes, oldest first", async () => {
    const hook = await createWebhook(key, { events: ["message.*", "conversation.closed"] });
    const { id: otherAccount } = await newAccount();
    const base = Date.parse("2026-03-01T10:00:00.000Z");
    const inRange = [await insertEvent(accountId, "message.added", base), await insertEvent(accountId, "conversation.closed", base + 1000), await insertEvent(accountId, "message.updated", base + 2000)];
    await insertEvent(accountId, "participant.added", base + 1500); // not in the filter
    await insertEvent(accountId, "message.added", base - 1); // before
    await insertEvent(accountId, "message.added", base + 3000); // at `to`: excluded
    await insertEvent(otherAccount, "message.added", base + 500); // another account's
    const received = interceptReceiver();
    const res = await call("POST", `/v1/webhooks/${hook.id}/replay`, { key, body: { from: "2026-03-01T10:00:00Z", to: "2026-03-01T10:00:03Z" } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ queued: 3, truncated: false, next_from: null });
    await received.waitFor(3);
    expect(received.received.map((r) => r.headers["webhook-id"]).sort()).toEqual(inRange.map((e) => e.id).sort());
    await until(async () => (await deliveries(key, hook.id)).data.length === 3);
    expect((await deliveries(key, hook.id)).data.every((d) => d.replay)).toBe(true);
    expect(problemOf(await call("POST", `/v1/webhooks/${hook.id}/replay`, { key, body: { from: "2026-03-01T10:00:03Z", to: "2026-03-01T10:00:00Z" } }), 422).errors![0]!.path).toBe("body.to");
    problemOf(await call("POST", `/v1/webhooks/${hook.id}/replay`, { key, body: { from: "yesterday", to: "2026-03-01T10:00:00Z" } }), 422);
  });

  it("queues at most 1000 events per range replay and says where the rest start", async () => {
    const hook = await createWebhook(key, { events: ["message.added"] });
    const base = Date.parse("2026-04-01T00:00:00.000Z");
    const n = LIMITS.webhookReplayEvents + 5;
    const statements = Array.from({ length: n }, (_, i) =>
      env.DB.prepare("INSERT INTO events (id, account_id, conversation_id, type, sequence, occurred_at, payload) VALUES (?, ?, 'conv_x', 'message.added', ?, ?, '{}')").bind(`evt_cap_${accountId}_${String(i).padStart(5, "0")}`, accountId, i, base + i),
    );
    await env.DB.batch(statements);
    // A queue that records, so a thousand jobs are counted rather than sent.
    const sent: WebhookJob[] = [];
    const WEBHOOKS = { sendBatch: async (messages: { body: WebhookJob }[]) => void sent.push(...messages.map((m) => m.body)) } as unknown as Queue<WebhookJob>;
    const res = await buildApp().request(
      `http://parley.test/v1/webhooks/${hook.id}/replay`,
      { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ from: new Date(base).toISOString(), to: new Date(base + 86_400_000).toISOString() }) },
      { ...env, WEBHOOKS },
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: LIMITS.webhookReplayEvents, truncated: true, next_from: new Date(base + LIMITS.webhookReplayEvents).toISOString() });
    expect(sent).toHaveLength(LIMITS.webhookReplayEvents);
    expect(sent.every((j) => j.replay === true && j.webhook_id === hook.id)).toBe(true);
    expect(sent[0]!.event_id).toBe(`evt_cap_${accountId}_00000`);
  });
});
