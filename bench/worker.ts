/**
 * Bench-only Worker entry: the real Parley Worker (every export of ../src/index.ts) plus a few
 * `/__bench/*` routes that `bench/run.mjs` needs. Never deployed; `bench/wrangler.toml` points here.
 *
 * - `POST /__bench/baseline/{name}`: the ceiling. Same call-path shape as a real send (an
 *   authenticated-looking JSON POST, parsed, an RPC via idFromName to a SQLite-backed DO that does
 *   one synchronous INSERT and returns the row, answered 201 JSON) with none of Parley's work.
 * - `POST /__bench/direct/{conversation_id}[?ns=nodrain]`: a profiling variant that calls
 *   ConversationDO.send by RPC straight from here, skipping Hono, auth, zod validation and the other
 *   middleware, so (b) minus this is the cost of the HTTP layer and this minus the baseline is the
 *   DO's own cost. With `ns=nodrain` it goes to `ConversationNoDrainDO`, the real class with its
 *   outbox in manual drain mode and never drained to D1: the DO's write path alone.
 * - `POST /__bench/conversations?ns=nodrain`: creates a conversation in that namespace.
 * - `GET /__bench/d1/messages?ids=a,b,c`: which of these message ids are in D1 (the lag probe).
 * - `GET /__bench/projection/stats`: the projection consumer's counters in this isolate
 *   (`projectionStats`: D1 batches, payloads and conversations), read around the (c) slices.
 * - `POST /__bench/seed`: inserts synthetic conversation projection rows straight into D1.
 * - `GET /__bench/socket-ceiling/{room}` (WebSocket upgrade, `?admin=` token): the socket-send
 *   ceiling, `SocketCeilingDO`: a `message.send` frame is stored with one INSERT and broadcast.
 * - `POST /__bench/queue-roundtrip {run, n}`: the plain queue round trip, the delivery consumer's
 *   ceiling: `n` jobs of about a delivery job's size onto the bench-only BENCH_ROUNDTRIP queue (by
 *   sendBatch, 100 at a time, as the delivery sink sends), whose consumer (same batch settings as
 *   parley-delivery in bench/wrangler.toml) only notes when each arrived and acks it.
 *   `GET /__bench/queue-roundtrip/{run}`: what arrived of that run (count, duplicates, first and
 *   last arrival, each job's send -> arrival ms; the Worker's clock).
 *
 * - `POST /__bench/history/{conversations|messages|append}`, `GET /__bench/history/words`: the history
 *   cases' seeding (bench/history.ts): listing rows; messages straight into D1 (the search triggers
 *   index them); a long conversation appended in its object through the send path; the vocabulary.
 *
 * `/__bench/*` answers only to the deployment's ADMIN_TOKEN, like the admin routes; everything
 * else falls through to the real app.
 */
import { DurableObject } from "cloudflare:workers";
import { getTableColumns } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { conversations, conversationTags } from "../src/db/schema";
import type { Env } from "../src/env";
import { ConversationDO } from "../src/conversation/conversation-do";
import { renderConversation, type ConversationRow } from "../src/conversation/rows";
import { newId } from "../src/lib/ids";
import { listingRow } from "../src/projection/listing";
import { projectionStats } from "../src/projection/stats";
import type { SendMessage } from "../src/contract/message";
import parley from "../src/index";
import { seedHistory, VOCABULARY, type ConversationDO as HistoryConversationDO } from "./history";

export * from "../src/index";
// Shadows the real class of the star export above: the same object, plus the bench-only benchAppend (bench/history.ts).
export { ConversationDO } from "./history";

export interface BenchEnv extends Env {
  BASELINE: DurableObjectNamespace<BaselineDO>;
  BROADCAST: DurableObjectNamespace<BroadcastDO>;
  CONVERSATION_NODRAIN: DurableObjectNamespace<ConversationNoDrainDO>;
  SOCKET_CEILING: DurableObjectNamespace<SocketCeilingDO>;
  BENCH_ROUNDTRIP: Queue<RoundtripJob>;
}

/** The bench-only queue of the plain round trip (bench/wrangler.toml). */
const ROUNDTRIP_QUEUE = "parley-bench-roundtrip";

/** A round-trip job: shaped like a DeliveryJob (ids of the same lengths), plus when it was sent. */
export type RoundtripJob = { v: 1; run: string; k: number; sent_at: number; account_id: string; conversation_id: string; message_id: string; index: number; participant_id: string; step: number; kind: "send" };

/** What arrived per run, in this isolate (the consumer runs in the same one under wrangler dev). */
const roundtrips = new Map<string, { seen: Set<number>; duplicates: number; first: number; last: number; latencies: number[] }>();

