// A WebSocket that comes back: reconnects with exponential backoff and full jitter, keeps the
// connection alive with the text "ping" the server's runtime answers without waking anything, and
// takes a connection that stopped answering for gone. What a connection means (frames, resume) is
// its owner's business; this only keeps one open.
import { backoffMs } from "../retry";

/** The part of a WebSocket the SDK uses: the browser's, Node 22's, undici's, `ws`'s and Workers' all fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: any) => void): void;
}
export type SocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

/**
 * Clients send "ping" at least this often (the contract's PING_INTERVAL_MS in src/contract/frames.ts;
 * repeated here because that module carries zod at run time, and checked equal by the SDK's tests).
 */
export const PING_INTERVAL_MS = 30_000;
/** The subprotocol Parley speaks; a credential goes beside it, since browsers cannot set headers. */
export const PROTOCOL = "parley.v1";

export type ReconnectOptions = {
  /** First retry waits up to this long (jittered), doubling per failed attempt. Default 500 ms. */
  initialDelayMs?: number;
  /** The longest wait between attempts. Default 15 s. */
  maxDelayMs?: number;
  /** Give up after this many failed attempts in a row. Default: never. */
  maxAttempts?: number;
  /** Ping every this often. Default PING_INTERVAL_MS. */
  pingIntervalMs?: number;
};

export type Endpoint = { url: string; protocols: string[] };

type Handlers = {
  /** Where to connect now (asked before every attempt: the resume index and a fresh token go in it). */
  endpoint(): Promise<Endpoint>;
  text(text: string): void;
  /** A connection went down; `willRetry` says whether another attempt is scheduled. */
  down(info: { code: number; reason: string; willRetry: boolean; attempt: number; delayMs: number }): void;
};

export function webSocketConstructor(injected: SocketConstructor | undefined): SocketConstructor {
  const found = injected ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
  if (!found) throw new Error("no WebSocket here (Node 20): pass one, e.g. new Parley({ WebSocket: (await import('ws')).WebSocket })");
  return found;
}

export class ReconnectingSocket {
  private ws: SocketLike | undefined;
  private stopped = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly pingIntervalMs: number;

  constructor(
    private readonly WebSocketImpl: SocketConstructor,
    private readonly handlers: Handlers,
    private readonly options: ReconnectOptions = {},
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 15_000;
    this.pingIntervalMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
  }

  get open(): boolean {
    return this.ws?.readyState === 1;
  }

  start(): void {
    void this.connect();
  }

  /** Sends if open; false if not (the caller decides whether to keep it for later). */
  send(text: string): boolean {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(text);
    return true;
  }

  /** The connection is sound: the next drop starts the backoff afresh. */
  healthy(): void {
    this.failures = 0;
  }

  /** Drops the current connection and connects again at once (a gap to fill, say). */
  restart(): void {
    if (this.stopped) return;
    this.detach(1000, "restart");
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.detach(1000, "closed by the client");
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let endpoint: Endpoint;
    try {
      endpoint = await this.handlers.endpoint();
    } catch (error) {
      return this.lost(4000, `no credential: ${(error as Error)?.message ?? error}`);
    }
    if (this.stopped) return;
    let ws: SocketLike;
    try {
      ws = new this.WebSocketImpl(endpoint.url, endpoint.protocols);
    } catch (error) {
      return this.lost(1006, (error as Error)?.message ?? String(error));
    }
    this.ws = ws;
    this.lastHeard = Date.now();
    ws.addEventListener("open", () => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      this.startPings(ws);
    });
    ws.addEventListener("message", (event: { data: unknown }) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      const text = typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer);
      if (text !== "pong") this.handlers.text(text);
    });
    ws.addEventListener("close", (event: { code?: number; reason?: string }) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.lost(event.code ?? 1006, event.reason ?? "");
    });
    // An error is followed by a close, which does the work.
    ws.addEventListener("error", () => {});
  }

  private startPings(ws: SocketLike): void {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.ws !== ws) return;
      // Nothing heard for two intervals (not even a pong): the connection is dead even if no close came.
      if (Date.now() - this.lastHeard > 2 * this.pingIntervalMs + 5_000) {
        this.detach(4000, "no answer to pings");
        return this.lost(1006, "no answer to pings");
      }
      if (ws.readyState === 1) ws.send("ping");
    }, this.pingIntervalMs);
  }

  private detach(code: number, reason: string): void {
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = undefined;
    if (ws && ws.readyState <= 1) {
      try {
        ws.close(code, reason);
      } catch {
        // already closing
      }
    }
  }

  private lost(code: number, reason: string): void {
    clearInterval(this.pingTimer);
    if (this.stopped) return this.handlers.down({ code, reason, willRetry: false, attempt: this.failures, delayMs: 0 });
    const attempt = ++this.failures;
    const max = this.options.maxAttempts;
    const willRetry = max === undefined || attempt <= max;
    // The first retry after a healthy connection goes at once (plus jitter); later ones back off.
    const delayMs = backoffMs(attempt - 1, this.initialDelayMs, this.maxDelayMs);
    this.handlers.down({ code, reason, willRetry, attempt, delayMs });
    if (!willRetry) return void (this.stopped = true);
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }
}
