/**
 * Mailgun inbound routes: the signature on every forward() post (HMAC-SHA256 of timestamp + token)
 * and the parsed-message fields of the post (form-encoded, or multipart with attachments).
 */
import { z } from "zod";
import { ParseError, parseWith, type InboundMessage, type MediaRef } from "../inbound";
import { checkAddress } from "../registry";
import { messageIds } from "./email-text";
import { bytesToHex as hex, secretsEqual } from "../../lib/crypto";
import { hmac } from "./hmac";

/** A signed post older or newer than this is refused: a captured one cannot be replayed later. */
export const MAILGUN_TOLERANCE_MS = 5 * 60 * 1000;

export interface MailgunSignedFields {
  /** Epoch seconds, as posted. */
  timestamp: string | number | null;
  token: string | null;
  signature: string | null;
  signingKey: string;
  /** Epoch ms to judge the timestamp against (tests); the clock otherwise. */
  now?: number;
}

/** The hex signature Mailgun posts for `timestamp` and `token` (null for an empty key); also for the simulator. */
export async function mailgunSignature(signingKey: string, timestamp: string | number, token: string): Promise<string | null> {
  const digest = await hmac("SHA-256", signingKey, `${timestamp}${token}`);
  return digest && hex(digest);
}

/**
 * True when `signature` signs timestamp + token under the signing key and the timestamp is within
 * five minutes of now. A token seen before is a replay: the route remembers tokens for that window.
 */
export async function verifyMailgunSignature(fields: MailgunSignedFields): Promise<boolean> {
  const { token, signature, signingKey, now = Date.now() } = fields;
  const timestamp = fields.timestamp === null ? "" : String(fields.timestamp);
  if (!/^\d+$/.test(timestamp) || !token || !signature) return false;
  if (Math.abs(now - Number(timestamp) * 1000) > MAILGUN_TOLERANCE_MS) return false;
  const expected = await mailgunSignature(signingKey, timestamp, token);
  return expected !== null && secretsEqual(expected, signature.toLowerCase());
}

type Form = FormData | URLSearchParams;

function text(form: Form, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = form.get(name);
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

function json<S extends z.ZodType>(form: Form, name: string, schema: S): z.output<S> | undefined {
  const raw = text(form, name);
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ParseError(name, "must be JSON");
  }
  return parseWith(schema, value, [name]);
}

const HeaderList = z.array(z.tuple([z.string(), z.string()]));
const StoredAttachments = z.array(z.object({ url: z.string().min(1), "content-type": z.string().optional(), name: z.string().optional() }));

/** A header as Mailgun posts it at the top level, else from the `message-headers` list (any case). */
function header(form: Form, name: string): string | undefined {
  const lower = name.toLowerCase();
  return text(form, name) ?? json(form, "message-headers", HeaderList)?.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** `"Doe, Jane" <Jane@Example.com>` → the lowercased address and the display name. */
function mailbox(raw: string, field: string): { address: string; name?: string } {
  const match = /^(.*)<([^<>]*)>\s*$/.exec(raw.trim());
  const check = checkAddress("email", (match?.[2] ?? raw).trim());
  if (!check.ok) throw new ParseError(field, check.message);
  const name = match?.[1]?.trim().replace(/^"(.*)"$/, "$1").trim();
  return { address: check.address, name: name || undefined };
}

/**
 * Attachments: store() posts an `attachments` list of URLs; forward() posts `attachment-count` file
 * parts, referenced as `mailgun-attachment:attachment-N` for the route to store from this request.
 */
function attachments(form: Form): MediaRef[] {
  const stored = json(form, "attachments", StoredAttachments);
  if (stored) return stored.map((a) => ({ url: a.url, content_type: a["content-type"] ?? "application/octet-stream", filename: a.name }));
  const count = text(form, "attachment-count") ?? "0";
  if (!/^\d+$/.test(count)) throw new ParseError("attachment-count", "must be a whole number");
  return Array.from({ length: Number(count) }, (_, i) => {
    const name = `attachment-${i + 1}`;
    const part = form.get(name);
    if (part === null || typeof part === "string") throw new ParseError(name, "must be a file part");
    return { url: `mailgun-attachment:${name}`, content_type: part.type || "application/octet-stream", filename: part.name || undefined };
  });
}

/**
 * The message of a Mailgun route post. The customer is the From header (the SMTP sender can be a
 * list's or forwarder's bounce address), the channel end is the recipient (which may carry the
 * conversation in its local part), and the text is `stripped-text` when Mailgun gives it, so the
 * quoted history of a reply is not stored again. Throws ParseError naming the field.
 */
export function parseMailgunInbound(form: Form, now: number = Date.now()): InboundMessage {
  const messageId = messageIds(header(form, "Message-Id"))[0];
  if (messageId === undefined) throw new ParseError("Message-Id", "is required");
  const fromField = text(form, "from") ? "from" : "sender";
  const from = mailbox(text(form, fromField) ?? "", fromField);
  // Mailgun posts once per matched recipient; a list is cut to its first address.
  const to = mailbox(text(form, "recipient")?.split(",")[0] ?? "", "recipient");
  const stripped = form.get("stripped-text");
  const timestamp = text(form, "timestamp");
  return {
    kind: "message",
    provider: "mailgun",
    channel: "email",
    provider_message_id: messageId,
    from: from.address,
    to: to.address,
    body: typeof stripped === "string" ? stripped : (text(form, "body-plain") ?? ""),
    media: attachments(form),
    in_reply_to: messageIds(header(form, "In-Reply-To"))[0],
    references: messageIds(header(form, "References")),
    subject: text(form, "subject", "Subject") ?? "",
    profile_name: from.name,
    received_at: timestamp !== undefined && /^\d+$/.test(timestamp) ? Number(timestamp) * 1000 : now,
  };
}
