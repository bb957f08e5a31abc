import { ClientFrame } from "../../contract/frames";
import type { Participant } from "../../contract/participant";
import { answerClose } from "../../lib/websocket";
import type { Room } from "./room";
import { renderMessage, type ConversationRow, type ParticipantRow } from "../rows";
import type { ConversationStore } from "../store";

/**
 * What a conversation's sockets see beyond broadcasts of committed changes: the welcome on connect,
 * replay of missed messages, parsing of client frames, and presence as sockets come and go.
 */
export class Live {
  /** Sockets that already had their replay: a second would resend the whole range. */
  private readonly resumed = new WeakSet<WebSocket>();

  constructor(
    private readonly room: Room,
    private readonly store: ConversationStore,
  ) {}

  /**
   * Accepts a socket: `ready`, then (with `resumeFrom`) every message after it, then live events.
   * All in one synchronous turn, so no live `message.added` can slip in between.
   */
  welcome(server: WebSocket, conv: ConversationRow, participant: ParticipantRow | undefined, view: Participant | null, resumeFrom: number | null, now: number): void {
    const participantId = participant?.id ?? null;
    const wasOnline = participantId !== null && this.room.isOnline(participantId);
    const lastIndex = conv.next_index - 1;
    this.room.accept(server, { participantId, connectedAt: now, connectIndex: lastIndex });
    this.room.send(server, { type: "ready", conversation_id: conv.id, participant: view && { ...view, online: true, last_seen_at: null }, last_index: lastIndex, online: this.room.online() });
    if (resumeFrom !== null) this.replay(server, resumeFrom, lastIndex);
    if (participantId !== null && !wasOnline) {
      this.room.broadcast({ type: "presence", participant_id: participantId, status: "online", last_seen_at: new Date(now).toISOString() }, participantId);
    }
  }

  /** The frame, or null after answering the socket with an `error` frame (the socket stays open). */
  parse(ws: WebSocket, data: string | ArrayBuffer): ClientFrame | null {
    try {
      const parsed = ClientFrame.safeParse(JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data)));
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      this.room.send(ws, { type: "error", code: "bad_frame", message: `${issue?.path.join(".") || "frame"}: ${issue?.message ?? "invalid"}` });
    } catch {
      this.room.send(ws, { type: "error", code: "bad_frame", message: "frames are JSON objects with a `type`" });
    }
    return null;
  }

  /**
   * Sends every message after `lastSeen` up to `through` (the last index when the socket
   * connected; later ones reach it live), in index order, then `resumed`.
   */
  replay(ws: WebSocket, lastSeen: number, through: number): void {
    const conv = this.store.conversation();
    if (!conv) return;
    if (this.resumed.has(ws)) {
      this.room.send(ws, { type: "error", code: "invalid", message: "a connection resumes once; reconnect with ?last_index= to resume again" });
      return;
    }
    this.resumed.add(ws);
    let after = lastSeen;
    while (after < through) {
      const rows = this.store.messagesPage(after, through + 1, "asc", 200);
      if (rows.length === 0) break;
      for (const m of rows) this.room.send(ws, { type: "message.added", message: renderMessage(conv.id, m) });
      after = rows.at(-1)!.idx;
    }
    this.room.send(ws, { type: "resumed", last_index: through });
  }

  /** A socket closed or failed: complete the close, and take its participant offline if it was the last. */
  gone(ws: WebSocket, code: number): void {
    answerClose(ws, code);
    const participantId = this.room.who(ws).participantId;
    // A swept socket's participant was settled when the sweep closed it.
    if (participantId === null || this.room.wasSwept(ws)) return;
    if (!this.room.isOnline(participantId, ws)) this.wentOffline([participantId], Date.now());
  }

  sweep(now: number): void {
    const gone = this.room.sweep(now);
    if (gone.length > 0) this.wentOffline(gone, now);
  }

  private wentOffline(participantIds: string[], now: number): void {
    for (const id of participantIds) {
      if (!this.store.participantById(id)) continue;
      this.store.setLastSeen(id, now);
      this.room.broadcast({ type: "presence", participant_id: id, status: "offline", last_seen_at: new Date(now).toISOString() });
    }
  }
}
