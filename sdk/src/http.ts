// The one place the SDK talks HTTP: auth, JSON, a timeout per try, retries with backoff that honour
// Retry-After, one Idempotency-Key per call reused across its tries, and typed errors.
import { errorFor, ParleyConnectionError, ParleyError, ParleyTimeoutError } from "./errors";
import { backoffMs, MAX_RETRY_AFTER_MS, retryableStatus, retryAfterMs, sleep } from "./retry";
import type { ProblemDocument, RequestOptions } from "./types";

export type Credential = string | (() => string | Promise<string>);

export type HttpOptions = {
  baseUrl: string;
  credential: Credential | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
};

export type Call = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, unknown> | undefined;
  /** JSON, or for uploads the bytes themselves with their `contentType`. */
  body?: unknown;
  contentType?: string;
  /** The route takes an Idempotency-Key: one is sent on every try of the call, so retries are safe. */
  idempotencyKey?: boolean;
  /** Answer the 2xx Response itself, its body unread (a stream; the timeout covers its headers). */
  stream?: boolean;
};

const RETRY_BASE_MS = 500;
const RETRY_CAP_MS = 8_000;

/** A random UUID; crypto.randomUUID is missing from insecure browser contexts. */
export function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `?a=1&b=x`: undefined and null left out, arrays repeated, the rest as strings. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export async function resolveCredential(credential: Credential | undefined): Promise<string | undefined> {
  return typeof credential === "function" ? credential() : credential;
}

function problemFrom(status: number, statusText: string, text: string): ProblemDocument {
  try {
    const parsed = JSON.parse(text) as Partial<ProblemDocument>;
    if (parsed && typeof parsed === "object" && typeof parsed.status === "number") {
      return { type: parsed.type ?? "about:blank", title: parsed.title ?? statusText, status: parsed.status, detail: parsed.detail ?? "", ...(parsed.errors && { errors: parsed.errors }) };
    }
  } catch {
    // not JSON: a proxy's page, say
  }
  return { type: "about:blank", title: statusText || `HTTP ${status}`, status, detail: text.slice(0, 500) };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error; retry: boolean; waitMs?: number | undefined };

export class Http {
  constructor(readonly options: HttpOptions) {}

  async request<T>(call: Call, opts: RequestOptions = {}): Promise<T> {
    const { method } = call;
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    const credential = await resolveCredential(this.options.credential);
    if (credential) headers.authorization = `Bearer ${credential}`;
    let body: BodyInit | undefined;
    if (call.body !== undefined) {
      if (call.contentType) {
        headers["content-type"] = call.contentType;
        body = call.body as BodyInit;
      } else {
        headers["content-type"] = "application/json";
        body = JSON.stringify(call.body);
      }
    }
    if (call.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey ?? randomId();
    // Reads and keyed writes are safe to repeat; another write is repeated only on a 429, which the
    // server answers before doing anything.
    const repeatable = method === "GET" || method === "DELETE" || method === "PUT" || call.idempotencyKey === true;
    const url = `${this.options.baseUrl}${call.path}${queryString(call.query)}`;
    const maxRetries = opts.maxRetries ?? this.options.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.once(url, { method, headers, body }, opts, repeatable, call.stream === true);
      if (outcome.ok) return outcome.value as T;
      if (!outcome.retry || attempt >= maxRetries || opts.signal?.aborted) throw outcome.error;
      if (outcome.waitMs !== undefined && outcome.waitMs > MAX_RETRY_AFTER_MS) throw outcome.error;
      await sleep(outcome.waitMs ?? backoffMs(attempt, RETRY_BASE_MS, RETRY_CAP_MS), opts.signal);
    }
  }

  /** One try, within its own timeout; the body is read inside it too (unless it is a stream). */
  private async once(url: string, init: RequestInit, opts: RequestOptions, repeatable: boolean, stream: boolean): Promise<Outcome> {
    const controller = new AbortController();
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
      const fetchImpl = this.options.fetch;
      const res = await fetchImpl(url, { ...init, signal: controller.signal });
      if (res.status === 204) return { ok: true, value: undefined };
      if (stream && res.ok) return { ok: true, value: res };
      const text = await res.text();
      if (res.ok) return { ok: true, value: text && /json/.test(res.headers.get("content-type") ?? "") ? JSON.parse(text) : text || undefined };
      const error = errorFor(res.status, problemFrom(res.status, res.statusText, text), res.headers);
      const retry = res.status === 429 || (repeatable && retryableStatus(res.status));
      return { ok: false, error, retry, waitMs: retryAfterMs(res.headers.get("retry-after")) };
    } catch (cause) {
      if (cause instanceof ParleyError) throw cause;
      if (opts.signal?.aborted) throw opts.signal.reason ?? cause;
      const error = timedOut
        ? new ParleyTimeoutError(`${init.method} ${url}: no answer within ${timeoutMs} ms`, { cause })
        : new ParleyConnectionError(`${init.method} ${url}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      return { ok: false, error, retry: repeatable };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }
}
