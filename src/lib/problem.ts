/**
 * RFC 9457 problem documents. Every error Parley returns is one of these, and every 4xx names the
 * field at fault in `errors[].path` (dotted, rooted at `body`, `query`, `path` or `header`).
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ["bad-request", "Bad request"],
  401: ["unauthorized", "Unauthorized"],
  403: ["forbidden", "Forbidden"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  409: ["conflict", "Conflict"],
  413: ["too-large", "Payload too large"],
  415: ["unsupported-media-type", "Unsupported media type"],
  422: ["unprocessable", "Unprocessable request"],
  429: ["rate-limited", "Too many requests"],
  426: ["upgrade-required", "Upgrade required"],
  500: ["internal", "Internal error"],
  503: ["unavailable", "Service unavailable"],
};

export function problem(status: number, detail: string, errors?: FieldError[]): Problem {
  const [slug, title] = TITLES[status] ?? ["error", "Error"];
  return { type: `https://parley.dev/problems/${slug}`, title, status, detail, ...(errors ? { errors } : {}) };
}

/** Thrown inside the Worker; the app's error handler turns it into a response. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** The one field error of a problem about a single field. */
const at = (detail: string, path?: string): FieldError[] | undefined => (path ? [{ path, message: detail }] : undefined);

export const fail = {
  badRequest: (detail: string, path?: string) => new ProblemError(problem(400, detail, at(detail, path))),
  unauthorized: (detail: string) => new ProblemError(problem(401, detail)),
  notFound: (what: string) => new ProblemError(problem(404, `${what} not found`)),
  conflict: (detail: string, path?: string) => new ProblemError(problem(409, detail, at(detail, path))),
  /** The deployment cannot serve this now (missing configuration): not the client's fault, and not a bug. */
  unavailable: (detail: string) => new ProblemError(problem(503, detail)),
};

export function problemResponse(p: Problem, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/problem+json");
  return new Response(JSON.stringify(p), { status: p.status, headers: h });
}

/**
 * What a Durable Object method returns: errors cross the RPC boundary as data, because a thrown
 * Error loses its class (and so its status) on the way back to the Worker.
 */
export type Outcome<T> =
  | { ok: true; value: T; status?: number; replayed?: boolean }
  | { ok: false; problem: Problem };

export const ok = <T>(value: T, status?: number): Outcome<T> =>
  status === undefined ? { ok: true, value } : { ok: true, value, status };
export const err = (status: number, detail: string, path?: string): { ok: false; problem: Problem } => ({
  ok: false,
  problem: problem(status, detail, at(detail, path)),
});
