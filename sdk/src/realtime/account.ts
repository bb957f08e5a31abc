// The account stream (`GET /v1/stream`, API key): conversation.created|updated|deleted and
// message.added summaries for the whole account, for agent consoles. It has no replay: a console
// that was away catches up by listing, so `open` after a reconnect is the cue to list again.
import { resolveCredential } from "../http";
import type { AccountFrame } from "../types";
import type { ConversationSocketConfig } from "./conversation";
import { Emitter } from "./emitter";
import { PROTOCOL, ReconnectingSocket, type ReconnectOptions } from "./socket";

/** The frame of a type (`conversation.created` and `.updated` share one schema whose `type` is either). */
type FrameOf<T extends AccountFrame["type"]> = AccountFrame extends infer F ? (F extends { type: infer U } ? (T extends U ? F & { type: T } : never) : never) : never;

export type AccountEvents = { [T in AccountFrame["type"]]: (frame: FrameOf<T>) => void } & {
  /** Connected (or connected again): `ready` received. Anything may have changed while away. */
  open: (ready: FrameOf<"ready">) => void;
  close: (info: { code: number; reason: string; willRetry: boolean }) => void;
  reconnecting: (info: { attempt: number; delayMs: number }) => void;
};

export class RealtimeAccount {
  private readonly events = new Emitter<AccountEvents>();
  private readonly socket: ReconnectingSocket;
  private readySeen: (() => void) | undefined;
  readonly ready: Promise<void>;

  constructor(config: ConversationSocketConfig, options: ReconnectOptions = {}) {
    this.ready = new Promise((resolve) => (this.readySeen = resolve));
    this.socket = new ReconnectingSocket(
      config.WebSocket,
      {
        endpoint: async () => {
          const credential = await resolveCredential(config.credential);
          return { url: `${config.baseUrl.replace(/^http/, "ws")}/v1/stream`, protocols: credential ? [PROTOCOL, credential] : [PROTOCOL] };
        },
        text: (text) => {
          let frame: AccountFrame;
          try {
            frame = JSON.parse(text) as AccountFrame;
          } catch {
            return;
          }
          if (frame.type === "ready") {
            this.socket.healthy();
            this.emit("open", frame);
            this.readySeen?.();
          }
          this.emit(frame.type, frame as never);
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

  on<K extends keyof AccountEvents>(type: K, listener: AccountEvents[K]): () => void {
    return this.events.on(type, listener);
  }

  close(): void {
    this.socket.stop();
  }

  private emit<K extends keyof AccountEvents>(type: K, arg: Parameters<AccountEvents[K]>[0]): void {
    this.events.emit(type, arg);
  }
}
