import { closeQuietly } from "../../lib/websocket";
import { MAX_FRAME_BYTES, PING_INTERVAL_MS, TYPING_THROTTLE_MS, TYPING_TTL_MS, type ServerFrame } from "../../contract/frames";

/**
 * The live side of a conversation: hibernatable WebSockets, presence and typing.
 *
 * Sockets are accepted with `ctx.acceptWebSocket`, so the runtime holds them while the object
 * sleeps; who a socket belongs to lives in its attachment (which survives hibernation) and is
 * cached per socket object here, because deserializing on every broadcast would dominate fan-out.
 * Nothing here sets a timer: a timer would keep the object awake. Liveness is checked from the
 * alarm instead, using the timestamps the runtime records when it auto-answers "ping".
 */
export type SocketAttachment = {
  /** Namespaced so other attachment data can be added without colliding. */
  parley: { participantId: string | null; connectedAt: number; connectIndex: number; swept?: true };
};

const participantTag = (id: string) => `p:${id}`;
const OBSERVER_TAG = "observer";
/** A socket not heard from (frames or pings) for this long is taken for gone. */
export const STALE_AFTER_MS = PING_INTERVAL_MS * 2.5;
/**
 * Per socket, two token buckets: a burst of `size` frames refilled at `perSecond`. Messages have
 * their own, roomier one, so a client's typing and read frames never eat into what it may send,
 * and a chat burst (a paste of lines, a bot's answer in parts) goes through.
 */
const BUCKETS = {
  frames: { size: 20, perSecond: 5 },
  messages: { size: 60, perSecond: 10 },
} as const;
export type Bucket = keyof typeof BUCKETS;

export class Room {
  private readonly attachments = new WeakMap<WebSocket, SocketAttachment["parley"]>();
  private readonly buckets: Record<Bucket, WeakMap<WebSocket, { tokens: number; at: number; warnedAt: number }>> = { frames: new WeakMap(), messages: new WeakMap() };
  private readonly lastHeard = new WeakMap<WebSocket, number>();
  private readonly typingAt = new Map<string, number>();

  constructor(private readonly ctx: DurableObjectState) {
    // The runtime answers pings itself, without waking a hibernated object, and records when.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  accept(ws: WebSocket, who: SocketAttachment["parley"]): void {
    this.ctx.acceptWebSocket(ws, [who.participantId ? participantTag(who.participantId) : OBSERVER_TAG]);
    ws.serializeAttachment({ parley: who } satisfies SocketAttachment);
    this.attachments.set(ws, who);
  }

  who(ws: WebSocket): SocketAttachment["parley"] {
    let who = this.attachments.get(ws);
    if (!who) {
      who = (ws.deserializeAttachment() as SocketAttachment).parley;
      this.attachments.set(ws, who);
    }
    return who;
  }

  /** Open sockets, optionally only one participant's. */
  sockets(participantId?: string): WebSocket[] {
    const all = this.ctx.getWebSockets(participantId ? participantTag(participantId) : undefined);
    return all.filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  /** Closes every open socket, or one participant's. */
  closeAll(code: number, reason: string, participantId?: string): void {
    for (const ws of this.sockets(participantId)) closeQuietly(ws, code, reason);
  }

  isOnline(participantId: string, except?: WebSocket): boolean {
    return this.sockets(participantId).some((ws) => ws !== except);
  }

  online(): string[] {
    const ids = new Set<string>();
    for (const ws of this.sockets()) {
      const id = this.who(ws).participantId;
      if (id) ids.add(id);
    }
    return [...ids];
  }

  send(ws: WebSocket, frame: ServerFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // The socket closed under us; its close handler does the bookkeeping.
    }
  }

  /** Serializes once, then sends to every open socket but those of `exceptParticipant` and `exceptSocket`. */
  broadcast(frame: ServerFrame, exceptParticipant?: string, exceptSocket?: WebSocket): void {
    const text = JSON.stringify(frame);
    for (const ws of this.sockets()) {
      if (ws === exceptSocket) continue;
      if (exceptParticipant !== undefined && this.who(ws).participantId === exceptParticipant) continue;
      try {
        ws.send(text);
      } catch {
        // as above
      }
    }
  }

  /** Whether a frame of this size may be processed at all; bigger ones close the socket (1009). */
  fits(ws: WebSocket, data: string | ArrayBuffer): boolean {
    const size = typeof data === "string" ? data.length * 3 : data.byteLength; // UTF-8 upper bound for strings
    if (size <= MAX_FRAME_BYTES) return true;
    if (typeof data === "string" && new TextEncoder().encode(data).byteLength <= MAX_FRAME_BYTES) return true;
    closeQuietly(ws, 1009, `frames are limited to ${MAX_FRAME_BYTES} bytes`);
    return false;
  }

  /**
   * Token bucket per socket, so one flooding client is slowed without touching anyone else. In
   * memory only: a socket that hibernated was idle, so starting it over with a full bucket is right.
   */
  allow(ws: WebSocket, now: number, kind: Bucket = "frames", clientId?: string): boolean {
    this.lastHeard.set(ws, now);
    const { size, perSecond } = BUCKETS[kind];
    const bucket = this.buckets[kind].get(ws) ?? { tokens: size, at: now, warnedAt: 0 };
    bucket.tokens = Math.min(size, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets[kind].set(ws, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    // A refused message is always answered (its sender waits for an ack); other frames at most once a second.
    if (clientId !== undefined || now - bucket.warnedAt > 1000) {
      bucket.warnedAt = now;
      const message = `slow down: at most ${perSecond} ${kind} a second (bursts of ${size})`;
      this.send(ws, clientId === undefined ? { type: "error", code: "rate_limited", message } : { type: "error", code: "rate_limited", message, client_id: clientId });
    }
    return false;
  }

  /**
   * `started` is broadcast at most once per participant per throttle window (a `stopped` in between
   * does not reopen the window, or toggling would defeat it); `stopped` always is.
   */
  typing(participantId: string, state: "started" | "stopped", now: number): void {
    if (state === "started") {
      const last = this.typingAt.get(participantId) ?? 0;
      if (now - last < TYPING_THROTTLE_MS) return;
      this.typingAt.set(participantId, now);
    }
    const expires_at = state === "started" ? new Date(now + TYPING_TTL_MS).toISOString() : null;
    this.broadcast({ type: "typing", participant_id: participantId, state, expires_at }, participantId);
  }

  /** Sockets the sweep closed: their presence was settled then, not when their close completes. */
  wasSwept(ws: WebSocket): boolean {
    return this.who(ws).swept === true;
  }

  /**
   * Closes sockets that have shown no sign of life (no frame, no auto-answered ping) for too long:
   * a laptop lid closed without a close frame leaves such a socket looking open. Returns the
   * participants that have no socket left, so their presence can go offline.
   */
  sweep(now: number): string[] {
    const gone = new Set<string>();
    for (const ws of this.sockets()) {
      const who = this.who(ws);
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      const heard = Math.max(pinged, this.lastHeard.get(ws) ?? 0, who.connectedAt);
      if (now - heard < STALE_AFTER_MS) continue;
      // Remembered in the attachment, so a close that completes after hibernation is not announced again.
      const marked = { ...who, swept: true as const };
      ws.serializeAttachment({ parley: marked } satisfies SocketAttachment);
      this.attachments.set(ws, marked);
      closeQuietly(ws, 1001, "no ping received; connection presumed lost");
      if (who.participantId) gone.add(who.participantId);
    }
    return [...gone].filter((id) => !this.isOnline(id));
  }
}
