import { z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import type { AppEnv, Env } from "../env";
import { canonicalJson, sha256Hex } from "../lib/crypto";
import { encodeCursor } from "../lib/cursor";
import { isId } from "../lib/ids";
import { problem, problemResponse, type FieldError, type Outcome, type Problem, fail } from "../lib/problem";
import { ProblemSchema } from "../contract/common";
import type { ConversationDO, Idempotency } from "../conversation/conversation-do";

/** Zod paths become dotted field names rooted at where the value came from. */
const ROOTS = { json: "body", query: "query", param: "path", header: "header", form: "body", cookie: "cookie" } as const;

function fieldErrors(target: keyof typeof ROOTS, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [ROOTS[target], ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : String(p)))].join(".").replace(/\.\[/g, "["),
    message: issue.message,
  }));
}

/**
 * The app-wide validation hook: a body that breaks a rule is 422 (413 when a size limit is what it
 * broke); a bad query, path or header is 400. Validation runs before the handler, so nothing changes.
 */
export function validationHook(result: { success: boolean; error?: z.ZodError; target: string }): Response | undefined {
  if (result.success || !result.error) return undefined;
  return problemResponse(validationProblem(result.target as keyof typeof ROOTS, result.error));
}

/** The problem for a failed validation, also for checks a handler makes once it knows more (a channel's provider). */
export function validationProblem(target: keyof typeof ROOTS, error: z.ZodError): Problem {
  const errors = fieldErrors(target, error);
  const tooLarge = error.issues.some((i) => i.code === "custom" && (i as { params?: { status?: number } }).params?.status === 413);
  const status = tooLarge ? 413 : target === "json" ? 422 : 400;
  const first = errors[0];
  return problem(status, first ? `${first.path}: ${first.message}` : "invalid request", errors);
}

/**
 * A response whose body the route's zod schema documents. The DO's outcome is typed on its side of
 * the RPC boundary; the phantom type here only lets it stand where the route expects its response.
 */
type RouteResponse = Response & TypedResponse<never, never, "json">;

/** Turns a Durable Object's outcome into the HTTP response. */
export function respond<T>(c: Context<AppEnv>, outcome: Outcome<T>, map?: (value: T) => unknown): RouteResponse {
  if (!outcome.ok) return problemResponse(outcome.problem) as RouteResponse;
  const status = outcome.status ?? 200;
  const headers: Record<string, string> = outcome.replayed ? { "idempotent-replayed": "true" } : {};
  if (status === 204) return c.body(null, 204, headers) as unknown as RouteResponse;
  return c.json(map ? map(outcome.value) : outcome.value, status as 200, headers) as unknown as RouteResponse;
}

/** A Durable Object's page (keyed by the last row's position) as the API's `{ data, next_cursor }`. */
export const cursorPage = <T>(p: { data: T[]; next: number | null }) => ({ data: p.data, next_cursor: p.next === null ? null : encodeCursor(p.next) });

/** The Idempotency-Key of an unsafe request, with a fingerprint of what was asked. */
export async function idempotency(c: Context<AppEnv>, body: unknown): Promise<Idempotency | undefined> {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return undefined;
  const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${canonicalJson(body)}`);
  return { key, fingerprint };
}

/**
 * The ConversationDO's RPC surface as the Worker sees it. Its methods return plain data
 * (structured-cloned across the boundary), so the promise of the method's own return type is exact;
 * the runtime's generic stub type would wrap each result in a union that no longer narrows on `ok`.
 */
type ConversationRpc = {
  [K in keyof ConversationDO as ConversationDO[K] extends (...args: never[]) => unknown ? K : never]: ConversationDO[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** The conversation's Durable Object; a malformed id is unknown without waking anything. */
export function conversation(env: Env, id: string): ConversationRpc {
  if (!isId("conversation", id)) throw fail.notFound("conversation");
  return env.CONVERSATION.get(env.CONVERSATION.idFromName(id)) as unknown as ConversationRpc;
}

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: problem(status, "").title, content: { "application/problem+json": { schema: ProblemSchema } } },
    ]),
  );

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** OpenAPI security for routes that take either credential (typed loosely: a literal union breaks route inference). */
export const API_KEY_OR_TOKEN: Record<string, string[]>[] = [{ ApiKey: [] }, { ParticipantToken: [] }];
