import { exports } from "cloudflare:workers";
import type { ServerFrame } from "../src/contract/frames";

/** A WebSocket client inside the Workers runtime that records every frame it receives. */
export type Client = {
  ws: WebSocket;
  frames: ServerFrame[];
  /** Every text message received, JSON or not (e.g. the runtime's "pong"), in arrival order. */
  texts: string[];
  /** Resolves with the next frame (after those already seen) that matches. */
  next<T extends ServerFrame["type"]>(type: T, match?: (f: Extract<ServerFrame, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ServerFrame, { type: T }>>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

const worker = () => (exports as unknown as { default: Fetcher }).default;

/** The raw answer to a WebSocket upgrade request, for tests that inspect the 101 (or the refusal). */
export async function upgrade(path: string, init: { key?: string; token?: string; protocols?: string[]; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers = new Headers({ upgrade: "websocket", ...init.headers });
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  if (init.protocols) headers.set("sec-websocket-protocol", init.protocols.join(", "));
  const url = `http://parley.test${path}${init.token ? `${path.includes("?") ? "&" : "?"}token=${init.token}` : ""}`;
  return worker().fetch(url, { headers });
}

/** Accepts the client end of an upgrade and starts recording what arrives on it. */
export function attach(ws: WebSocket): Client {
  ws.accept();
  const frames: ServerFrame[] = [];
  const texts: string[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (event: MessageEvent) => {
    const text = typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer);
    texts.push(text);
    try {
      frames.push(JSON.parse(text) as ServerFrame);
    } catch {
      // not a frame (the auto-answered "pong"); kept in `texts` only
    }
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event: CloseEvent) => resolve({ code: event.code, reason: event.reason })),
  );
  let cursor = 0;
  const client: Client = {
    ws,
    frames,
    texts,
    async next(type, match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < frames.length) {
          const f = frames[cursor++]!;
          if (f.type === type && (!match || match(f as never))) return f as never;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no ${type} frame within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(",")}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, remaining);
        });
      }
    },
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    closed,
    close: () => ws.close(1000, "bye"),
  };
  return client;
}

export async function connect(
  path: string,
  init: { key?: string; token?: string; protocols?: string[] } = {},
): Promise<{ status: number; client?: Client; body?: any; headers: Headers }> {
  const res = await upgrade(path, init);
  if (!res.webSocket) return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
  return { status: res.status, client: attach(res.webSocket), headers: res.headers };
}

// ---- added for the real-time suites ---------------------------------------------------------

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Connects and insists on a 101; returns the recording client. */
export async function open(path: string, init: { key?: string; token?: string; protocols?: string[] } = {}): Promise<Client> {
  const res = await connect(path, init);
  if (!res.client) throw new Error(`expected a WebSocket for ${path}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.client;
}

/**
 * Waits until `done(frames)` holds over everything the client has received so far (unlike `next`,
 * which walks a cursor and skips frames of other types). Returns the frames at that moment.
 */
export async function until(client: Client, done: (frames: ServerFrame[]) => boolean, timeoutMs = 5000, what = "condition"): Promise<ServerFrame[]> {
  const deadline = Date.now() + timeoutMs;
  while (!done(client.frames)) {
    if (Date.now() > deadline) {
      const tail = client.frames.slice(-10).map((f) => f.type);
      throw new Error(`${what} not met within ${timeoutMs} ms (${client.frames.length} frames; last: ${tail.join(",")})`);
    }
    await pause(5);
  }
  return client.frames;
}

/** The frames of one type the client has received so far. */
export function framesOf<T extends ServerFrame["type"]>(client: Client, type: T, from = 0): Extract<ServerFrame, { type: T }>[] {
  return client.frames.slice(from).filter((f) => f.type === type) as Extract<ServerFrame, { type: T }>[];
}

/** The indexes of the `message.added` frames received so far, in arrival order. */
export function indexesOf(client: Client, from = 0): number[] {
  return framesOf(client, "message.added", from).map((f) => f.message.index);
}

/**
 * A round trip on one socket: sends a frame the server must reject (`bad_frame`) and waits for that
 * error. The server handles a socket's frames in order, so once this returns, everything sent before
 * it has been processed, and anything it sent back to this socket has arrived.
 */
export async function roundTrip(client: Client, timeoutMs = 5000): Promise<void> {
  const before = framesOf(client, "error").filter((f) => f.code === "bad_frame").length;
  client.send({ type: "barrier" });
  await until(client, () => framesOf(client, "error").filter((f) => f.code === "bad_frame").length > before, timeoutMs, "barrier round trip");
}
