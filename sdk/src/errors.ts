import type { ProblemDocument } from "./types";

/** An answer from Parley that is not a 2xx: the status and the problem document it carried. */
export class ParleyError extends Error {
  override readonly name: string = "ParleyError";
  readonly status: number;
  readonly problem: ProblemDocument;
  readonly headers: Headers;

  constructor(status: number, problem: ProblemDocument, headers: Headers) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.headers = headers;
  }

  /** The field errors (`errors[].path` such as `body.participants[0].address`), empty when none. */
  get errors(): { path: string; message: string }[] {
    return this.problem.errors ?? [];
  }

  /** The message for one field path, if the problem names it. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

export class BadRequestError extends ParleyError {
  override readonly name = "BadRequestError";
}
export class AuthenticationError extends ParleyError {
  override readonly name = "AuthenticationError";
}
export class PermissionDeniedError extends ParleyError {
  override readonly name = "PermissionDeniedError";
}
export class NotFoundError extends ParleyError {
  override readonly name = "NotFoundError";
}
export class ConflictError extends ParleyError {
  override readonly name = "ConflictError";
}
export class PayloadTooLargeError extends ParleyError {
  override readonly name = "PayloadTooLargeError";
}
export class UnprocessableEntityError extends ParleyError {
  override readonly name = "UnprocessableEntityError";
}
export class RateLimitError extends ParleyError {
  override readonly name = "RateLimitError";
}
export class InternalServerError extends ParleyError {
  override readonly name = "InternalServerError";
}

const BY_STATUS: Record<number, typeof ParleyError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The error class for a status: one per documented status, InternalServerError for any 5xx. */
export function errorFor(status: number, problem: ProblemDocument, headers: Headers): ParleyError {
  const Class = BY_STATUS[status] ?? (status >= 500 ? InternalServerError : ParleyError);
  return new Class(status, problem, headers);
}

/** Parley could not be reached, or the connection broke before an answer (retried when safe). */
export class ParleyConnectionError extends Error {
  override readonly name: string = "ParleyConnectionError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One try took longer than the timeout (`timeoutMs`). */
export class ParleyTimeoutError extends ParleyConnectionError {
  override readonly name = "ParleyTimeoutError";
}

/** A webhook whose signature or timestamp does not check out. */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}
