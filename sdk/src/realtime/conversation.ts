// A conversation's live stream: every message exactly once and in index order across drops
// (reconnecting with `?last_index=` the last one seen, which the server replays from before any
// live frame), typing, read receipts, presence and delivery updates, and sends over the socket
// that survive a reconnect (their `client_id` is the idempotency key).
import { errorFor, ParleyError } from "../errors";
import { randomId, resolveCredential, type Credential } from "../http";
import type { Message, ProblemDocument, ServerFrame } from "../types";
import { Emitter } from "./emitter";
import { PROTOCOL, ReconnectingSocket, type ReconnectOptions, type SocketConstructor } from "./socket";

type FrameOf<T extends ServerFrame["type"]> = Extract<ServerFrame, { type: T }>;

/** Listeners by name: each server frame type, plus the connection's own events. */
export type ConversationEvents = { [T in ServerFrame["type"]]: (frame: FrameOf<T>) => void } & {
  /** Connected (or connected again) and `ready` received. */
  open: (ready: FrameOf<"ready">) => void;
  /** A connection went down; `willRetry` false means this stream is over. */
  close: (info: { code: number; reason: string; willRetry: boolean }) => void;
  reconnecting: (info: { attempt: number; delayMs: number }) => void;
};

/** What a socket send takes: a REST send's body without `author` (the socket's participant is the author). */
export type SocketSend = {
  body?: string;
  media?: { media_id?: string; url?: string; content_type?: string; filename?: string }[];
  channels?: string[];
  attributes?: Record<string, unknown>;
  /** The idempotency key (default: generated). Reuse it to resend safely. */
  client_id?: string;
};

export type ConnectOptions = ReconnectOptions & {
  /** The last index already seen: every later message is delivered first. Default: from now on (the index `ready` reports). -1: the whole history. */
  lastIndex?: number;
  /** With an API key: act as this chat identity of the conversation (typing, read, send). */
  identity?: string;
};

export type ConversationSocketConfig = {
  baseUrl: string;
  credential: Credential | undefined;
  WebSocket: SocketConstructor;
};

type Pending = { frame: string; resolve: (m: Message) => void; reject: (e: Error) => void };

export class RealtimeConversation {
  private last: number | undefined;
  private readonly events = new Emitter<ConversationEvents>();
  private readonly pending = new Map<string, Pending>();
  private readonly socket: ReconnectingSocket;
  private readIndex: number | undefined;
  private readySeen: (() => void) | undefined;
  /** Resolves with the first `ready` (the connection is up). */
  readonly ready: Promise<void>;

  constructor(
    readonly conversationId: string,
    private readonly config: ConversationSocketConfig,
    private readonly options: ConnectOptions = {},
  ) {
    this.last = options.lastIndex;
    this.ready = new Promise((resolve) => (this.readySeen = resolve));
    this.socket = new ReconnectingSocket(
      config.WebSocket,
      {
        endpoint: () => this.endpoint(),
        text: (text) => this.frame(text),
        down: (info) => {
          this.emit("close", { code: info.code, reason: info.reason, willRetry: info.willRetry });
          if (info.willRetry) this.emit("reconnecting", { attempt: info.attempt, delayMs: info.delayMs });
          else for (const [id, p] of this.pending) this.settle(id, p.reject, new Error(`socket closed (${info.code} ${info.reason})`));
        },
      },
      options,
    );
    this.socket.start();
  }

  /** The index of the last message delivered to listeners (-1 before the first). */
  get lastIndex(): number {
    return this.last ?? -1;
  }

  /** Listens for one frame type (or `open`, `close`, `reconnecting`); returns the unsubscribe. */
  on<K extends keyof ConversationEvents>(type: K, listener: ConversationEvents[K]): () => void {
    return this.events.on(type, listener);
  }

  /** Every message, exactly once and in index order, across reconnects (your own sends included). */
  onMessage(listener: (message: Message) => void): () => void {
    return this.on("message.added", (frame) => listener(frame.message as Message));
  }