/** The trivial consumer: note each job's arrival (Date.now() as the batch is handed over), ack them all. */
function consumeRoundtrips(batch: MessageBatch<RoundtripJob>): void {
  const now = Date.now();
  for (const message of batch.messages) {
    const { run, k, sent_at } = message.body;
    let rec = roundtrips.get(run);
    if (!rec) roundtrips.set(run, (rec = { seen: new Set(), duplicates: 0, first: now, last: now, latencies: [] }));
    if (rec.seen.has(k)) {
      rec.duplicates++;
      continue;
    }
    rec.seen.add(k);
    rec.last = Math.max(rec.last, now);
    rec.first = Math.min(rec.first, now);
    rec.latencies.push(now - sent_at);
  }
  batch.ackAll();
}

/**
 * The real ConversationDO with its outbox in manual drain mode, never drained: every send still
 * commits its message, conversation update and outbox rows in one transaction (and the alarm keeps
 * its other duties), but nothing leaves the outbox, for D1 or the account stream.
 */
export class ConversationNoDrainDO extends ConversationDO {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.outbox.mode = "manual";
  }
}

export type BaselineRow = { id: string; index: number; account_id: string; body: string; created_at: string };

/** The ceiling: a SQLite-backed DO whose one RPC method does one synchronous INSERT and returns the row. */
export class BaselineDO extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS items (
         idx INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, account_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL
       )`,
    );
  }

  insert(accountId: string, body: string): BaselineRow {
    const id = newId("message");
    const now = Date.now();
    const row = this.ctx.storage.sql
      .exec<{ idx: number }>("INSERT INTO items (id, account_id, body, created_at) VALUES (?, ?, ?, ?) RETURNING idx", id, accountId, body, now)
      .one();
    return { id, index: row.idx, account_id: accountId, body, created_at: new Date(now).toISOString() };
  }
}

const json = (value: unknown, status = 200) => Response.json(value, { status });
const BENCH_PREFIX = "/__bench/";

/** Synthetic listing rows, shaped as the ConversationDO's outbox would have projected them. */
const STATUSES = ["open", "open", "open", "resolved", "closed"] as const;
const CHANNELS = ["sms", "whatsapp", "email", "chat", "messenger"] as const;
const TAGS = ["vip", "billing", "support", "sales", "returns", "urgent"];
const DAY_MS = 86_400_000;

async function seed(env: BenchEnv, accountId: string, start: number, count: number): Promise<string[]> {
  const db = drizzle(env.DB);
  const now = Date.now();
  const rows: (typeof conversations.$inferInsert)[] = [];
  for (let i = start; i < start + count; i++) {
    // Spread over the past 30 days; never in the future, so live conversations sort first.
    const created = now - 30 * DAY_MS + ((i * 7919) % (29 * DAY_MS));
    const activity = Math.min(now - 1000, created + ((i * 104729) % DAY_MS));
    const conv: ConversationRow = {
      id: newId("conversation"),
      account_id: accountId,
      unique_name: null,
      friendly_name: `Seeded conversation ${i}`,
      subject: i % 3 === 0 ? `Order #${100000 + i}` : null,
      channel: CHANNELS[i % CHANNELS.length]!,
      status: STATUSES[i % STATUSES.length]!,
      tags: JSON.stringify([TAGS[i % TAGS.length]!, TAGS[(i * 5 + 1) % TAGS.length]!].filter((t, k, a) => a.indexOf(t) === k)),
      attributes: JSON.stringify({ seeded: true, n: i }),
      next_index: i % 40,
      last_activity_at: activity,
      inactive_after_ms: null,
      closed_after_ms: null,
      retention_messages_ms: null,
      retention_conversation_ms: null,
      legal_hold: 0,
      created_at: created,
      updated_at: activity,
      deleted_at: null,
    };
    // Version 1: no outbox pass of a real conversation ever writes these rows.
    rows.push(listingRow(conv, renderConversation(conv, 2, undefined), 1));
  }
  // D1 binds at most 100 parameters per statement: as many rows per INSERT as fit, all in one batch.
  const perStatement = Math.floor(100 / Object.keys(getTableColumns(conversations)).length);
  const statements = [];
  for (let i = 0; i < rows.length; i += perStatement) statements.push(db.insert(conversations).values(rows.slice(i, i + perStatement)));
  // The tag index the projection keeps beside each row (3 columns a row).
  const tagRows = rows.flatMap((r) => (JSON.parse(r.tags) as string[]).map((tag) => ({ accountId: r.accountId, tag, conversationId: r.id })));
  for (let i = 0; i < tagRows.length; i += 33) statements.push(db.insert(conversationTags).values(tagRows.slice(i, i + 33)));
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return rows.map((r) => r.id);
}

