import { exports } from "cloudflare:workers";
import type { ServerFrame } from "../src/schemas/frames";

/** A WebSocket client inside the Workers runtime that records every frame it receives. */
export type Client = {
  ws: WebSocket;
  frames: ServerFrame[];
  /** Resolves with the next frame (after those already seen) that matches. */
  next<T extends ServerFrame["type"]>(type: T, match?: (f: Extract<ServerFrame, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ServerFrame, { type: T }>>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

export async function connect(path: string, init: { key?: string; token?: string; protocols?: string[] } = {}): Promise<{ status: number; client?: Client; body?: any }> {
  const headers = new Headers({ upgrade: "websocket" });
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  if (init.protocols) headers.set("sec-websocket-protocol", init.protocols.join(", "));
  const url = `http://parley.test${path}${init.token ? `${path.includes("?") ? "&" : "?"}token=${init.token}` : ""}`;
  const res = await (exports as unknown as { default: Fetcher }).default.fetch(url, { headers });
  if (!res.webSocket) return { status: res.status, body: await res.json().catch(() => null) };
  const ws = res.webSocket;
  ws.accept();
  const frames: ServerFrame[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (event: MessageEvent) => {
    frames.push(JSON.parse(event.data as string) as ServerFrame);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event: CloseEvent) => resolve({ code: event.code, reason: event.reason })),
  );
  let cursor = 0;
  const client: Client = {
    ws,
    frames,
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
  return { status: res.status, client };
}