  /** Sends a message over the socket as this socket's participant; resolves with it once committed. */
  send(message: SocketSend): Promise<Message> {
    const { client_id = randomId(), ...rest } = message;
    const frame = JSON.stringify({ type: "message.send", client_id, ...rest });
    return new Promise((resolve, reject) => {
      this.pending.set(client_id, { frame, resolve, reject });
      this.socket.send(frame); // if not open now, it goes out on the next `ready`
    });
  }

  /** Typing indicators are of the moment: sent if connected, dropped if not. */
  typing(state: "started" | "stopped"): void {
    this.socket.send(JSON.stringify({ type: "typing", state }));
  }

  /** Moves this participant's read horizon; kept and sent on reconnect if the socket is down. */
  markRead(index: number): void {
    this.readIndex = Math.max(index, this.readIndex ?? -1);
    this.socket.send(JSON.stringify({ type: "read", last_read_index: this.readIndex }));
  }

  /** Closes the stream for good; sends still waiting for their ack fail. */
  close(): void {
    this.socket.stop();
    for (const [id, p] of this.pending) this.settle(id, p.reject, new Error("the stream was closed before the send was acknowledged"));
  }

  private async endpoint() {
    const params = new URLSearchParams();
    if (this.last !== undefined) params.set("last_index", String(this.last));
    if (this.options.identity) params.set("identity", this.options.identity);
    const query = params.toString();
    const base = this.config.baseUrl.replace(/^http/, "ws");
    const url = `${base}/v1/conversations/${encodeURIComponent(this.conversationId)}/stream${query ? `?${query}` : ""}`;
    const credential = await resolveCredential(this.config.credential);
    return { url, protocols: credential ? [PROTOCOL, credential] : [PROTOCOL] };
  }

  private frame(text: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case "ready":
        this.last ??= frame.last_index;
        this.socket.healthy();
        this.emit("ready", frame);
        this.emit("open", frame);
        this.readySeen?.();
        for (const p of this.pending.values()) this.socket.send(p.frame);
        if (this.readIndex !== undefined) this.socket.send(JSON.stringify({ type: "read", last_read_index: this.readIndex }));
        return;
      case "message.added":
        return this.arrived(frame.message);
      case "message.ack": {
        this.arrived(frame.message);
        const p = this.pending.get(frame.client_id);
        if (p) this.settle(frame.client_id, p.resolve, frame.message as Message);
        return this.emit("message.ack", frame);
      }
      case "error": {
        const p = frame.client_id === undefined ? undefined : this.pending.get(frame.client_id);
        if (p && frame.client_id !== undefined) {
          const problem: ProblemDocument = frame.problem ?? { type: "about:blank", title: frame.code, status: frame.code === "forbidden" ? 403 : 422, detail: frame.message };
          this.settle(frame.client_id, p.reject, errorFor(problem.status, problem, new Headers()) as ParleyError);
        }
        return this.emit("error", frame);
      }
      default:
        return this.emit(frame.type, frame as never);
    }
  }

  /** The ordering gate: the next index is delivered, an earlier one is a duplicate, a later one a gap. */
  private arrived(message: FrameOf<"message.added">["message"]): void {
    const expected = (this.last ?? -1) + 1;
    if (message.index < expected) return;
    if (message.index > expected) {
      // A gap (should not happen: the server replays before live frames). Reconnecting from the
      // last index seen fills it; what came early arrives again in order.
      this.socket.restart();
      return;
    }
    this.last = message.index;
    this.emit("message.added", { type: "message.added", message });
  }

  private settle<A>(id: string, fn: (a: A) => void, value: A): void {
    this.pending.delete(id);
    fn(value);
  }

  private emit<K extends keyof ConversationEvents>(type: K, arg: Parameters<ConversationEvents[K]>[0]): void {
    this.events.emit(type, arg);
  }
}