/**
 * The fan-out ceiling: a minimal broadcast room with hibernating sockets. A publish inserts one row
 * (so the output gate holds the frames until it is durable, as for a real send) and sends one JSON
 * frame, serialized once, to every socket. No participants, presence, outbox or validation.
 */
export class BroadcastDO extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS items (idx INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, created_at INTEGER NOT NULL)");
  }

  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].send(JSON.stringify({ type: "ready" }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  publish(body: string): { index: number } {
    const now = Date.now();
    const index = this.ctx.storage.sql.exec<{ idx: number }>("INSERT INTO items (body, created_at) VALUES (?, ?) RETURNING idx", body, now).one().idx;
    const frame = JSON.stringify({ type: "message.added", message: { index, body, created_at: new Date(now).toISOString() } });
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // closed under us
      }
    }
    return { index };
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }
}

/**
 * The socket-send ceiling: a minimal room with hibernating sockets that takes
 * `{"type":"message.send","client_id","body"}` frames. Each is stored with one synchronous INSERT
 * (so the output gate holds the frames until it is durable, as for a Parley commit), then one
 * `message.added` frame, serialized once, goes to every other socket and a `message.ack` to the
 * sender. No participants, presence, idempotency, validation, rate limits or outbox.
 */
export class SocketCeilingDO extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS items (idx INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL)");
  }

  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].send(JSON.stringify({ type: "ready" }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override webSocketMessage(sender: WebSocket, data: string | ArrayBuffer): void {
    let frame: { type?: string; client_id?: string; body?: string };
    try {
      frame = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
    } catch {
      return;
    }
    if (frame.type !== "message.send" || typeof frame.client_id !== "string") return;
    const body = typeof frame.body === "string" ? frame.body : "";
    const now = Date.now();
    const index = this.ctx.storage.sql
      .exec<{ idx: number }>("INSERT INTO items (client_id, body, created_at) VALUES (?, ?, ?) RETURNING idx", frame.client_id, body, now)
      .one().idx;
    const message = { index, body, created_at: new Date(now).toISOString() };
    const text = JSON.stringify({ type: "message.added", message });
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === sender) continue;
      try {
        ws.send(text);
      } catch {
        // closed under us
      }
    }
    try {
      sender.send(JSON.stringify({ type: "message.ack", client_id: frame.client_id, message }));
    } catch {
      // closed under us
    }
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }
}

