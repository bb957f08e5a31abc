import { z } from "zod";
import type { Conversation } from "./conversation";
import type { Message } from "./message";
import type { Participant } from "./participant";

/**
 * The WebSocket protocol of a conversation stream, shared by the server and the SDK: one
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

export type PresenceStatus = "online" | "offline";

export type ServerFrame =
  | {
      type: "ready";
      conversation_id: string;
      participant: Participant | null;
      last_index: number;
      online: string[];
    }
  | { type: "message.added"; message: Message }
  | { type: "message.updated"; message: Message }
  | { type: "typing"; participant_id: string; state: "started" | "stopped"; expires_at: string | null }
  | { type: "read.updated"; participant_id: string; last_read_index: number; unread_count: number }
  | { type: "participant.added"; participant: Participant }
  | { type: "participant.removed"; participant_id: string }
  | { type: "presence"; participant_id: string; status: PresenceStatus; last_seen_at: string }
  | { type: "conversation.updated"; conversation: Conversation }
  | { type: "resumed"; last_index: number }
  | { type: "error"; code: ErrorCode; message: string };

export type ErrorCode = "bad_frame" | "rate_limited" | "forbidden" | "invalid";

export const ClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("typing"), state: z.enum(["started", "stopped"]) }),
  z.object({ type: z.literal("read"), last_read_index: z.number().int().min(0) }),
  z.object({ type: z.literal("resume"), last_index: z.number().int().min(-1) }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** Account-wide stream (`GET /v1/stream`) for agent consoles. */
export type AccountFrame =
  | { type: "ready"; account_id: string }
  | { type: "conversation.created" | "conversation.updated"; conversation: Conversation }
  | { type: "conversation.deleted"; conversation_id: string }
  | {
      type: "message.added";
      conversation_id: string;
      message: { id: string; index: number; author: string; author_kind: string; body: string; created_at: string };
    };
