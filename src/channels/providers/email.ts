/**
 * Mail that Cloudflare Email Routing hands to the Worker's `email()` handler: the raw RFC 822
 * message and its SMTP envelope, parsed with postal-mime into the same InboundMessage a Mailgun
 * post becomes, so the thread rules cannot tell the two apart.
 */
import PostalMime, { type Address, type Attachment } from "postal-mime";
import { sha256Hex } from "../../lib/crypto";
import { LIMITS } from "../../lib/limits";
import { ParseError, type InboundMessage, type MediaRef } from "../inbound";
import { checkAddress } from "../registry";
import { clipUtf8, htmlToText, messageIds, stripQuoted } from "./email-text";

export interface Envelope {
  /** SMTP MAIL FROM: a bounce address, often not the person (lists, forwarders, SRS). */
  from: string;
  /** SMTP RCPT TO: the address Email Routing delivered to this Worker. */
  to: string;
}

/** The first mailbox of a From header (a group's first member), with its display name. */
function firstMailbox(from: Address | undefined): { address: string; name: string } | undefined {
  const mailbox = from?.group ? from.group[0] : from;
  return mailbox?.address ? { address: mailbox.address, name: mailbox.name } : undefined;
}

/**
 * The customer: the From header's address, as Mailgun's parser takes it (the envelope sender can be
 * a list's or forwarder's bounce address); the envelope sender only when the header has none that
 * is an address. Neither is a ParseError: there is nobody to put the message in a thread for.
 */
function customer(from: Address | undefined, envelope: string): { address: string; name?: string } {
  const header = firstMailbox(from);
  const checked = header ? checkAddress("email", header.address.trim()) : undefined;
  if (header && checked?.ok) return { address: checked.address, name: header.name.trim() || undefined };
  const fallback = checkAddress("email", envelope.trim());
  if (fallback.ok) return { address: fallback.address };
  throw new ParseError("From", "has no sender address, and neither has the envelope");
}

/**
 * Attachments as `cloudflare-attachment:<n>`, n being the part's index in postal-mime's list for
 * this message (parseEmailWithAttachments gives the bytes alongside; the email route copies them
 * into R2 and stores our URLs instead). Inline images are kept too: a pasted screenshot is one,
 * and dropping it would lose what the customer sent.
 */
function media(attachments: Attachment[]): MediaRef[] {
  return attachments.slice(0, LIMITS.mediaPerMessage).map((a, n) => ({
    url: `cloudflare-attachment:${n}`,
    content_type: a.mimeType || "application/octet-stream",
    filename: a.filename ?? undefined,
  }));
}

/** Bytes of the raw message: hashed when it has no Message-ID, so the hash is of what arrived. */
async function bytesOf(raw: ReadableStream | ArrayBuffer | string): Promise<ArrayBuffer> {
  if (typeof raw === "string") return new TextEncoder().encode(raw).buffer as ArrayBuffer;
  if (raw instanceof ArrayBuffer) return raw;
  return new Response(raw).arrayBuffer();
}

/**
 * The message a customer mailed to a channel's address. The body is the text part (HTML-only mail
 * turned into text) without the quoted history of a reply and the signature, cut to the API's
 * message limit; the id is the Message-ID without brackets, or, when the mail has none, a SHA-256
 * of its bytes, so that the same bytes delivered again are recognised and stored once.
 * Throws ParseError when the mail names no sender, and postal-mime's error when it cannot be read.
 */
export async function parseEmail(raw: ReadableStream | ArrayBuffer | string, envelope: Envelope, now: number = Date.now()): Promise<InboundMessage> {
  return (await parseEmailWithAttachments(raw, envelope, now)).message;
}

/** `parseEmail`, with the bytes of each `cloudflare-attachment:<n>` ref of its media at index n. */
export async function parseEmailWithAttachments(
  raw: ReadableStream | ArrayBuffer | string,
  envelope: Envelope,
  now: number = Date.now(),
): Promise<{ message: InboundMessage; attachments: ArrayBuffer[] }> {
  const bytes = await bytesOf(raw);
  const mail = await PostalMime.parse(bytes);
  return { message: await messageOf(mail, bytes, envelope, now), attachments: mail.attachments.slice(0, LIMITS.mediaPerMessage).map((a) => contentBytes(a.content)) };
}

/** An attachment's bytes: postal-mime gives an ArrayBuffer by default (a string or a view only when asked otherwise). */
function contentBytes(content: Attachment["content"]): ArrayBuffer {
  if (typeof content === "string") return new TextEncoder().encode(content).buffer as ArrayBuffer;
  if (content instanceof ArrayBuffer) return content;
  return new Uint8Array(content).slice().buffer as ArrayBuffer;
}

async function messageOf(mail: Awaited<ReturnType<typeof PostalMime.parse>>, bytes: ArrayBuffer, envelope: Envelope, now: number): Promise<InboundMessage> {
  const to = checkAddress("email", envelope.to.trim());
  if (!to.ok) throw new ParseError("to", to.message);
  const from = customer(mail.from, envelope.from);
  // Cut before the text helpers run: only 32 KB is stored, and their regexes must not meet a
  // hostile megabyte (several are quadratic on unclosed tags or long lines).
  const text = (mail.text ?? (mail.html ? htmlToText(mail.html.slice(0, LIMITS.emailHtmlChars)) : "")).slice(0, LIMITS.emailTextChars);
  return {
    kind: "message",
    provider: "cloudflare",
    channel: "email",
    provider_message_id: messageIds(mail.messageId)[0] ?? `sha256:${await sha256Hex(bytes)}`,
    from: from.address,
    to: to.address,
    body: clipUtf8(stripQuoted(text), LIMITS.messageBodyBytes),
    media: media(mail.attachments),
    in_reply_to: messageIds(mail.inReplyTo)[0],
    references: messageIds(mail.references),
    subject: (mail.subject ?? "").slice(0, LIMITS.subjectChars),
    profile_name: from.name,
    // The Date header is the sender's clock; this is when the mail reached us.
    received_at: now,
  };
}