async function bench(request: Request, env: BenchEnv, path: string): Promise<Response> {
  const url = new URL(request.url);
  const [route, arg] = path.slice(BENCH_PREFIX.length).split("/", 2);

  if (route === "broadcast" && arg) {
    const room = env.BROADCAST.get(env.BROADCAST.idFromName(arg));
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") return room.fetch(request);
    if (request.method === "POST") {
      const body = (await request.json()) as { body?: string };
      return json(await room.publish(body.body ?? ""), 201);
    }
  }

  if (route === "socket-ceiling" && arg && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
    return env.SOCKET_CEILING.get(env.SOCKET_CEILING.idFromName(arg)).fetch(request);
  }

  if (route === "queue-roundtrip" && request.method === "POST" && !arg) {
    const { run, n } = (await request.json()) as { run?: string; n?: number };
    if (!run || !(typeof n === "number" && n > 0 && n <= 10_000)) return json({ error: "run and 0 < n <= 10000 are required" }, 400);
    const sentAt = Date.now();
    const jobs: MessageSendRequest<RoundtripJob>[] = Array.from({ length: n }, (_, k) => ({
      body: { v: 1, run, k, sent_at: sentAt, account_id: newId("account"), conversation_id: newId("conversation"), message_id: newId("message"), index: k, participant_id: newId("participant"), step: 0, kind: "send" },
      contentType: "json",
    }));
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < jobs.length; i += 100) sends.push(env.BENCH_ROUNDTRIP.sendBatch(jobs.slice(i, i + 100)));
    await Promise.all(sends);
    return json({ sent: n, sent_at: sentAt }, 201);
  }

  if (route === "queue-roundtrip" && request.method === "GET" && arg) {
    const rec = roundtrips.get(arg);
    if (!rec) return json({ count: 0, duplicates: 0, first: null, last: null, latencies: [] });
    return json({ count: rec.seen.size, duplicates: rec.duplicates, first: rec.first, last: rec.last, latencies: rec.latencies });
  }

  if (route === "baseline" && request.method === "POST" && arg) {
    // Mirrors the real send's shape: the bearer is required, the JSON parsed, one RPC, 201 JSON.
    const body = (await request.json()) as { body?: string };
    const row = await env.BASELINE.get(env.BASELINE.idFromName(arg)).insert("acct_bench", body.body ?? "");
    return json(row, 201);
  }

  // The generic stub types wrap results in unions that no longer narrow on `ok` (see src/api/http.ts).
  const namespace = (url.searchParams.get("ns") === "nodrain" ? env.CONVERSATION_NODRAIN : env.CONVERSATION) as unknown as DurableObjectNamespace;
  const stub = (name: string) => namespace.get(namespace.idFromName(name)) as unknown as Pick<ConversationDO, "send" | "create">;

  if (route === "direct" && request.method === "POST" && arg) {
    const accountId = request.headers.get("x-account-id") ?? "";
    const input = (await request.json()) as SendMessage;
    const outcome = await stub(arg).send(accountId, input);
    return outcome.ok ? json(outcome.value, outcome.status ?? 200) : json(outcome.problem, outcome.problem.status);
  }

  if (route === "conversations" && request.method === "POST") {
    const { account_id } = (await request.json()) as { account_id: string };
    const id = newId("conversation");
    const outcome = await stub(id).create(account_id, id, {});
    return outcome.ok ? json({ id }, 201) : json(outcome.problem, outcome.problem.status);
  }

  if (route === "d1" && arg === "messages" && request.method === "GET") {
    const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
    if (ids.length === 0) return json({ found: [] });
    // One bound parameter whatever the number of ids (D1 allows at most 100 per statement).
    const { results } = await env.DB.prepare("SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(ids))
      .all<{ id: string }>();
    return json({ found: results.map((r) => r.id) });
  }

  if (route === "projection" && arg === "stats" && request.method === "GET") return json(projectionStats);

  if (route === "seed" && request.method === "POST") {
    const { account_id, start = 0, count } = (await request.json()) as { account_id: string; start?: number; count: number };
    if (!account_id || !(count > 0 && count <= 5000)) return json({ error: "account_id and 0 < count <= 5000 are required" }, 400);
    return json({ inserted: (await seed(env, account_id, start, count)).length }, 201);
  }

  // The history cases (issue 8): listing rows, then messages into D1 (search indexes them), and a long conversation in its object.
  if (route === "history" && request.method === "POST") {
    const body = (await request.json()) as { account_id: string; count?: number; conversation_ids?: string[]; from_index?: number; per_conversation?: number; conversation_id?: string; author?: string };
    if (arg === "conversations" && body.count) return json({ ids: await seed(env, body.account_id, 0, body.count) }, 201);
    if (arg === "messages" && body.conversation_ids && body.per_conversation) {
      return json({ inserted: await seedHistory(env.DB, body.account_id, body.conversation_ids, body.from_index ?? 0, body.per_conversation) }, 201);
    }
    if (arg === "append" && body.conversation_id && body.count && body.author) {
      const stub = env.CONVERSATION.get(env.CONVERSATION.idFromName(body.conversation_id)) as unknown as Pick<HistoryConversationDO, "benchAppend">;
      const outcome = await stub.benchAppend(body.account_id, body.count, body.author);
      return outcome.ok ? json({ appended: outcome.value }, 201) : json(outcome.problem, outcome.problem.status);
    }
  }
  if (route === "history" && arg === "words" && request.method === "GET") return json({ vocabulary: VOCABULARY });

  return json({ error: `no bench route ${request.method} ${path}` }, 404);
}

const real = parley as ExportedHandler<Env>;

export default {
  ...real,
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (path.startsWith(BENCH_PREFIX)) {
      // WebSocket clients cannot set headers: the broadcast room's sockets pass the token in the query.
      const presented = request.headers.get("authorization") ?? `Bearer ${new URL(request.url).searchParams.get("admin") ?? ""}`;
      if (!env.ADMIN_TOKEN || presented !== `Bearer ${env.ADMIN_TOKEN}`) return json({ error: "unauthorized" }, 401);
      return bench(request, env, path);
    }
    return real.fetch!(request as Parameters<NonNullable<ExportedHandler<Env>["fetch"]>>[0], env, ctx);
  },
  // The bench-only round-trip queue here; every other queue to the real Worker's dispatch.
  async queue(batch, env, ctx) {
    if (batch.queue === ROUNDTRIP_QUEUE) return consumeRoundtrips(batch as MessageBatch<RoundtripJob>);
    return real.queue!(batch as MessageBatch, env, ctx);
  },
} satisfies ExportedHandler<BenchEnv>;
