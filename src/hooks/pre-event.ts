import type { SendMessage } from "../contract/message";
import { PreEventVerdict } from "../contract/settings";
import { settingsOf } from "../settings/cached";
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
  const { hook } = await settingsOf(env, accountId);
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
