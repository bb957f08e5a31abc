/**
 * What every provider adapter turns a correctly signed webhook into: messages from customers,
 * receipts for messages Parley sent, and Messenger's read/delivery watermarks. Pure shapes and the
 * error a parser throws; the inbound route stores these and knows nothing of provider formats.
 */
import type { z } from "zod";

/** Which provider carries which channel: a Mailgun WhatsApp message cannot be written down. */
export type Source =
  | { provider: "twilio"; channel: "sms" | "mms" | "whatsapp" }
  | { provider: "meta"; channel: "whatsapp" | "messenger" }
  | { provider: "mailgun"; channel: "email" }
  | { provider: "cloudflare"; channel: "email" };

export type Provider = Source["provider"];

export interface MediaRef {
  /**
   * Where to fetch it: an https URL, or a reference the route resolves with the channel's
   * credentials before storing it: `meta-media:<id>` (WhatsApp media id, fetched from the Graph
   * API), `mailgun-attachment:<field>` (a file part of the same multipart request).
   */
  url: string;
  /** The provider's MIME type; a media range such as `image/*` when it names only the kind. */
  content_type: string;
  filename?: string;
}

export interface ProviderError {
  /** The provider's own code, as a string: Twilio 21610, WhatsApp 131047. */
  code: string;
  message?: string;
}

export type InboundMessage = Source & {
  kind: "message";
  /** The provider's id: what a retried webhook is recognised by. */
  provider_message_id: string;
  /** The customer: E.164 phone number, Messenger PSID, or lowercased email address. */
  from: string;
  /**
   * The channel's own end, as /v1/channels names the sender: the phone number (a short code as
   * given), WhatsApp `phone_number_id`, Messenger page id, or the lowercased recipient address.
   * Meta sends every number and page of an app to one URL, so the route checks it.
   */
  to: string;
  /** Text as the customer wrote it; for email the reply without quoted history. May be empty. */
  body: string;
  media: MediaRef[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** A tap on a button or list row: `id` is the payload the business gave it. */
  reply?: { kind: "button" | "list"; id: string; title: string };
  /** A reaction to an earlier message; an empty emoji is a reaction taken back. */
  reaction?: { emoji: string; message_id: string };
  /** Something the provider delivered but could not represent (WhatsApp `unsupported`, new types). */
  unsupported?: { type: string; error?: ProviderError };
  /** The provider id of the message this one answers (WhatsApp context, email In-Reply-To). */
  in_reply_to?: string;
  /** Email only: the References chain, oldest first, without angle brackets. */
  references?: string[];
  /** Email only. */
  subject?: string;
  profile_name?: string;
  /** Epoch ms: the provider's timestamp, or the time of parsing when it gives none (Twilio). */
  received_at: number;
};

export type ReceiptStatus = "sent" | "delivered" | "read" | "failed" | "undelivered";

/** A status for one message Parley sent. Only failures carry an error. */
export type InboundReceipt = Source & {
  kind: "receipt";
  provider_message_id: string;
  /** Epoch ms. */
  at: number;
} & ({ status: "sent" | "delivered" | "read" } | { status: "failed" | "undelivered"; error?: ProviderError });

/**
 * Messenger says "everything sent to this person before `watermark` is delivered/read" without
 * naming messages. A shape of its own rather than a receipt with a made-up id, so a consumer that
 * matches receipts by id cannot silently match nothing: it marks every outbound message to `from`
 * through page `to` sent at or before `watermark` (epoch ms).
 */
export interface InboundWatermark {
  kind: "watermark";
  provider: "meta";
  channel: "messenger";
  status: "delivered" | "read";
  /** The customer's PSID (who read), as InboundMessage.from. */
  from: string;
  /** The page id, as InboundMessage.to. */
  to: string;
  watermark: number;
  at: number;
}

export type InboundEvent = InboundMessage | InboundReceipt | InboundWatermark;

/**
 * A correctly signed request whose payload is not what the provider documents. `path` names the
 * field within the payload (`entry[0].changes[0].value.messages[0].id`, `MediaUrl1`); the route
 * roots it (`body.…`) and answers 400, storing nothing.
 */
export class ParseError extends Error {
  override readonly name = "ParseError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** `["entry", 0, "id"]` → `entry[0].id`, as the API's problem documents spell paths. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
}

/** Parses with a zod schema, turning the first issue into a ParseError rooted at `at`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, at: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...at, ...(issue?.path ?? [])];
  throw new ParseError(formatPath(path) || "(root)", issue?.message ?? "invalid");
}
