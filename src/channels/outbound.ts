/**
 * What every provider adapter sends and answers: the normalised outbound message, the send result
 * (accepted with the provider's id, or refused and whether a retry can help), and the HTTP pieces
 * the adapters share. Adapters take the `fetch` to call, so tests hand them a fake provider and
 * production the global fetch; they never throw for anything the provider or the network does.
 *
 * How refusals are classified (what the delivery consumer retries, what makes it fall back):
 *
 * | what | retry | code |
 * | --- | --- | --- |
 * | fetch threw (DNS, reset, refused) | transient | `network_error` |
 * | no answer within SEND_TIMEOUT_MS | transient | `timeout`: the provider may have accepted it |
 * | HTTP 429, any 5xx | transient, `retry_after_s` from Retry-After | the provider's code, else `http_<status>` |
 * | a provider code that means "later" (throttling), whatever the status | transient | the provider's code |
 * | any other 4xx | permanent | the provider's code, else `http_<status>` |
 * | a 2xx without a message id | permanent | `bad_response`: it may have been sent, so not resent |
 * | a message the channel cannot carry in one request | permanent | `unsupported` (nothing was sent) |
 *
 * Provider codes (strings, as receipts carry them in ProviderError):
 *
 * | provider | code | meaning | class |
 * | --- | --- | --- | --- |
 * | Twilio | 21211 | invalid To number | permanent |
 * | Twilio | 21610 | recipient unsubscribed (replied STOP) | permanent: opted out |
 * | Twilio | 21614 | To is not a mobile number / cannot receive SMS | permanent |
 * | Twilio | 21408, 21612 | region not enabled / no route to this number | permanent |
 * | Twilio | 21617 | body over 1,600 characters | permanent |
 * | Twilio | 20003 | authentication failed (wrong AccountSid or AuthToken) | permanent |
 * | Twilio | 20429, 21611 | too many requests / sender's queue is full | transient |
 * | Graph (WhatsApp) | 131047 | outside the 24 h customer-service window: send a template | permanent |
 * | Graph (WhatsApp) | 131026 | undeliverable (not a WhatsApp user, old client, ToS not accepted) | permanent |
 * | Graph (WhatsApp) | 131030 | recipient not in the test number's allowed list | permanent |
 * | Graph (WhatsApp) | 131051 | unsupported message type | permanent |
 * | Graph | 4, 17, 32, 613, 80007, 130429, 131048, 131056, 133016 | rate and throughput limits | transient |
 * | Graph | 1, 2, 1200, 131000 | unknown / temporarily unavailable / temporary send failure | transient |
 * | Graph | 190 | access token expired or revoked | permanent |
 * | Graph (Messenger) | 10/2018278 | outside the allowed window (the 24 h policy) | permanent |
 * | Graph (Messenger) | 551 | this person isn't available right now (blocked the page, left) | permanent |
 * | Graph (Messenger) | 100/2018001 | no matching user (bad PSID for this page) | permanent |
 * | Mailgun | http_400, http_401, http_403, http_404 | bad fields, bad key, domain not allowed or unknown | permanent |
 *
 * Graph errors with an `error_subcode` are `code/subcode` (Messenger's policy errors share code 10
 * and differ by subcode); `code.split("/")[0]` is the code alone. The WhatsApp codes and the
 * throttling set are those of test/vectors/whatsapp_cloud_api.json; the Messenger rows are from
 * Meta's Send API error-codes page, the Twilio and Mailgun ones from their API references: the
 * vectors do not list those. A code missing here is still classified, by its HTTP status.
 */
import { DEFAULT_BASE_URL } from "../contract/channel";
import type { LoadedChannel } from "./connections";

/** What an adapter needs of a loaded channel (a LoadedChannel of that provider fits). */
export type SendChannel<P extends "twilio" | "meta" | "mailgun"> = Pick<Extract<LoadedChannel, { provider: P }>, "type" | "sender" | "baseUrl" | "provider" | "credentials">;

/** The API root to append paths to: the channel's base_url, else the provider's own, without a trailing slash. */
export function apiBase(channel: { baseUrl: string | null; provider: "twilio" | "meta" | "mailgun" }): string {
  return (channel.baseUrl ?? DEFAULT_BASE_URL[channel.provider] ?? "").replace(/\/+$/, "");
}

/** One thing to send to one recipient, in the channel's terms. */
export interface OutboundMessage {
  /** The recipient: E.164 phone number, Messenger PSID, or email address. */
  to: string;
  body: string;
  media: { url: string; content_type: string; filename?: string }[];
  /** Our inbound URL for the channel, for Twilio's StatusCallback. */
  status_callback?: string;
  /** WhatsApp: an approved template, sent instead of the body (outside the 24 h window). */
  template?: { name: string; language: string; components?: unknown[] };
  /** WhatsApp: the provider id (wamid) of the message this one answers, shown quoted. */
  reply_to_message_id?: string;
  /** Messenger: inside the 24 h window → RESPONSE, else MESSAGE_TAG HUMAN_AGENT. */
  within_window?: boolean;
  /** Email: threading ids without angle brackets, as the inbound parser stores them. */
  email?: { subject: string; from: string; in_reply_to?: string; references?: string[]; reply_to?: string };
}

