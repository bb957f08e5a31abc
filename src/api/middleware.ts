import { HTTPException } from "hono/http-exception";
import { createMiddleware } from "hono/factory";
import type { ErrorHandler, NotFoundHandler } from "hono";
import type { AppEnv } from "../env";
import { problem, problemResponse, ProblemError } from "../lib/problem";

/** JSON APIs take JSON: a form or text body is refused up front instead of parsing as `{}`. */
export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if ((method === "POST" || method === "PATCH" || method === "PUT") && c.req.header("content-length") !== "0") {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      return problemResponse(problem(415, "send the body as JSON with content-type: application/json", [{ path: "header.content-type", message: `got "${type}"` }]));
    }
  }
  await next();
});

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ProblemError) return problemResponse(error.problem);
  if (error instanceof HTTPException) {
    const status = error.status;
    const detail = status === 413 ? "the request body is too large" : error.message || "bad request";
    return problemResponse(problem(status, detail, status === 400 ? [{ path: "body", message: detail }] : undefined));
  }
  // A Durable Object that is overloaded or briefly unavailable says so on the error: the client
  // should retry, and nothing was committed.
  const flags = error as { overloaded?: boolean; retryable?: boolean };
  if (flags.overloaded || flags.retryable) {
    console.warn(`durable object ${flags.overloaded ? "overloaded" : "unavailable"} on ${c.req.method} ${c.req.path}`);
    return problemResponse(problem(flags.overloaded ? 429 : 503, "the conversation is busy; retry shortly"), { "retry-after": "1" });
  }
  // Anything else is a bug: log it (never the request's secrets) and answer a bare 500.
  console.error(`unhandled error on ${c.req.method} ${c.req.path}:`, error);
  return problemResponse(problem(500, "something went wrong on our side"));
};

/** The order methods are listed in an `Allow` header. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** A matcher for a router path such as `/v1/conversations/:conversation_id` (`strict: false`: a trailing slash is fine). */
function pathMatcher(path: string): RegExp {
  const segments = path.split("/").map((s) => (s.startsWith(":") ? "[^/]+" : s === "*" ? ".*" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${segments.join("/")}/?$`);
}

/**
 * The app's not-found handler: a path some route serves, asked with another method, is a 405 whose
 * `Allow` lists the methods routed there; any other path is a 404. The table is built from the
 * router's own routes (middleware, registered for ALL methods, is not a route) on first use, once
 * every route is registered.
 */
export function notFound(routes: () => readonly { method: string; path: string }[]): NotFoundHandler<AppEnv> {
  let table: { matches: RegExp; method: string }[] | undefined;
  return (c) => {
    table ??= routes().filter((r) => r.method !== "ALL").map((r) => ({ matches: pathMatcher(r.path), method: r.method.toUpperCase() }));
    const allowed = new Set(table.filter((r) => r.matches.test(c.req.path)).map((r) => r.method));
    if (allowed.size === 0) return problemResponse(problem(404, `no route for ${c.req.method} ${c.req.path}`));
    const allow = METHODS.filter((m) => allowed.has(m)).join(", ");
    return problemResponse(problem(405, `${c.req.method} is not allowed on ${c.req.path}; it takes ${allow}`), { allow });
  };
}
