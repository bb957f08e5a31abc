// Shared by the SDK's end-to-end tests: a real `wrangler dev` with a credentials keyring (webhooks
// and channels seal secrets), accounts with an SDK client each, and the small Node servers the tests
// put in front of it: an HTTP proxy that can answer instead of the server, and a TCP proxy that can
// cut every connection (a dropped socket).
import { afterAll, beforeAll } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server.mjs";
import { Parley, type ParleyOptions } from "../../sdk/src/index";

// Node modules, untyped in this Workers-typed repository (as in local.ts), narrowed to what is used.
type NodeFs = { mkdtemp(prefix: string): Promise<string>; rm(path: string, o: { recursive: boolean; force: boolean }): Promise<void> };
export type IncomingMessage = {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  on(event: "data", cb: (chunk: Uint8Array) => void): void;
  on(event: "end", cb: () => void): void;
  socket: { destroy(): void };
};
export type ServerResponse = { writeHead(status: number, headers?: Record<string, string>): void; end(body?: string | Uint8Array): void };
type Closable = { listen(port: number, host: string, cb: () => void): void; address(): { port: number }; close(cb?: () => void): void };
type NetSocket = { pipe<T>(to: T): T; on(event: "error" | "close", cb: () => void): void; destroy(): void };

export const CREDENTIALS_KEYS = () => JSON.stringify({ current: "e2e", keys: { e2e: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) } });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Polls until `done` holds; fails naming `what` after `ms` (generous: the machine may be loaded). */
export async function until(done: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

export function headerRecord(headers: IncomingMessage["headers"]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]));
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) out.set(c, (at += c.length) - c.length);
      resolve(new TextDecoder().decode(out));
    });
  });
}

async function listen<T extends Closable>(server: T): Promise<{ server: T; url: string; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  return { server, url: `http://127.0.0.1:${port}`, port };
}

/** A Node HTTP server on a free port; closed after the file's tests. */
export async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<{ url: string; close(): void }> {
  const http = (await import("node:http" as string)) as { createServer(h: (req: IncomingMessage, res: ServerResponse) => void): Closable };
  const { server, url } = await listen(http.createServer((req, res) => void handler(req, res)));
  return { url, close: () => server.close() };
}

/** Forwards a request to `upstream` as it came and writes the answer back. */
export async function forward(upstream: string, req: IncomingMessage, body: string, res: ServerResponse): Promise<Response> {
  const headers = headerRecord(req.headers);
  delete headers.host;
  delete headers["content-length"];
  const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
  const text = await answer.text();
  res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([k]) => k !== "content-length" && k !== "content-encoding" && k !== "transfer-encoding")));
  res.end(text);
  return answer;
}

/** A TCP proxy to `upstreamPort`; `dropAll()` cuts every connection through it at once, as a network failure would. */
export async function tcpProxy(upstreamPort: number): Promise<{ url: string; dropAll(): number; close(): void }> {
  const net = (await import("node:net" as string)) as {
    createServer(h: (socket: NetSocket) => void): Closable;
    connect(port: number, host: string): NetSocket;
  };
  const open = new Set<NetSocket>();
  const { server, url } = await listen(
    net.createServer((client) => {
      const upstream = net.connect(upstreamPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        open.add(s);
        s.on("error", () => {});
        s.on("close", () => {
          open.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    }),
  );
  return {
    url,
    dropAll() {
      const n = open.size;
      for (const s of open) s.destroy();
      return n;
    },
    close: () => server.close(),
  };
}

/** One `wrangler dev` for the file, with its own fresh state and a keyring; accounts made through the SDK. */
export function useParley(name: string) {
  const adminToken = `${name}-${crypto.randomUUID()}`;
  let server: LocalServer | undefined;
  let stateDir = "";
  let fs: NodeFs | undefined;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    fs = (await import("node:fs/promises" as string)) as NodeFs;
    const os = (await import("node:os" as string)) as { tmpdir(): string };
    stateDir = await fs.mkdtemp(`${os.tmpdir()}/parley-${name}-`);
    server = await startLocalServer({ persistTo: stateDir, vars: { ADMIN_TOKEN: adminToken, CREDENTIALS_KEYS: CREDENTIALS_KEYS() } });
  });

  afterAll(async () => {
    for (const close of closers) close();
    await server?.stop();
    if (stateDir) await fs?.rm(stateDir, { recursive: true, force: true });
  });

  const url = () => {
    if (!server) throw new Error("server not started");
    return server.url;
  };

  /** A new account and an SDK client for it (options override the defaults: this server, no retry waits beyond the test's). */
  async function account(accountName = "sdk", options: ParleyOptions = {}): Promise<{ id: string; key: string; parley: Parley }> {
    const admin = new Parley({ apiKey: adminToken, baseUrl: url() });
    const { account, api_key } = await admin.accounts.create({ name: accountName });
    return { id: account.id, key: api_key.key, parley: new Parley({ apiKey: api_key.key, baseUrl: url(), ...options }) };
  }

  /** Closes `thing` after the file's tests. */
  function cleanup(close: () => void): void {
    closers.push(close);
  }

  return { adminToken, url, account, cleanup, port: () => server!.port };
}