export type SendFailure = {
  ok: false;
  retry: "transient" | "permanent";
  /** The provider's own code as a string (see the table above), or one of ours. */
  code: string;
  reason: string;
  /** From Retry-After: wait at least this long before the next try. */
  retry_after_s?: number;
};

export type SendResult = { ok: true; provider_message_id: string; segments?: number } | SendFailure;

/** The fetch adapters call: the global fetch fits, and so does a test's fake provider. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A provider call that hangs holds a queue consumer's slot; past this the attempt is counted a
 * transient failure. Long enough for a slow provider: a request cut short may still have been sent.
 */
export const SEND_TIMEOUT_MS = 15_000;

/** The HTTP basic Authorization header; credentials are ASCII (SIDs, tokens, API keys). */
export function basicAuth(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** Retry-After as whole seconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export function unsupported(reason: string): SendFailure {
  return { ok: false, retry: "permanent", code: "unsupported", reason };
}

/** A provider's answer, its body parsed as JSON when it is JSON (null otherwise). */
export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/**
 * Sends one request and reads the whole answer. A throw of fetch (or of reading the body) is a
 * transient failure: nothing reached the provider, or its answer was lost.
 */
export async function exchange(fetch: Fetch, url: string, init: RequestInit): Promise<Answer | SendFailure> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Some refusals are plain text (Mailgun's 401 "Forbidden"); the status still classifies them.
    }
    return { status: response.status, headers: response.headers, json, text };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return timedOut
      ? { ok: false, retry: "transient", code: "timeout", reason: `no answer within ${SEND_TIMEOUT_MS / 1000} s; the provider may have accepted the message` }
      : { ok: false, retry: "transient", code: "network_error", reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Tells a failure from whatever else a step produces (an Answer, a request body). */
export function isFailure<T extends object>(value: T | SendFailure): value is SendFailure {
  return (value as { ok?: unknown }).ok === false;
}

export const isSuccess = (answer: Answer) => answer.status >= 200 && answer.status < 300;

/**
 * A refusal classified: 429 and 5xx are transient (honouring Retry-After), and so is one whose
 * provider code means "later" (`transientCode`: Graph reports throttling as a 400); every other
 * status is permanent.
 */
export function refusal(answer: Answer, code: string | undefined, reason: string | undefined, transientCode = false): SendFailure {
  const { status } = answer;
  const transient = status === 429 || status >= 500 || transientCode;
  const failure: SendFailure = {
    ok: false,
    retry: transient ? "transient" : "permanent",
    code: code ?? `http_${status}`,
    reason: reason || answer.text.slice(0, 200) || `HTTP ${status}`,
  };
  const after = transient ? retryAfterSeconds(answer.headers.get("Retry-After")) : undefined;
  return after === undefined ? failure : { ...failure, retry_after_s: after };
}

/** A 2xx whose answer lacks the message id: probably sent, so neither resent nor retried. */
export function badResponse(answer: Answer, what: string): SendFailure {
  return { ok: false, retry: "permanent", code: "bad_response", reason: `HTTP ${answer.status} without ${what}; the message may have been sent` };
}

/** A property of a parsed JSON value (an array's element for a number), if it has one. */
export function valueAt(json: unknown, key: string | number): unknown {
  return json !== null && typeof json === "object" ? (json as Record<string | number, unknown>)[key] : undefined;
}

/** A string (or number, as a string) property of a parsed JSON value: providers send codes either way. */
export function stringAt(json: unknown, key: string): string | undefined {
  const value = valueAt(json, key);
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

/** For channels that cannot carry files (SMS, email here): the body with one media link a line. */
export function withMediaLinks(message: Pick<OutboundMessage, "body" | "media">): string {
  return [message.body, ...message.media.map((m) => m.url)].filter((line) => line !== "").join("\n");
}

/*
 * Formatting. A Parley body may carry `*bold*`, `_italic_`, `~strike~` and `[text](https://…)`
 * links. WhatsApp and Messenger show the first three themselves; neither has link markup, so a link
 * becomes `text: url` (the URL stays bare, so the app previews it). SMS and email text show none:
 * markers are dropped and a link becomes `text (url)`. A marker counts only as WhatsApp reads it:
 * against a space or punctuation outside, a non-space inside, so snake_case and 2*3*4 stay as they are.
 */
const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;
const EMPHASIS = /(^|[\s([{"'])([*_~])(?=\S)([^\n]*?\S)\2(?=$|[\s)\]}.,!?:;"'])/g;

/** The body as `channel` shows it: the markers kept for WhatsApp and Messenger, flattened for SMS, MMS and email. */
export function formatBody(channel: "sms" | "mms" | "whatsapp" | "messenger" | "email", body: string): string {
  if (channel === "whatsapp" || channel === "messenger") return body.replace(LINK, "$1: $2");
  let flat = body.replace(LINK, "$1 ($2)");
  let previous: string;
  // Nested emphasis (*_both_*) takes one pass a level.
  do {
    previous = flat;
    flat = flat.replace(EMPHASIS, "$1$3");
  } while (flat !== previous);
  return flat;
}
