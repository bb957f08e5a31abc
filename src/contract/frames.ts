import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Identity, ProblemSchema, Timestamp } from "./common";
import { Conversation } from "./conversation";
import { Draft } from "./draft";
import { Handoff } from "./handoff";
import { Message } from "./message";
import { Participant } from "./participant";

/**
 * The WebSocket protocol of a conversation stream, shared by the server and its clients: one
 * discriminated union each way, keyed by `type`.
 *
 * Message order: `message.added` frames carry the conversation index. Connect with
 * `?last_index=N` (the last index you saw) to get every later message, in order, before any live
 * one: the replay and the switch to live happen in one turn on the server. A `resume` frame (once
 * per connection) replays the same range, up to the index `ready` reported; a message committed
 * between the connect and the frame's arrival reaches the socket live and so may come before the
 * replay. Either way each message arrives exactly once; sort by index, or prefer `?last_index`.
 */

/** How long a `typing: started` holds if `stopped` never comes. */
export const TYPING_TTL_MS = 6_000;
/** A participant's typing frames are broadcast at most this often. */
export const TYPING_THROTTLE_MS = 2_000;
/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Clients send the text "ping" at least this often; the runtime answers "pong" without waking us. */
export const PING_INTERVAL_MS = 30_000;

export const PresenceStatus = z.enum(["online", "offline"]);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

export const ErrorCode = z.enum(["bad_frame", "rate_limited", "forbidden", "invalid", "conflict"]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

export const ServerFrame = z.discriminatedUnion("type", [
  frame("ready", { conversation_id: z.string(), participant: Participant.nullable(), last_index: z.number().int(), online: z.array(z.string()) }),
  frame("message.added", { message: Message }),
  frame("message.updated", { message: Message }),
  /** The message became a tombstone in its slot (body empty, `deleted_at` set): replace it where shown. */
  frame("message.deleted", { message: Message }),
  frame("typing", { participant_id: z.string(), state: z.enum(["started", "stopped"]), expires_at: Timestamp.nullable() }),
  frame("read.updated", { participant_id: z.string(), last_read_index: z.number().int(), unread_count: z.number().int() }),
  frame("participant.added", { participant: Participant }),
  frame("participant.removed", { participant_id: z.string() }),
  frame("presence", { participant_id: z.string(), status: PresenceStatus, last_seen_at: Timestamp }),
  frame("conversation.updated", { conversation: Conversation }),
  frame("resumed", { last_index: z.number().int() }),
  frame("message.ack", { client_id: z.string(), message: Message }),
  frame("error", {
    code: ErrorCode,
    message: z.string(),
    /** Set when the error answers a `message.send`: which one. */
    client_id: z.string().optional(),
    /** For a refused `message.send`: the problem document REST would have answered, fields named as in the REST body. */
    problem: ProblemSchema.optional(),
  }),
  /** AI drafts (a new one, and each change of its status) and who answers the conversation (bot or agent). */
  frame("draft.created", { draft: Draft }),
  frame("draft.updated", { draft: Draft }),
  frame("handoff.updated", { handoff: Handoff }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/**
 * A message sent over the socket, as the socket's participant. `client_id` is the client's
 * idempotency key: resending it (after a reconnect, or to an object evicted since) answers the first
 * ack and stores nothing. The rest is checked by the REST send's own schema (`SendMessage`, without
 * `author`), so the same rules and messages apply; its errors come back with the `client_id`.
 */
export const MessageSendFrame = frame("message.send", {
  client_id: z.string().min(1).max(LIMITS.idempotencyKeyChars),
  body: z.unknown().optional(),
  media: z.unknown().optional(),
  channels: z.unknown().optional(),
  attributes: z.unknown().optional(),
});

export const ClientFrame = z.discriminatedUnion("type", [
  MessageSendFrame,
  frame("typing", { state: z.enum(["started", "stopped"]) }),
  frame("read", { last_read_index: z.number().int().min(0) }),
  frame("resume", { last_index: z.number().int().min(-1) }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** Account-wide stream (`GET /v1/stream`) for agent consoles. */
export const AccountFrame = z.discriminatedUnion("type", [
  frame("ready", { account_id: z.string() }),
  z.object({ type: z.enum(["conversation.created", "conversation.updated"]), conversation: Conversation }),
  frame("conversation.deleted", { conversation_id: z.string() }),
  /** A message became a tombstone (DELETE, or the retention job). */
  frame("message.deleted", { conversation_id: z.string(), message: z.object({ id: z.string(), index: z.number().int() }) }),
  frame("message.added", {
    conversation_id: z.string(),
    message: z.object({ id: z.string(), index: z.number().int(), author: z.string(), author_kind: z.string(), body: z.string(), created_at: Timestamp }),
  }),
]);
export type AccountFrame = z.infer<typeof AccountFrame>;

/** The query of `GET /v1/conversations/{conversation_id}/stream`. */
export const StreamQuery = z.object({
  token: z.string().optional().openapi({ description: "A participant token, for clients that cannot set headers." }),
  identity: Identity.optional().openapi({ description: "With an API key: connect as this chat identity of the conversation." }),
  last_index: z.coerce.number().int().min(-1).optional().openapi({ description: "The last message index you saw: every later message is sent first, in order." }),
});
