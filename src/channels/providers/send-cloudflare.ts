/**
 * Cloudflare Email Service outbound (`cloudflare` email channels): the raw RFC 5322 message is built
 * here and handed to the Worker's `send_email` binding as `new EmailMessage(from, to, raw)`. The
 * binding is a parameter (production passes `env.SEND_EMAIL`, tests a fake), like the other adapters'
 * `fetch`, and the adapter never throws.
 *
 * The message: From (the channel's address, or `email.from`), To, Subject (RFC 2047 encoded words
 * when not plain ASCII), Date, a Message-ID of ours at the From domain, In-Reply-To and References
 * (stored without angle brackets, bracketed here), Reply-To when given, and one text/plain UTF-8
 * part, quoted-printable unless it is short-lined ASCII, with media as links (withMediaLinks).
 * Written by hand rather than with `mimetext`: its 3.x labels a UTF-8 body `7bit`, writes an
 * encoded subject as one word past RFC 2047's 75 characters and folds no header, and it brings
 * core-js and the Babel runtime (some 20 MB) for what is a hundred lines here.
 *
 * The id recorded (`provider_message_id`): the Message-ID the mail goes out with, without brackets,
 * so that a reply naming it in In-Reply-To can be matched. Email Service treats Message-ID as its
 * own (docs: a platform-controlled header) and answers the one it used (`EmailSendResult.messageId`);
 * so does the local simulation, which replaces ours with one at the sender's domain. That answer is
 * recorded when there is one; ours (which the raw message must carry: the binding refuses a mail
 * without one) otherwise.
 *
 * A send the binding refuses is thrown as an Error, with a `code` in production (the Workers API's
 * error codes) and a bare message locally and on the older Email Routing binding:
 *
 * | what it threw | retry | code |
 * | --- | --- | --- |
 * | E_SENDER_NOT_VERIFIED, E_SENDER_DOMAIN_NOT_AVAILABLE (the From domain is not onboarded) | permanent | the code |
 * | E_RECIPIENT_NOT_ALLOWED, E_RECIPIENT_SUPPRESSED (bounced or complained before), E_DELIVERY_FAILED (the recipient's server refused) | permanent | the code |
 * | E_VALIDATION_ERROR, E_FIELD_MISSING, E_TOO_MANY_RECIPIENTS, E_CONTENT_TOO_LARGE, E_HEADER_*, E_HEADERS_* | permanent: the same bytes fail again | the code |
 * | E_RATE_LIMIT_EXCEEDED, E_DAILY_LIMIT_EXCEEDED, E_INTERNAL_SERVER_ERROR | transient | the code |
 * | any other E_ code | transient | the code |
 * | no code, "email to … not allowed" / "… not verified" (a destination the binding may not send to: not verified on Email Routing, outside an allow-list) | permanent | `destination_not_allowed` |
 * | no code, "email from … not allowed" (a sender outside the binding's allow-list) | permanent | `sender_not_allowed` |
 * | no code, "could not parse email", "invalid message-id", "From: header does not match mail from", "invalid headers set" | permanent: our message is wrong, resending it cannot help | `invalid_message` |
 * | anything else thrown (the binding or the network between) | transient | `send_failed` |
 * | no answer within SEND_TIMEOUT_MS | transient | `timeout`: it may have been sent |
 * | no SEND_EMAIL binding on the deployment, no From address, an address that cannot go in a header | permanent | `unsupported`, `invalid_address` (nothing was sent) |
 */
import { EmailMessage as RawEmailMessage } from "cloudflare:email";
import type { LoadedChannel } from "../connections";
import { isFailure, SEND_TIMEOUT_MS, unsupported, withMediaLinks, type OutboundMessage, type SendFailure, type SendResult } from "../outbound";

/** What the adapter needs of a loaded `cloudflare` channel. */
export type CloudflareChannel = Pick<Extract<LoadedChannel, { provider: "cloudflare" }>, "type" | "sender" | "provider">;

/** The part of the `send_email` binding used here: `env.SEND_EMAIL` fits, and so does a test's fake. */
export interface EmailBinding {
  send(message: EmailMessage): Promise<EmailSendResult | void>;
}

/** A message ready for the binding: the envelope (from, to), the raw RFC 5322 text, and the Message-ID in it (bare). */
export interface BuiltMail {
  from: string;
  to: string;
  raw: string;
  message_id: string;
}

const CRLF = "\r\n";
/** Header lines are folded to this (RFC 5322 §2.1.1 SHOULD); the hard limit is 998. */
const LINE = 78;
/** References beyond this many bytes keep the first id and the latest ones (threading needs those; Email Service caps a header at 2,048). */
const REFERENCES_BYTES = 1_900;

