import { validationProblem } from "../../api/http";
import type { MessageSendFrame } from "../../contract/frames";
import { SendMessage } from "../../contract/message";
import type { Env } from "../../env";
import { throughHook } from "../../hooks/pre-event";
import type { RuntimeSettings } from "../../db/queries/settings";
import { knownSettings, settingsOf } from "../../settings/cached";
import { resolveMedia } from "../../media/messages";
import { ProblemError, type Problem } from "../../lib/problem";
import { canonicalJson } from "../../lib/crypto";
import type { z } from "zod";
import type { ConversationCore } from "../core";
import { send } from "../commands/messages";
import type { Room } from "./room";

/**
 * `message.send` from a participant's socket: the REST send without the round trip through the
 * Worker. The same schema, rules and transaction (`commands/messages.ts` `send`), so a message
 * sent here is stored, ordered, delivered to channels and carried by the outbox exactly as one
 * sent by REST. The author is the socket's participant, whatever the frame says. The sender gets
 * `message.ack` after the commit (its other sockets and everyone else get `message.added`);
 * a refusal is an `error` frame with the `client_id` and the problem REST would have answered.
 *
 * `client_id` is an idempotency key in the participant's own namespace: a resend answers the first
 * ack (even after a reconnect, or once the object was evicted: the key is stored with the message)
 * and stores nothing; the same `client_id` with another message is refused, as REST refuses a
 * reused Idempotency-Key.
 */
export function socketSend(core: ConversationCore, room: Room, env: Env, ws: WebSocket, accountId: string, participantId: string, frame: z.infer<typeof MessageSendFrame>): void {
  const { client_id, type: _type, ...fields } = frame;
  const refuse = (problem: Problem) => {
    const { status } = problem;
    room.send(ws, { type: "error", code: status === 409 ? "conflict" : status === 403 ? "forbidden" : "invalid", client_id, message: problem.detail, problem });
  };
  const parsed = SendMessage.safeParse(fields);
  if (!parsed.success) return refuse(validationProblem("json", parsed.error));
  const commit = (input: SendMessage, settings: RuntimeSettings) => {
    // Header values cannot hold a newline, so no REST Idempotency-Key can reach this namespace.
    const idem = { key: `socket\n${participantId}\n${client_id}`, fingerprint: fingerprint(canonicalJson(fields)) };
    const outcome = send(core, accountId, { ...input, author: participantId }, idem, ws, { fallback_order: settings.fallback_order });
    if (outcome.ok) room.send(ws, { type: "message.ack", client_id, message: outcome.value });
    else refuse(outcome.problem);
  };
  const input = parsed.data;
  const pending = chains.get(ws);
  // The common case, no upload to look up, no hook to ask and nothing queued before it, commits in this turn.
  const known = knownSettings(accountId);
  if (!pending && known && known.hook === null && !input.media?.some((m) => m.media_id !== undefined)) return commit(input, known);
  // Uploads named by media_id are looked up in R2 and the account's pre-event hook asked first (as
  // the Worker does for REST), so this socket's later frames wait their turn: its messages commit
  // in the order it sent them.
  const next = (pending ?? Promise.resolve())
    .then(async () => {
      const media = await resolveMedia(env, accountId, input.media, "body.media");
      const conversationId = core.store.conversation()?.id ?? "";
      const settings = await settingsOf(env, accountId);
      commit(await throughHook(env, accountId, conversationId, { ...input, author: participantId, ...(media ? { media } : {}) }), settings);
    })
    .catch((error: unknown) => {
      if (error instanceof ProblemError) return refuse(error.problem);
      console.error("a socket message.send failed:", error);
      room.send(ws, { type: "error", code: "invalid", client_id, message: "the message could not be processed" });
    });
  chains.set(ws, next);
  void next.finally(() => {
    if (chains.get(ws) === next) chains.delete(ws);
  });
}

/** Per socket, the message.send still resolving media, which its later sends wait behind. */
const chains = new WeakMap<WebSocket, Promise<void>>();

/**
 * A 53-bit hash of the frame (cyrb53), synchronous so frames are handled in the order they came
 * (an await here would let a later frame commit first). It only tells a resend from a different
 * message under the same client_id, in the client's own namespace: not a security boundary.
 */
function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `socket:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16)}`;
}
