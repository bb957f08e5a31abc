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

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(problem(404, `no route for ${c.req.method} ${c.req.path}`));
