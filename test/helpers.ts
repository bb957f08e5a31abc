import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env as rawEnv, exports } from "cloudflare:workers";
import type { ConversationDO } from "../src/conversation/conversation-do";
import type { Env } from "../src/env";

/** The Worker's bindings, typed as the Worker sees them. */
export const env = rawEnv as unknown as Env;

/** Drives the Worker's own fetch handler, as a client over HTTP would. */
export async function call(method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const response = await (exports as unknown as { default: Fetcher }).default.fetch(`http://parley.test${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as any) : null;
  return { status: response.status, headers: response.headers, json };
}

export const ADMIN = "test-admin-token";

/** A fresh account with its own key: each test gets its own tenant, so tests never share rows. */
export async function newAccount(name = "test") {
  const res = await call("POST", "/v1/accounts", { key: ADMIN, body: { name } });
  if (res.status !== 201) throw new Error(`account creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { id: res.json.account.id as string, key: res.json.api_key.key as string };
}

export async function newConversation(key: string, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/conversations", { key, body });
  if (res.status !== 201) throw new Error(`conversation creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

// ---- added for the behaviour suites -----------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The ConversationDO behind a conversation id, addressed exactly as the Worker addresses it. */
export function conversationStub(conversationId: string) {
  return env.CONVERSATION.get(env.CONVERSATION.idFromName(conversationId));
}

/** Rows still waiting in the conversation's outbox (not yet projected into D1). */
export async function outboxCount(conversationId: string): Promise<number> {
  return runInDurableObject(conversationStub(conversationId), (_instance, state) => {
    // A deleted conversation's object erases all its storage once its deletion is in D1: nothing is left to carry.
    if (state.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").toArray().length === 0) return 0;
    const row = state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").toArray()[0];
    return row?.n ?? 0;
  });
}

/**
 * Waits until D1 reflects everything the conversation's `d1` sink has handed to the projection
 * queue: its listing row carries the sink's version (or its tombstone is there). Runs no alarm.
 */
export async function projected(conversationId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const through = await runInDurableObject(conversationStub(conversationId), (instance: ConversationDO, state) => {
      const delivered = instance.outbox.delivered("d1");
      if (delivered > 0 || state.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").toArray().length === 0) return delivered;
      // Progress lives in memory until the next change saves it: an object evicted after its rows
      // were carried (and deleted) restarts at 0. With nothing left in the outbox, everything up to
      // the last row ever written has been handed over, and D1 must reach that.
      if (state.storage.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0) return delivered;
      return state.storage.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").toArray()[0]?.seq ?? 0;
    });
    const row = await env.DB.prepare(
      "SELECT (SELECT version FROM conversations WHERE id = ?1) AS version, EXISTS (SELECT 1 FROM deleted_conversations WHERE id = ?1) AS deleted",
    )
      .bind(conversationId)
      .first<{ version: number | null; deleted: number }>();
    if (through === 0 || row?.deleted || (row?.version ?? -1) >= through) return;
    if (Date.now() > deadline) throw new Error(`D1 did not catch up with ${conversationId} (sink at ${through}, D1 at ${row?.version})`);
    await sleep(10);
  }
}

/**
 * Waits until the conversation's outbox has drained and D1 has what it carried. The outbox drains
 * on its own right after each write; if it has not emptied after a while, the alarm is run by hand.
 */
export async function settle(...conversationIds: string[]): Promise<void> {
  for (const id of conversationIds) {
    const deadline = Date.now() + 10_000;
    let polls = 0;
    while ((await outboxCount(id)) > 0) {
      if (Date.now() > deadline) throw new Error(`outbox of ${id} did not drain`);
      polls++;
      if (polls % 25 === 0) await runDurableObjectAlarm(conversationStub(id));
      else await sleep(10);
    }
    await projected(id);
  }
}

/** One number from D1, e.g. `await d1Number("SELECT count(*) AS n FROM messages WHERE id = ?", id)`. */
export async function d1Number(query: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(query).bind(...binds).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Sends a message and insists it was committed. */
export async function send(key: string, conversationId: string, body: Record<string, unknown> = { body: "hi" }) {
  const res = await call("POST", `/v1/conversations/${conversationId}/messages`, { key, body });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Adds a participant and insists it was added. */
export async function addParticipant(key: string, conversationId: string, body: Record<string, unknown>) {
  const res = await call("POST", `/v1/conversations/${conversationId}/participants`, { key, body });
  if (res.status !== 201) throw new Error(`add participant failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Asserts an RFC 9457 problem document with the given status; returns it. */
export function problemOf(res: { status: number; headers: Headers; json: any }, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) throw new Error(`expected application/problem+json, got ${type}`);
  const p = res.json;
  if (typeof p?.type !== "string" || typeof p?.title !== "string" || p?.status !== status || typeof p?.detail !== "string") {
    throw new Error(`not a problem document: ${JSON.stringify(p)}`);
  }
  return p as { type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] };
}

/** The `errors[].path` values of a problem document. */
export const errorPaths = (p: { errors?: { path: string }[] }) => (p.errors ?? []).map((e) => e.path);

/** Like `call`, but the body is sent as given, with whatever headers the test chooses. */
export async function rawCall(method: string, path: string, init: { key?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  const response = await (exports as unknown as { default: Fetcher }).default.fetch(`http://parley.test${path}`, { method, headers, body: init.body });
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}