/** An addr-spec that can stand in a header as it is: one @, no spaces, brackets, quotes or line breaks. */
const ADDRESS = /^[^\s<>()[\]",;:@\\]+@[^\s<>()[\]",;:@\\]+$/;
/** A message id's inside (`left@right`): nothing that would end it, break the line or fold it. */
const MSG_ID = /^[^\s<>]+@[^\s<>]+$/;

const bare = (id: string) => id.trim().replace(/^<(.*)>$/, "$1");

/** The domain an address is at (lowercased), where our Message-IDs live. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/** A fresh Message-ID (bare) at `domain`: time and 96 random bits, unique without coordination. */
export function newMessageId(domain: string, now: number = Date.now()): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${now.toString(36)}.${random}.parley@${domain}`;
}

/** RFC 5322 date-time in UTC: `Tue, 01 Dec 2026 18:57:41 +0000`. */
export function rfc5322Date(now: number): string {
  return new Date(now).toUTCString().replace(/GMT$/, "+0000");
}

/**
 * `Name: value` folded at spaces so that lines keep to 78 characters where a space allows
 * (a token longer than that keeps its own line). The value must hold no CR or LF.
 */
export function foldHeader(name: string, value: string): string {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const token of value.split(" ").filter((t) => t !== "")) {
    if (line.length + 1 + token.length > LINE && line.length > name.length + 1) {
      lines.push(line);
      line = ` ${token}`;
    } else {
      line += ` ${token}`;
    }
  }
  lines.push(line);
  return lines.join(CRLF);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** UTF-8 bytes per encoded word: 39 bytes are 52 base64 characters, a 64-character word, so `Subject: ` and one word fit in 76. */
const WORD_BYTES = 39;

/**
 * A header's text as it may be written: as it is when it is printable ASCII (and holds nothing that
 * reads as an encoded word), else RFC 2047 `=?UTF-8?B?…?=` words of whole characters, separated by
 * spaces (which decoders drop between adjacent words), so foldHeader can put one a line. Line
 * breaks and other control characters become spaces first: a header value cannot carry them.
 */
export function encodeHeaderText(text: string): string {
  const flat = text.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  if (PRINTABLE_ASCII.test(flat) && !flat.includes("=?")) return flat;
  const encoder = new TextEncoder();
  const words: string[] = [];
  let chunk = "";
  for (const char of flat) {
    if (encoder.encode(chunk + char).byteLength > WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk !== "") words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join(" ");
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The body as quoted-printable (RFC 2045 §6.7) of its UTF-8 bytes: line breaks as CRLF, lines
 * soft-broken (`=`) before 76 characters without splitting an `=XX`, `=`, controls and non-ASCII
 * bytes escaped, and a space or tab at a line's end too (transports strip trailing white space).
 */
export function quotedPrintable(text: string): string {
  const encoder = new TextEncoder();
  return text
    .split("\n")
    .map((line) => {
      const bytes = encoder.encode(line);
      const out: string[] = [];
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        out.push(literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`);
      });
      const lines: string[] = [];
      let current = "";
      for (const piece of out) {
        if (current.length + piece.length > 75) {
          lines.push(`${current}=`);
          current = "";
        }
        current += piece;
      }
      lines.push(current);
      return lines.join(CRLF);
    })
    .join(CRLF);
}

/** Short-lined printable ASCII goes as it is (7bit); anything else quoted-printable. */
function encodeBody(text: string): { encoding: "7bit" | "quoted-printable"; body: string } {
  const lines = text.split("\n");
  const plain = lines.every((l) => l.length <= 76 && /^[\x20-\x7e\t]*$/.test(l) && !/[ \t]$/.test(l));
  return plain ? { encoding: "7bit", body: lines.join(CRLF) } : { encoding: "quoted-printable", body: quotedPrintable(text) };
}

/** The References ids, bracketed, cut to REFERENCES_BYTES by dropping the oldest but the first (RFC 5322 §3.6.4's advice). */
function references(ids: string[]): string {
  const bracketed = ids.map((id) => `<${id}>`);
  const size = (list: string[]) => list.join(" ").length;
  while (bracketed.length > 2 && size(bracketed) > REFERENCES_BYTES) bracketed.splice(1, 1);
  return bracketed.join(" ");
}

/**
 * Builds the raw message for one recipient. `message_id` (bare) is ours unless given; `now` is the
 * Date. A failure (nothing to send): no From address, or an address or id that cannot go in a header.
 */
