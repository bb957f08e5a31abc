// The SDK's overhead per call against raw fetch (issue 13): the same calls to the same server in
// the same run, each pair made back to back in a random order by every worker, so load and noise
// fall on both sides alike. Raw fetch does what a careful hand-written call does (the bearer, the
// JSON body and parse, an Idempotency-Key on the send, a status check); the SDK adds its resource
// layer, the per-try timeout and abort wiring, retry bookkeeping and typed errors. Also the client
// CPU per call of each side, from a sequential phase (process.cpuUsage over blocks of calls).
//
// The SDK is TypeScript; it is bundled here with esbuild (as the agent console bundles it) and
// imported from the bundle.
import { build } from "esbuild";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ADMIN_TOKEN, CONCURRENCY, ROUNDS, SLICE_MS, WARMUP_MS, fmt, log } from "../lib/config.mjs";
import { must, target } from "../lib/http.mjs";
import { latencySummary } from "../lib/stats.mjs";

/** The issue's target: the SDK's p50 within 10% of raw fetch's. */
const TARGET_P50_OVERHEAD = 0.1;
/** Fewer workers than the closed-loop cases: this measures a client's per-call cost, not the server's ceiling. */
const WORKERS = Math.min(CONCURRENCY, 4);
/** Calls per side in the sequential CPU phase, in blocks that alternate sides. */
const CPU_CALLS = 400;
const CPU_BLOCK = 20;

async function loadSdk() {
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-sdk-"));
  const outfile = join(dir, "sdk.mjs");
  const entry = fileURLToPath(new URL("../../sdk/src/index.ts", import.meta.url));
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], outfile, logLevel: "error" });
  const sdk = await import(pathToFileURL(outfile).href);
  await rm(dir, { recursive: true, force: true });
  return sdk;
}

/** The calls, each as an SDK function and its raw-fetch twin. */
function calls(Parley, base, key, conversationId, messageId) {
  const parley = new Parley({ apiKey: key, baseUrl: base });
  const auth = { authorization: `Bearer ${key}`, accept: "application/json" };
  const json = async (res) => {
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
  const messages = `${base}/v1/conversations/${conversationId}/messages`;
  const send = { author: "agent-ada", body: "bench" };
  return [
    {
      name: "messages.get (one message, the DO)",
      sdk: () => parley.messages.get(conversationId, messageId),
      raw: () => fetch(`${messages}/${messageId}`, { headers: auth }).then(json),
    },
    {
      name: "messages.list (a page of 20)",
      sdk: () => parley.messages.list(conversationId, { limit: 20 }).then((page) => page.data),
      raw: () => fetch(`${messages}?limit=20`, { headers: auth }).then(json).then((page) => page.data),
    },
    {
      name: "messages.send (Idempotency-Key)",
      sdk: () => parley.messages.send(conversationId, send),
      raw: () => fetch(messages, { method: "POST", headers: { ...auth, "content-type": "application/json", "idempotency-key": crypto.randomUUID() }, body: JSON.stringify(send) }).then(json),
    },
  ];
}

/** Every worker makes SDK/raw pairs in a random order until `ms` is up. */
async function interleaved(call, ms, samples) {
  const deadline = performance.now() + ms;
  const timed = async (side) => {
    const t0 = performance.now();
    try {
      await call[side]();
      samples?.[side].push(performance.now() - t0);
    } catch {
      if (samples) samples.errors[side]++;
    }
  };
  const worker = async () => {
    while (performance.now() < deadline) {
      const first = Math.random() < 0.5 ? "sdk" : "raw";
      await timed(first);
      await timed(first === "sdk" ? "raw" : "sdk");
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

/** Client CPU per call (µs), one call at a time, alternating blocks of each side. */
async function cpuPerCall(call) {
  const used = { sdk: 0, raw: 0 };
  for (let done = 0; done < CPU_CALLS; done += CPU_BLOCK) {
    for (const side of done % (2 * CPU_BLOCK) === 0 ? ["sdk", "raw"] : ["raw", "sdk"]) {
      const before = process.cpuUsage();
      for (let i = 0; i < CPU_BLOCK; i++) await call[side]();
      const d = process.cpuUsage(before);
      used[side] += d.user + d.system;
    }
  }
  return { sdk: used.sdk / CPU_CALLS, raw: used.raw / CPU_CALLS };
}

export async function runSdkCases() {
  const { Parley } = await loadSdk();
  const base = `http://${target.host}:${target.port}`;
  const { api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench sdk" }, 201);
  const key = api_key.key;
  const conversation = await must("POST", "/v1/conversations", key, { participants: [{ kind: "agent", identity: "agent-ada" }] }, 201);
  let messageId;
  for (let i = 0; i < 20; i++) messageId = (await must("POST", `/v1/conversations/${conversation.id}/messages`, key, { author: "agent-ada", body: `seed ${i}` }, 201)).id;
  const cases = calls(Parley, base, key, conversation.id, messageId).map((call) => ({ ...call, samples: { sdk: [], raw: [], errors: { sdk: 0, raw: 0 } } }));

  log(`SDK vs raw fetch: ${cases.length} calls, ${WORKERS} workers, ${ROUNDS} × ${SLICE_MS / 1000} s each after ${WARMUP_MS / 1000} s warm-up`);
  for (const c of cases) await interleaved(c, WARMUP_MS, null);
  for (let round = 0; round < ROUNDS; round++) for (const c of cases) await interleaved(c, SLICE_MS, c.samples);
  for (const c of cases) c.cpu = await cpuPerCall(c);
  return { cases };
}

export function sdkReport({ cases }) {
  console.log("");
  console.log(`SDK overhead per call against raw fetch (issue 13): same server, same run, pairs interleaved in random order, ${WORKERS} workers`);
  console.log(`  ${"call".padEnd(36)}  ${"n".padStart(5)}  sdk p50  raw p50  overhead   sdk p99  raw p99   client CPU/call sdk / raw   errors`);
  let worst = -Infinity;
  for (const c of cases) {
    const sdk = latencySummary(c.samples.sdk);
    const raw = latencySummary(c.samples.raw);
    const overhead = sdk.p50 / raw.p50 - 1;
    worst = Math.max(worst, overhead);
    console.log(
      `  ${c.name.padEnd(36)}  ${String(c.samples.sdk.length).padStart(5)}  ${fmt(sdk.p50, 2).padStart(7)}  ${fmt(raw.p50, 2).padStart(7)}  ${`${fmt(100 * overhead, 1)}%`.padStart(8)}   ${fmt(sdk.p99, 2).padStart(7)}  ${fmt(raw.p99, 2).padStart(7)}   ${`${fmt(c.cpu.sdk, 0)} / ${fmt(c.cpu.raw, 0)} µs`.padStart(26)}   ${c.samples.errors.sdk} / ${c.samples.errors.raw}`,
    );
  }
  console.log(`  worst p50 overhead ${fmt(100 * worst, 1)}%   (target <= ${TARGET_P50_OVERHEAD * 100}%)  ${worst <= TARGET_P50_OVERHEAD ? "PASS" : "FAIL"}`);
}
