import { ParseError } from "../../channels/inbound";
import { parseEmailWithAttachments } from "../../channels/providers/email";
import { checkAddress } from "../../channels/registry";
import { cloudflareEmailChannelFor } from "../../db/queries/channels";
import type { Env } from "../../env";
import { LIMITS } from "../../lib/limits";
import { emailMediaLoader } from "./media";
import { intoThread } from "./thread";

/**
 * Mail routed to the Worker by Cloudflare Email Routing: the `email()` counterpart of
 * `POST /v1/inbound/{channel_id}`, beside it because it ends the same way (intoThread). Nothing
 * needs verifying: only Email Routing can call `email()`, and only for the addresses its rules
 * send here. What Email Routing is told, case by case:
 *
 * - no `cloudflare` email channel for the recipient or its domain: `setReject("no such
 *   recipient")`, a permanent SMTP failure, so the sender gets a bounce rather than silence;
 * - a mail that cannot be read (no sender address, or MIME postal-mime refuses) and a message the
 *   conversation refuses (at its participant limit): rejected with the reason; all would fail
 *   the same way on every retry;
 * - stored, or recognised as stored before (the same Message-ID, or the same bytes without one):
 *   accepted; attachments are copied into R2 first (one over the media limit is stored as
 *   `unavailable`, the message with it);
 * - mail a machine sent on its own (RFC 3834 `Auto-Submitted`, `Precedence: bulk|junk|auto_reply`,
 *   or a bounce, whose envelope sender is empty): accepted and dropped. Storing an out-of-office
 *   reply would start a conversation with a robot, and bouncing it could start a mail loop;
 * - anything that is ours (D1 or a Durable Object failing, a 5xx): thrown, which Email Routing
 *   turns into a temporary SMTP failure, so the sending server keeps the mail and retries later,
 *   and the retry is stored once.
 */
export async function receiveEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const recipient = checkAddress("email", message.to.trim());
  const channel = recipient.ok ? await cloudflareEmailChannelFor(env.DB, recipient.address) : undefined;
  if (!channel) {
    message.setReject("no such recipient");
    return;
  }
  if (message.rawSize > LIMITS.emailRawBytes) {
    message.setReject(`the message is over ${LIMITS.emailRawBytes} bytes`);
    return;
  }
  if (isAutomatic(message)) {
    console.log(`email to ${channel.id} is automatic (a bounce or an auto-reply); dropped`);
    return;
  }
  let parsed, attachments;
  try {
    ({ message: parsed, attachments } = await parseEmailWithAttachments(message.raw, { from: message.from, to: message.to }));
  } catch (error) {
    // The parser only reads its input: what it throws is about the mail, not about us.
    const reason = error instanceof ParseError ? error.message : "the message cannot be read";
    console.warn(`email to ${channel.id} refused: ${error instanceof Error ? error.message : String(error)}`);
    message.setReject(reason);
    return;
  }
  const outcome = await intoThread(env, channel.accountId, parsed, emailMediaLoader(attachments));
  if (outcome.ok) return;
  const what = `email ${parsed.provider_message_id} to ${channel.id}: ${outcome.problem.status} ${outcome.problem.detail}`;
  if (outcome.problem.status >= 500) throw new Error(what);
  console.warn(`${what}; rejected`);
  message.setReject(outcome.problem.detail);
}

/** Mail no person wrote: bounces (empty envelope sender) and RFC 3834 auto-replies. */
function isAutomatic(message: ForwardableEmailMessage): boolean {
  const from = message.from.trim();
  if (from === "" || from === "<>" || /^mailer-daemon@/i.test(from)) return true;
  const autoSubmitted = message.headers.get("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return true;
  return /^(bulk|junk|auto_reply)$/i.test(message.headers.get("precedence")?.trim() ?? "");
}