export function cloudflareMail(channel: CloudflareChannel, message: OutboundMessage, options: { now?: number; messageId?: string } = {}): BuiltMail | SendFailure {
  const now = options.now ?? Date.now();
  const email = message.email;
  const from = (email?.from ?? (channel.sender.includes("@") ? channel.sender : "")).trim();
  if (!from) return unsupported(`email through ${channel.sender} needs a From address (email.from)`);
  const to = message.to.trim();
  for (const [field, address] of [["from", from], ["to", to], ["reply_to", email?.reply_to?.trim()]] as const) {
    if (address !== undefined && !ADDRESS.test(address)) return invalidAddress(field, address);
  }
  const messageId = options.messageId ?? newMessageId(domainOf(from), now);
  const inReplyTo = email?.in_reply_to ? bare(email.in_reply_to) : undefined;
  // Ids the customer's mail named (stored bare); one that could break the header is left out rather than sent.
  const refs = (email?.references ?? []).map(bare).filter((id) => MSG_ID.test(id));
  const { encoding, body } = encodeBody(withMediaLinks(message).replace(/\r\n?/g, "\n"));

  const headers = [
    `From: ${from}`,
    `To: ${to}`,
    foldHeader("Subject", encodeHeaderText(email?.subject ?? "")),
    `Date: ${rfc5322Date(now)}`,
    `Message-ID: <${messageId}>`,
    ...(inReplyTo && MSG_ID.test(inReplyTo) ? [`In-Reply-To: <${inReplyTo}>`] : []),
    ...(refs.length > 0 ? [foldHeader("References", references(refs))] : []),
    ...(email?.reply_to ? [`Reply-To: ${email.reply_to.trim()}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    `Content-Transfer-Encoding: ${encoding}`,
  ];
  return { from, to, raw: `${headers.join(CRLF)}${CRLF}${CRLF}${body}${CRLF}`, message_id: messageId };
}

function invalidAddress(field: string, address: string): SendFailure {
  return { ok: false, retry: "permanent", code: "invalid_address", reason: `the ${field} address ${JSON.stringify(address)} cannot be written in a mail header` };
}

const PERMANENT_CODES = new Set([
  "E_VALIDATION_ERROR",
  "E_FIELD_MISSING",
  "E_TOO_MANY_RECIPIENTS",
  "E_SENDER_NOT_VERIFIED",
  "E_RECIPIENT_NOT_ALLOWED",
  "E_RECIPIENT_SUPPRESSED",
  "E_SENDER_DOMAIN_NOT_AVAILABLE",
  "E_CONTENT_TOO_LARGE",
  "E_DELIVERY_FAILED",
]);

/** What the binding threw, classified (the table at the top of this file). */
export function classifySendError(error: unknown): SendFailure {
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500) || "the send_email binding threw";
  const code = typeof (error as { code?: unknown } | null)?.code === "string" ? (error as { code: string }).code : undefined;
  if (code) {
    const permanent = PERMANENT_CODES.has(code) || code.startsWith("E_HEADER_") || code.startsWith("E_HEADERS_");
    return { ok: false, retry: permanent ? "permanent" : "transient", code, reason };
  }
  if (/\bnot (?:an? )?(?:allowed|verified)\b|\bunverified\b/i.test(reason)) {
    return { ok: false, retry: "permanent", code: /^email from\b|\bsender\b/i.test(reason) ? "sender_not_allowed" : "destination_not_allowed", reason };
  }
  if (/could not parse email|invalid message-id|header does not match mail from|invalid headers/i.test(reason)) {
    return { ok: false, retry: "permanent", code: "invalid_message", reason };
  }
  return { ok: false, retry: "transient", code: "send_failed", reason };
}

/**
 * Sends one email through the `send_email` binding. Accepted: the Message-ID it went out with
 * (see the top of this file), without brackets. Never throws.
 */
export async function sendCloudflare(
  channel: CloudflareChannel,
  message: OutboundMessage,
  binding: EmailBinding | undefined,
  options: { now?: number; messageId?: string; timeoutMs?: number } = {},
): Promise<SendResult> {
  if (!binding) return unsupported("this deployment has no SEND_EMAIL binding (a [[send_email]] entry in wrangler.toml), so cloudflare email channels cannot send");
  const mail = cloudflareMail(channel, message, options);
  if (isFailure(mail)) return mail;
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const answer = await Promise.race([binding.send(new RawEmailMessage(mail.from, mail.to, mail.raw)), timeout]);
    if (answer === "timeout") {
      return { ok: false, retry: "transient", code: "timeout", reason: `no answer within ${timeoutMs / 1000} s; Email Service may have accepted the message` };
    }
    const used = typeof answer?.messageId === "string" ? bare(answer.messageId) : "";
    return { ok: true, provider_message_id: MSG_ID.test(used) ? used : mail.message_id };
  } catch (error) {
    return classifySendError(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
