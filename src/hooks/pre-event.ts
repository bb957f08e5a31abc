import type { SendMessage } from "../contract/message";
import { PreEventVerdict } from "../contract/settings";
import { readHook } from "../db/queries/settings";
import type { Env } from "../env";
import { newId } from "../lib/ids";
import { LIMITS } from "../lib/limits";
import { problem, ProblemError } from "../lib/problem";
import { signatureHeader } from "../webhooks/secrets";

/**
 * The pre-event hook: an account's own endpoint, asked before a message is committed whether it
 * may go (`allow`), with what changes (`modify`: a new body, new attributes), or not at all
 * (`reject`, with a reason the sender sees as a 422). Asked with the Standard Webhooks signature
 * of the account's hook secret, as webhooks are, and given LIMITS.preEventHookTimeoutMs: a hook that
 * does not answer in time, or answers something else than a verdict, lets the message through
 * unchanged, and the message says so (`attributes.parley.pre_event_hook`).
 */
export type PreEvent =
  | { outcome: "allowed" | "modified"; input: SendMessage }
  | { outcome: "timeout" | "failed"; input: SendMessage }
  | { outcome: "rejected"; reason: string };

export type Hook = { url: string; secret: string };

/** Per isolate: the account's hook (or that it has none) for a while, so a send pays no D1 read. */
const cache = new Map<string, { hook: Hook | null; until: number }>();
const CACHE_MS = 30_000;

/** The account's hook, from the isolate's cache when fresh. */
export async function hookOf(env: Env, accountId: string, now = Date.now()): Promise<Hook | null> {
  const cached = cache.get(accountId);
  if (cached && cached.until > now) return cached.hook;
  const hook = await readHook(env, accountId);
  cache.set(accountId, { hook, until: now + CACHE_MS });
  return hook;
}

/** What the cache knows without a read: the hook, null for none, undefined when it must be read. */
export function knownHook(accountId: string, now = Date.now()): Hook | null | undefined {
  const cached = cache.get(accountId);
  return cached && cached.until > now ? cached.hook : undefined;
}

/** Forgets the cached hook of an account on this isolate (its settings changed here). */
export function forgetHook(accountId: string): void {
  cache.delete(accountId);
}

/**
 * Asks the hook about a message for `conversationId`. The request body is
 * `{type: "message.pre_add", id, account_id, conversation_id, occurred_at, data: {message}}`; the
 * answer is `{"action": "allow"}`, `{"action": "reject", "reason": …}` or `{"action": "modify",
 * "body"?: …, "attributes"?: …}` (a 204 is allow).
 */
export async function askHook(hook: Hook, accountId: string, conversationId: string, input: SendMessage, fetch: typeof globalThis.fetch = globalThis.fetch): Promise<PreEvent> {
  const id = newId("hook");
  const now = new Date();
  const payload = JSON.stringify({ type: "message.pre_add", id, account_id: accountId, conversation_id: conversationId, occurred_at: now.toISOString(), data: { message: input } });
  let response: Response;
  try {
    response = await fetch(hook.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(LIMITS.preEventHookTimeoutMs),
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": signatureHeader([hook.secret], id, now, payload) },
      body: payload,
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { outcome: timedOut ? "timeout" : "failed", input };
  }
  if (response.status === 204) return { outcome: "allowed", input };
  if (response.status < 200 || response.status > 299) return { outcome: "failed", input };
  let verdict: PreEventVerdict;
  try {
    verdict = PreEventVerdict.parse(await response.json());
  } catch {
    return { outcome: "failed", input };
  }
  if (verdict.action === "allow") return { outcome: "allowed", input };
  if (verdict.action === "reject") return { outcome: "rejected", reason: verdict.reason };
  return {
    outcome: "modified",
    input: { ...input, ...(verdict.body !== undefined ? { body: verdict.body } : {}), ...(verdict.attributes !== undefined ? { attributes: verdict.attributes } : {}) },
  };
}

/**
 * A message through the account's hook, if it has one: the message to commit (changed, or noted
 * when the hook could not answer), or a 422 problem (thrown) with the hook's reason.
 */
export async function throughHook(env: Env, accountId: string, conversationId: string, input: SendMessage): Promise<SendMessage> {
  const hook = await hookOf(env, accountId);
  if (!hook) return input;
  const result = await askHook(hook, accountId, conversationId, input);
  if (result.outcome === "rejected") throw new ProblemError(problem(422, `the pre-event hook refused the message: ${result.reason}`, [{ path: "body", message: result.reason }]));
  return noted(result);
}

/** The message as it goes on after the hook: a hook that could not answer is noted on it. */
export function noted(result: Extract<PreEvent, { input: SendMessage }>): SendMessage {
  if (result.outcome === "allowed" || result.outcome === "modified") return result.input;
  return { ...result.input, attributes: { ...result.input.attributes, parley: { pre_event_hook: result.outcome } } };
}
