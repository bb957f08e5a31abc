// One real `wrangler dev` per end-to-end test file (workerd with local D1, Durable Objects and
// Queues, migrations applied) on a free port with its own fresh state, and a small HTTP client.
import { afterAll, beforeAll } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server.mjs";

// These tests run in Node, but the repository's types are the Workers runtime's (no @types/node):
// the Node modules needed here are imported untyped and given the narrow types they are used with.
type NodeFs = {
  mkdtemp(prefix: string): Promise<string>;
  rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
};
type NodeOs = { tmpdir(): string };

export type Reply = { status: number; headers: Headers; body: any };

/** Starts the server before the file's tests and stops it (and removes its state) after them. */
export function useLocalServer(name: string) {
  const adminToken = `${name}-${crypto.randomUUID()}`;
  let server: LocalServer | undefined;
  let stateDir: string | undefined;
  let fs: NodeFs | undefined;

  beforeAll(async () => {
    fs = (await import("node:fs/promises" as string)) as NodeFs;
    const os = (await import("node:os" as string)) as NodeOs;
    stateDir = await fs.mkdtemp(`${os.tmpdir()}/parley-${name}-`);
    server = await startLocalServer({ persistTo: stateDir, vars: { ADMIN_TOKEN: adminToken } });
  });

  afterAll(async () => {
    await server?.stop();
    if (stateDir) await fs?.rm(stateDir, { recursive: true, force: true });
  });

  const url = () => {
    if (!server) throw new Error("server not started");
    return server.url;
  };

  /** A JSON request the way curl would send it; the body is parsed when it is JSON. */
  async function api(method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    if (init.key !== undefined) headers.set("authorization", `Bearer ${init.key}`);
    if (init.body !== undefined) headers.set("content-type", "application/json");
    const res = await fetch(`${url()}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. /docs): keep the text
    }
    return { status: res.status, headers: res.headers, body };
  }

  return { adminToken, url, api };
}
