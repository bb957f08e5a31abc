// Streams without replay: the account stream (`GET /v1/stream`, API key: conversation.created|
// updated|deleted and message.added summaries for the whole account, for agent consoles) and an
// agent's own stream (`GET /v1/agents/{identity}/stream`: routing offers). A client that was away
// catches up by listing, so `open` after a reconnect is the cue to list again.
import { resolveCredential } from "../http";
import type { AccountFrame, AgentFrame } from "../types";
import type { ConversationSocketConfig } from "./conversation";
import { Emitter } from "./emitter";
import { PROTOCOL, ReconnectingSocket, type ReconnectOptions } from "./socket";

type Frame = { type: string };
/** The frame of a type (a schema whose `type` is one of several, as `conversation.created|updated`, counts for each). */
type FrameOf<F extends Frame, T extends F["type"]> = F extends infer X ? (X extends { type: infer U } ? (T extends U ? X & { type: T } : never) : never) : never;

export type FeedEvents<F extends Frame> = { [T in F["type"]]: (frame: FrameOf<F, T>) => void } & {
  /** Connected (or connected again): `ready` received. Anything may have changed while away. */
  open: (ready: FrameOf<F, "ready" & F["type"]>) => void;
  close: (info: { code: number; reason: string; willRetry: boolean }) => void;
  reconnecting: (info: { attempt: number; delayMs: number }) => void;
};

export class RealtimeFeed<F extends Frame> {
  private readonly events = new Emitter<FeedEvents<F>>();
  private readonly socket: ReconnectingSocket;
  private readySeen: (() => void) | undefined;
  /** Resolves with the first `ready`. */
  readonly ready: Promise<void>;

  constructor(config: ConversationSocketConfig, path: string, options: ReconnectOptions = {}) {
    this.ready = new Promise((resolve) => (this.readySeen = resolve));
    this.socket = new ReconnectingSocket(
      config.WebSocket,
      {
        endpoint: async () => {
          const credential = await resolveCredential(config.credential);
          return { url: `${config.baseUrl.replace(/^http/, "ws")}${path}`, protocols: credential ? [PROTOCOL, credential] : [PROTOCOL] };
        },
        text: (text) => {
          let frame: F;
          try {
            frame = JSON.parse(text) as F;
          } catch {
            return;
          }
          if (frame.type === "ready") {
            this.socket.healthy();
            this.emit("open", frame as never);
            this.readySeen?.();
          }
          this.emit(frame.type as F["type"], frame as never);
        },
        down: (info) => {
          this.emit("close", { code: info.code, reason: info.reason, willRetry: info.willRetry });
          if (info.willRetry) this.emit("reconnecting", { attempt: info.attempt, delayMs: info.delayMs });
        },
      },
      options,
    );
    this.socket.start();
  }

  on<K extends keyof FeedEvents<F>>(type: K, listener: FeedEvents<F>[K]): () => void {
    return this.events.on(type, listener);
  }

  close(): void {
    this.socket.stop();
  }

  private emit<K extends keyof FeedEvents<F>>(type: K, arg: Parameters<FeedEvents<F>[K]>[0]): void {
    this.events.emit(type, arg);
  }
}

/** The account stream: every conversation of the account, as summaries. */
export class RealtimeAccount extends RealtimeFeed<AccountFrame> {
  constructor(config: ConversationSocketConfig, options?: ReconnectOptions) {
    super(config, "/v1/stream", options);
  }
}

/** An agent's own stream: `conversation.assigned` when routing gives it a conversation; holding it is what makes the agent online. */
export class RealtimeAgent extends RealtimeFeed<AgentFrame> {
  constructor(config: ConversationSocketConfig, identity: string, options?: ReconnectOptions) {
    super(config, `/v1/agents/${encodeURIComponent(identity)}/stream`, options);
  }
}

export type AccountEvents = FeedEvents<AccountFrame>;
export type AgentEvents = FeedEvents<AgentFrame>;
