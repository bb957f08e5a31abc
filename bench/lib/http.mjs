// The HTTP side of the bench: one request helper that never rejects, the setup-call wrapper, and
// the closed-loop load generator.
//
// The load generator is deliberately small: one process, node:http with a keep-alive agent (one
// socket per worker), a fixed number of workers that each send a request, wait for the whole
// response, record its latency and go again until the slice's time is up. Nothing heavier runs
// per request, because on a 2-core machine the generator competes with workerd for CPU.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { CONCURRENCY, log } from "./config.mjs";
import { cpuMeter } from "./cpu.mjs";
import { countError } from "./stats.mjs";

/** Where the server listens; `port` is set once it has started. */
export const target = { host: "127.0.0.1", port: 0 };

/** The load generator's sockets: one per worker, kept alive for the whole run. */
export const loadAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
/** Setup calls and the D1 probes, on their own sockets so they never queue behind the load. */
export const sideAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One request; resolves { status, body, ms } (body only when asked for) and never rejects: a
 * network failure or a timeout comes back as status 0 with the error's code.
 */
export function request(agent, method, path, headers, body, keepBody = true) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ agent, host: target.host, port: target.port, method, path, headers, timeout: 30_000 }, (res) => {
      let text = "";
      if (keepBody) res.setEncoding("utf8");
      res.on("data", keepBody ? (chunk) => (text += chunk) : () => {});
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - t0 }));
      res.on("error", (e) => resolve({ status: 0, body: e.code ?? e.message, ms: performance.now() - t0 }));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e) => resolve({ status: 0, body: e.code ?? e.message, ms: performance.now() - t0 }));
    req.end(body);
  });
}

export function jsonHeaders(bearer, body, extra = {}) {
  return { authorization: `Bearer ${bearer}`, "content-type": "application/json", "content-length": Buffer.byteLength(body), ...extra };
}

/** A setup call that must succeed; returns the parsed JSON. */
export async function must(method, path, bearer, value, expected) {
  const body = value === undefined ? undefined : JSON.stringify(value);
  const headers = body === undefined ? { authorization: `Bearer ${bearer}` } : jsonHeaders(bearer, body);
  const res = await request(sideAgent, method, path, headers, body);
  if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${res.body.slice(0, 500)}`);
  return res.body ? JSON.parse(res.body) : null;
}

/** 2xx */
export const succeeded = (res) => res.status >= 200 && res.status < 300;

/**
 * Runs `next` (index → { method, path, headers, body, key? }) from CONCURRENCY workers for `ms`,
 * adding every response to `stats` (unless it is a warm-up). `key` groups responses whose latest
 * body is kept (the last message sent to each conversation, for the D1 catch-up check).
 */
export async function closedLoop(stats, next, ms, { warmup = false } = {}) {
  let i = 0;
  const meter = warmup ? null : cpuMeter(stats);
  const t0 = performance.now();
  const deadline = t0 + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const r = next(i++);
      const res = await request(loadAgent, r.method, r.path, r.headers, r.body, r.key !== undefined);
      if (warmup) {
        if (r.key !== undefined && succeeded(res)) stats.last.set(r.key, res.body);
        continue;
      }
      stats.latencies.push(res.ms);
      if (succeeded(res)) {
        stats.ok++;
        if (r.key !== undefined) stats.last.set(r.key, res.body);
      } else {
        countError(stats, res);
        if (stats.errors <= 3) log(`  ${stats.name}: ${r.method} ${r.path} -> ${res.status} ${res.body.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (warmup) return;
  stats.elapsedMs += performance.now() - t0;
  if (meter()) log(`  ${stats.name}: a server process exited during this slice (workerd restarted?); its numbers are suspect`);
}
