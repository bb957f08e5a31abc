// `npm run bench`: starts Parley locally (`wrangler dev` on a one-off bundle of bench/worker.ts,
// which is the real Worker plus the bench-only routes and Durable Objects), drives it with a
// closed-loop HTTP load generator and prints, per case, throughput, p50/p99 latency and errors;
// then the send path against the one-row Durable Object ceiling measured in the same run, where
// the send's cost goes, and how long a sent message takes to reach D1.
//
// Cases: (a) GET /health and (a-DO) the one-row DO ceiling; (b) send into one conversation, with
// two diagnostic variants, (b-rpc) the DO's send by RPC without the HTTP layer and
// (b-rpc-nodrain) the same on a ConversationDO whose alarm does not drain the outbox; (c) send
// round-robin across 100 conversations, with its own ceiling (a-DO×100, the one-row DO over 100
// objects) and (c-rpc-nodrain); (d) list conversations over 10,000 seeded D1 rows (plain, by
// status, by a common tag, by a tag no row has); then the D1 lag at a moderate fixed send rate.
//
// The load generator is deliberately small: one process, node:http with a keep-alive agent (one
// socket per worker), a fixed number of workers that each send a request, wait for the whole
// response, record its latency and go again until the slice's time is up. Nothing heavier runs
// per request, because on a 2-core machine the generator competes with workerd for CPU. The
// machine is shared, so each case runs as several slices interleaved with the others (a noisy
// neighbour then hits the ceiling and the send path alike), and the table shows the CPU the
// server spent per request (from /proc), which noise moves much less than throughput.
//
// Knobs (environment): BENCH_CONCURRENCY (32), BENCH_SLICE_MS (2000: one timed slice of a case),
// BENCH_ROUNDS (4 slices per case), BENCH_WARMUP_MS (1500), BENCH_LAG_RATE (100 sends/s),
// BENCH_LAG_MS (6000), BENCH_SEED (10000 rows), BENCH_LIVE=1 (serve bench/wrangler.toml itself,
// rebuilding on source changes, instead of a bundle made at the start).
// Exits 0 whatever the numbers (it is a report); non-zero if the server cannot be started or a
// setup call fails.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");

// Wrangler needs Node 22+; `npm run bench` runs on the pinned node@22, a bare `node bench/run.mjs`
// on an older node hands over to it.
if (Number(process.versions.node.split(".")[0]) < 22) {
  const pinned = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(pinned)) {
    console.error(`the bench needs Node 22+ (this is ${process.version}); run \`npm install\`, then \`npm run bench\``);
    process.exit(1);
  }
  const run = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const CONCURRENCY = num("BENCH_CONCURRENCY", 32);
const SLICE_MS = num("BENCH_SLICE_MS", 2000);
const ROUNDS = num("BENCH_ROUNDS", 4);
const WARMUP_MS = num("BENCH_WARMUP_MS", 1500);
const LAG_RATE = num("BENCH_LAG_RATE", 100);
const LAG_MS = num("BENCH_LAG_MS", 6000);
const SEED_ROWS = num("BENCH_SEED", 10_000);
const CONVERSATIONS = 100;
const POLL_MS = 20;

// The targets from the issue.
const TARGET_THROUGHPUT_RATIO = 0.7;
const TARGET_P99_RATIO = 2;
const TARGET_LAG_P99_MS = 1000;

const ADMIN_TOKEN = randomBytes(24).toString("hex");
const started = performance.now();
const log = (msg) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

// ---- bench/wrangler.toml must bind what ../wrangler.toml binds ---------------------------------

/** The `[[section]]` / `[section]` blocks of a TOML file as { section, lines }, plus top-level keys. */
function tomlBlocks(text) {
  const blocks = [{ section: "", lines: [] }];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    const header = line.match(/^\[\[?\s*([^\]]+?)\s*\]\]?$/);
    if (header) blocks.push({ section: header[1], lines: [] });
    else blocks.at(-1).lines.push(line.replace(/\s*=\s*/, " = "));
  }
  return blocks;
}

/**
 * What ../wrangler.toml declares (bindings, DO migrations, compatibility settings) that
 * bench/wrangler.toml lacks. Paths differ by design (`migrations_dir`, `main`), names may too.
 */
function configDrift() {
  const mine = tomlBlocks(readFileSync(join(root, "bench", "wrangler.toml"), "utf8"));
  const missing = [];
  for (const block of tomlBlocks(readFileSync(join(root, "wrangler.toml"), "utf8"))) {
    if (["vars", "observability"].includes(block.section)) continue;
    // Top level: only the compatibility settings; in a section, all but the paths and the placeholder id.
    const needed = block.lines.filter((l) => (block.section === "" ? /^compatibility_/.test(l) : !/^(migrations_dir|database_id) = /.test(l)));
    if (needed.length === 0) continue;
    const found = mine.some((b) => b.section === block.section && needed.every((l) => b.lines.includes(l)));
    if (!found) missing.push(`${block.section ? `[${block.section}] ` : ""}${needed.join(", ")}`);
  }
  return missing;
}

// ---- HTTP ---------------------------------------------------------------------------------------

let host = "127.0.0.1";
let port = 0;
/** The load generator's sockets: one per worker, kept alive for the whole run. */
const loadAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
/** Setup calls and the D1 lag poller, on their own sockets so they never queue behind the load. */
const sideAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One request; resolves { status, body, ms } (body only when asked for) and never rejects: a
 * network failure or a timeout comes back as status 0 with the error's code.
 */
function send(agent, method, path, headers, body, keepBody = true) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ agent, host, port, method, path, headers, timeout: 30_000 }, (res) => {
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

function jsonHeaders(bearer, body, extra = {}) {
  return { authorization: `Bearer ${bearer}`, "content-type": "application/json", "content-length": Buffer.byteLength(body), ...extra };
}

/** A setup call that must succeed; returns the parsed JSON. */
async function must(method, path, bearer, value, expected) {
  const body = value === undefined ? undefined : JSON.stringify(value);
  const headers = body === undefined ? { authorization: `Bearer ${bearer}` } : jsonHeaders(bearer, body);
  const res = await send(sideAgent, method, path, headers, body);
  if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${res.body.slice(0, 500)}`);
  return res.body ? JSON.parse(res.body) : null;
}

// ---- CPU accounting (Linux /proc) ---------------------------------------------------------------

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * CPU seconds used so far by every process descended from this one (wrangler and its workerd, and
 * whatever they have reaped), and their pids: a pid that disappears means workerd was restarted.
 */
function serverCpu() {
  if (!existsSync("/proc/self/stat")) return { seconds: NaN, pids: new Map() };
  const children = new Map();
  const ticks = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      // utime + stime + cutime + cstime
      ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(pid);
    } catch {
      // the process went away
    }
  }
  let total = 0;
  const pids = new Map();
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop();
    pids.set(pid, (ticks.get(pid) ?? 0) / CLK_TCK);
    total += ticks.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return { seconds: total / CLK_TCK, pids };
}

const processNames = new Map();
/** wrangler dev runs two workerd: one for its proxy in front, one for the Worker and its DOs, D1. */
function processName(pid) {
  if (!processNames.has(pid)) {
    let name = `pid ${pid}`;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("workerd")) name = args.some((a) => /^--socket-addr=entry=127\.0\.0\.1:0$/.test(a)) ? "worker" : "proxy";
      else if (args.some((a) => a.includes("wrangler"))) name = "wrangler";
      else if (args.some((a) => a.includes("esbuild"))) name = "esbuild";
    } catch {
      // gone
    }
    processNames.set(pid, name);
  }
  return processNames.get(pid);
}

/** Busy and total CPU ticks of the whole machine (/proc/stat), to show what else is running. */
function machineCpu() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3] + fields[4];
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

// ---- closed-loop runner ---------------------------------------------------------------------

function newStats(name) {
  return { name, ok: 0, errors: 0, errorKinds: new Map(), latencies: [], elapsedMs: 0, genCpuS: 0, serverCpuS: 0, machineBusyS: 0, perProcessS: new Map(), restarts: 0, last: new Map() };
}

/**
 * Runs `next` (index → { method, path, headers, body, key? }) from CONCURRENCY workers for `ms`,
 * adding every response to `stats` (unless it is a warm-up). `key` groups responses whose latest
 * body is kept (the last message sent to each conversation, for the D1 catch-up check).
 */
async function closedLoop(stats, next, ms, { warmup = false } = {}) {
  let i = 0;
  const cpu0 = process.cpuUsage();
  const server0 = serverCpu();
  const machine0 = machineCpu();
  const t0 = performance.now();
  const deadline = t0 + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const r = next(i++);
      const res = await send(loadAgent, r.method, r.path, r.headers, r.body, r.key !== undefined);
      if (warmup) {
        if (r.key !== undefined && res.status >= 200 && res.status < 300) stats.last.set(r.key, res.body);
        continue;
      }
      stats.latencies.push(res.ms);
      if (res.status >= 200 && res.status < 300) {
        stats.ok++;
        if (r.key !== undefined) stats.last.set(r.key, res.body);
      } else {
        stats.errors++;
        const kind = res.status === 0 ? res.body : String(res.status);
        stats.errorKinds.set(kind, (stats.errorKinds.get(kind) ?? 0) + 1);
        if (stats.errors <= 3) log(`  ${stats.name}: ${r.method} ${r.path} -> ${res.status} ${res.body.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (warmup) return;
  stats.elapsedMs += performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stats.genCpuS += (cpu.user + cpu.system) / 1e6;
  stats.machineBusyS += machineCpu().busy - machine0.busy;
  const server1 = serverCpu();
  stats.serverCpuS += server1.seconds - server0.seconds;
  for (const [pid, seconds] of server1.pids) {
    const name = processName(pid);
    stats.perProcessS.set(name, (stats.perProcessS.get(name) ?? 0) + seconds - (server0.pids.get(pid) ?? seconds));
  }
  if ([...server0.pids.keys()].some((pid) => !server1.pids.has(pid))) {
    stats.restarts++;
    log(`  ${stats.name}: a server process exited during this slice (workerd restarted?); its numbers are suspect`);
  }
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function summarize(stats) {
  const sorted = Float64Array.from(stats.latencies).sort();
  const seconds = stats.elapsedMs / 1000;
  return {
    ...stats,
    requests: stats.ok + stats.errors,
    rps: stats.ok / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    genCpu: (100 * stats.genCpuS) / seconds,
    serverCpu: (100 * stats.serverCpuS) / seconds,
    otherCpu: (100 * (stats.machineBusyS - stats.genCpuS - stats.serverCpuS)) / seconds,
    serverMsPerReq: (1000 * stats.serverCpuS) / (stats.ok + stats.errors),
    processes: ["worker", "proxy", "wrangler"].map((name) => `${fmt((100 * (stats.perProcessS.get(name) ?? 0)) / seconds, 0)}`).join(" / "),
  };
}

// ---- D1 visibility --------------------------------------------------------------------------

/** Which of these message ids are in D1 now. */
async function inD1(ids) {
  const found = new Set();
  for (let i = 0; i < ids.length; i += 150) {
    const res = await send(sideAgent, "GET", `/__bench/d1/messages?ids=${ids.slice(i, i + 150).join(",")}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
    if (res.status !== 200) throw new Error(`D1 probe failed: ${res.status} ${res.body.slice(0, 300)}`);
    for (const id of JSON.parse(res.body).found) found.add(id);
  }
  return found;
}

/**
 * How long after now D1 holds all of these ids (each the last message sent to its conversation, so
 * the outbox behind it is drained too). Returns ms, or null if it did not within `timeoutMs`.
 */
async function catchUp(ids, timeoutMs = 30_000) {
  const t0 = performance.now();
  let pending = [...ids];
  while (pending.length > 0) {
    const found = await inD1(pending);
    pending = pending.filter((id) => !found.has(id));
    if (pending.length === 0) break;
    if (performance.now() - t0 > timeoutMs) return null;
    await sleep(POLL_MS);
  }
  return performance.now() - t0;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends at a fixed rate (open loop) into one conversation and measures, for each 2xx, the time from
 * the response arriving to the first probe that finds the message's row in D1 (probes go out every
 * POLL_MS with all pending ids, so a lag is overstated by up to one probe interval plus its round
 * trip, never understated).
 */
async function measureLag(conversationId, key) {
  const body = JSON.stringify({ body: "lag probe" });
  const headers = jsonHeaders(key, body);
  const path = `/v1/conversations/${conversationId}/messages`;
  const pending = new Map(); // id -> ack time
  const lags = [];
  const result = { sent: 0, errors: 0, errorKinds: new Map(), sendLatencies: [], lags, missing: 0 };
  let sending = true;

  const poller = (async () => {
    while (sending || pending.size > 0) {
      const tick = performance.now();
      if (pending.size > 0) {
        const ids = [...pending.keys()];
        const found = await inD1(ids);
        const seen = performance.now();
        for (const id of found) {
          lags.push(seen - pending.get(id));
          pending.delete(id);
        }
        if (!sending && performance.now() - sendEnd > 30_000) {
          result.missing = pending.size;
          break;
        }
      }
      await sleep(Math.max(0, POLL_MS - (performance.now() - tick)));
    }
  })();

  const inflight = new Set();
  const t0 = performance.now();
  const total = Math.round((LAG_RATE * LAG_MS) / 1000);
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / LAG_RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const p = send(loadAgent, "POST", path, headers, body).then((res) => {
      result.sent++;
      result.sendLatencies.push(res.ms);
      if (res.status === 201) pending.set(JSON.parse(res.body).id, performance.now());
      else {
        result.errors++;
        const kind = res.status === 0 ? res.body : String(res.status);
        result.errorKinds.set(kind, (result.errorKinds.get(kind) ?? 0) + 1);
      }
      inflight.delete(p);
    });
    inflight.add(p);
  }
  await Promise.all(inflight);
  const sendEnd = performance.now();
  result.achievedRate = (result.sent * 1000) / (sendEnd - t0);
  sending = false;
  await poller;
  return result;
}

// ---- the run --------------------------------------------------------------------------------

const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const errorText = (s) => (s.errors === 0 ? "0" : `${s.errors} (${[...s.errorKinds].map(([k, n]) => `${k}×${n}`).join(", ")})`);

function table(rows) {
  const head = ["case", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "server CPU ms/req", "gen CPU", "server CPU", "worker/proxy/wrangler", "other CPU"];
  const body = rows.map((s) => [
    s.name,
    String(s.requests),
    fmt(s.rps, 0),
    fmt(s.p50),
    fmt(s.p99),
    fmt(s.max),
    errorText(s),
    fmt(s.serverMsPerReq, 2),
    `${fmt(s.genCpu, 0)}%`,
    `${fmt(s.serverCpu, 0)}%`,
    s.processes,
    `${fmt(Math.max(0, s.otherCpu), 0)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(line(r));
}

/**
 * Bundles bench/worker.ts once and writes a config that runs that bundle as is, so the run measures
 * one version of the code: `wrangler dev` on bench/wrangler.toml itself would rebuild and restart
 * the Worker whenever a source file changes mid-run. Returns the config's absolute path.
 */
function snapshot(work) {
  const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const outdir = join(work, "bundle");
  const build = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir, "--config", "bench/wrangler.toml"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
  });
  if (build.status !== 0) throw new Error(`bundling bench/worker.ts failed:\n${build.stdout}\n${build.stderr}`);
  const config = readFileSync(join(root, "bench", "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(outdir, "worker.js"))}\nno_bundle = true`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, dir) => `migrations_dir = ${JSON.stringify(join(root, "bench", dir))}`);
  const path = join(work, "wrangler.toml");
  writeFileSync(path, config);
  return path;
}

async function main() {
  // Request logs cost wrangler dev a loopback call into its node process per request; no Worker
  // in production pays that, so the bench turns them off (warnings and errors still show).
  process.env.WRANGLER_LOG ??= "warn";
  // Local observability (on by default in wrangler dev) writes every span of every request into a
  // SQLite trace store: more than half the throughput here, and more for the send path (DO RPC,
  // SQL, D1) than for the ceiling. Production has nothing like it, so the bench turns it off.
  process.env.X_LOCAL_OBSERVABILITY ??= "false";
  const { startLocalServer } = await import("../scripts/local-server.mjs");
  const work = mkdtempSync(join(tmpdir(), "parley-bench-"));
  const persistTo = join(work, "state");
  let server;
  const cleanup = async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

  log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  log(`concurrency ${CONCURRENCY}, ${ROUNDS} × ${SLICE_MS / 1000} s per case after ${WARMUP_MS / 1000} s warm-up`);
  try {
    const drift = configDrift();
    if (drift.length > 0) throw new Error(`bench/wrangler.toml is out of step with wrangler.toml; add:\n  ${drift.join("\n  ")}`);
    // BENCH_LIVE=1 serves bench/wrangler.toml directly (rebuilds on every source change).
    const config = process.env.BENCH_LIVE ? "bench/wrangler.toml" : snapshot(work);
    server = await startLocalServer({ config, persistTo, vars: { ADMIN_TOKEN } });
  } catch (e) {
    console.error(`the local server did not start:\n${e instanceof Error ? e.message : e}`);
    await cleanup();
    process.exitCode = 1;
    return;
  }
  ({ port } = server);
  log(`wrangler dev on ${server.url} (state in ${persistTo})`);

  try {
    await runCases();
  } catch (e) {
    console.error(`the bench failed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  } finally {
    const output = server.output();
    await cleanup();
    const problems = output.split("\n").filter((l) => /error|exception|uncaught/i.test(l) && !/Request\.cf|getaddrinfo|workers\.cloudflare\.com/.test(l));
    if (problems.length > 0) {
      console.log(`\nwrangler dev logged ${problems.length} error line(s); the first ones:`);
      for (const l of problems.slice(0, 10)) console.log(`  ${l}`);
    }
  }
}

async function runCases() {
  const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench" }, 201);
  const key = api_key.key;
  const newConversation = async (i) => (await must("POST", "/v1/conversations", key, { friendly_name: `bench ${i}` }, 201)).id;
  const newNoDrain = async () => (await must("POST", "/__bench/conversations?ns=nodrain", ADMIN_TOKEN, { account_id: account.id }, 201)).id;
  const hundred = async (make) => {
    const ids = [];
    for (let i = 0; i < CONVERSATIONS; i += 10) ids.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => make(i + k)))));
    return ids;
  };

  const one = await newConversation("b");
  const direct = await newConversation("b-rpc");
  const nodrain = await newNoDrain();
  const many = await hundred((i) => newConversation(`c${i}`));
  const manyNoDrain = await hundred(newNoDrain);
  log(`account ${account.id}; conversation (b) ${one}; ${many.length} conversations for (c)`);

  // Request makers: everything per request is precomputed but the body's counter.
  const message = (i) => `{"body":"bench message ${i}"}`;
  const directHeaders = { "x-account-id": account.id };
  const health = () => ({ method: "GET", path: "/health", headers: {} });
  const baseline = (name) => (i) => {
    const body = message(i);
    return { method: "POST", path: `/__bench/baseline/${name(i)}`, headers: jsonHeaders(ADMIN_TOKEN, body), body };
  };
  const send = (id) => (i) => {
    const body = message(i);
    const to = id(i);
    return { method: "POST", path: `/v1/conversations/${to}/messages`, headers: jsonHeaders(key, body), body, key: to };
  };
  const rpc = (id, ns) => (i) => {
    const body = message(i);
    const to = id(i);
    const path = `/__bench/direct/${to}${ns ? `?ns=${ns}` : ""}`;
    // The nodrain namespace never reaches D1, so there is nothing to wait for after its slices.
    return { method: "POST", path, headers: jsonHeaders(ADMIN_TOKEN, body, directHeaders), body, ...(ns ? {} : { key: to }) };
  };
  const constant = (v) => () => v;
  const roundRobin = (ids) => (i) => ids[i % ids.length];

  // The cases of the interleaved rounds, in the order each round runs them; `settle` marks the ones
  // that write D1 through the outbox, after which the round waits for D1 to catch up (and notes how long).
  const names100 = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-${i}`);
  const sendCases = [
    { id: "health", name: "(a) GET /health", next: health },
    { id: "baseline", name: "(a-DO) one-row DO ceiling", next: baseline(constant("bench")) },
    { id: "one", name: "(b) send, 1 conversation", next: send(constant(one)), settle: true },
    { id: "direct", name: "(b-rpc) same by RPC, no HTTP layer", next: rpc(constant(direct)), settle: true },
    { id: "nodrain", name: "(b-rpc-nodrain) same, outbox not drained", next: rpc(constant(nodrain), "nodrain") },
    { id: "baseline100", name: `(a-DO×${CONVERSATIONS}) ceiling over ${CONVERSATIONS} DOs`, next: baseline(roundRobin(names100)) },
    { id: "many", name: `(c) send, ${CONVERSATIONS} conversations`, next: send(roundRobin(many)), settle: true },
    { id: "manyNoDrain", name: "(c-rpc-nodrain) by RPC, not drained", next: rpc(roundRobin(manyNoDrain), "nodrain") },
  ];
  const S = Object.fromEntries(sendCases.map((c) => [c.id, newStats(c.name)]));
  const catchUps = Object.fromEntries(sendCases.filter((c) => c.settle).map((c) => [c.id, []]));
  const perRound = [];

  /** After a send slice, waits until D1 holds the last message of every conversation it wrote to. */
  const settle = async (stats, into) => {
    const ids = [...stats.last.values()].map((b) => JSON.parse(b).id);
    stats.last.clear();
    const ms = await catchUp(ids);
    into.push(ms);
    if (ms === null) log(`  ${stats.name}: D1 did not catch up within 30 s`);
  };

  // Warm every path once (isolate, DO instances, SQLite pages, the API key cache).
  log("warming up");
  const warmed = [];
  for (const c of sendCases) {
    await closedLoop(S[c.id], c.next, WARMUP_MS, { warmup: true });
    if (c.settle) await settle(S[c.id], warmed);
  }

  // The ceilings and the send paths run in interleaved slices, so a noisy neighbour hits them alike.
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ${sendCases.map((c) => c.name.split(" ")[0]).join(" ")}`);
    const before = { b: S.one.ok, a: S.baseline.ok, bt: S.one.elapsedMs, at: S.baseline.elapsedMs };
    for (const c of sendCases) {
      await closedLoop(S[c.id], c.next, SLICE_MS);
      if (c.settle) await settle(S[c.id], catchUps[c.id]);
    }
    perRound.push((S.one.ok - before.b) / (S.one.elapsedMs - before.bt) / ((S.baseline.ok - before.a) / (S.baseline.elapsedMs - before.at)));
  }

  log(`D1 lag: ${LAG_RATE} sends/s into one conversation for ${LAG_MS / 1000} s, probing D1 every ${POLL_MS} ms`);
  const lag = await measureLag(one, key);

  log(`seeding ${SEED_ROWS} conversation rows into D1`);
  const seedStart = performance.now();
  for (let start = 0; start < SEED_ROWS; start += 1000) {
    await must("POST", "/__bench/seed", ADMIN_TOKEN, { account_id: account.id, start, count: Math.min(1000, SEED_ROWS - start) }, 201);
  }
  log(`  seeded in ${fmt((performance.now() - seedStart) / 1000, 1)} s`);
  const list = (query) => constant({ method: "GET", path: `/v1/conversations?${query}`, headers: { authorization: `Bearer ${key}` } });
  const listCases = [
    { id: "list", name: `(d) list, ${SEED_ROWS} rows in D1`, next: list("limit=25") },
    { id: "listStatus", name: "(d-status) list ?status=open", next: list("status=open&limit=25") },
    { id: "listTag", name: "(d-tag) list ?tag=vip (1 row in 3)", next: list("tag=vip&limit=25") },
    { id: "listNoTag", name: "(d-tag-none) list ?tag=<no row has it>", next: list("tag=nosuchtag&limit=25") },
  ];
  for (const c of listCases) S[c.id] = newStats(c.name);
  const firstPage = await must("GET", "/v1/conversations?limit=25", key, undefined, 200);
  if (firstPage.data.length !== 25) log(`  warning: the first page has ${firstPage.data.length} rows`);
  for (const c of listCases) await closedLoop(S[c.id], c.next, WARMUP_MS / 2, { warmup: true });
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ${listCases.map((c) => c.name.split(" ")[0]).join(" ")}`);
    for (const c of listCases) await closedLoop(S[c.id], c.next, SLICE_MS);
  }

  report(S, { perRound, lag, catchUps });

  const { runFanout } = await import("./fanout.mjs");
  await runFanout({ base: `http://127.0.0.1:${port}`, adminToken: ADMIN_TOKEN, apiKey: key, log });
}

function report(S, { perRound, lag, catchUps }) {
  const R = Object.fromEntries(Object.entries(S).map(([k, s]) => [k, summarize(s)]));
  const verdict = (ok) => (ok ? "PASS" : "FAIL");
  console.log("");
  console.log(`Parley bench: concurrency ${CONCURRENCY}, ${ROUNDS} × ${SLICE_MS / 1000} s per case (interleaved), node ${process.version}, ${cpus().length} CPUs, wrangler dev with local observability off`);
  console.log(`server CPU ms/req = CPU time wrangler + workerd spent per request. The other CPU columns are % of one core (${cpus().length} cores = ${cpus().length * 100}%):`);
  console.log("gen = this load generator, server = wrangler + workerd, split into worker/proxy/wrangler: the workerd running the Worker, its DOs and");
  console.log("D1 (one JS thread: near 100% means it is the bottleneck), the workerd of wrangler's proxy in front of it, and wrangler's node;");
  console.log("other = everything else on the machine (noise)\n");
  table(Object.values(R));
  const restarts = Object.values(R).filter((r) => r.restarts > 0);
  if (restarts.length > 0) console.log(`\nwarning: a server process exited during ${restarts.map((r) => r.name).join(", ")}: those numbers are suspect`);
  const noisy = Object.values(R).filter((r) => r.otherCpu > 50);
  if (noisy.length > 0) {
    console.log(`\nwarning: other processes used over half a core during ${noisy.length} of ${Object.keys(R).length} cases (up to ${fmt(Math.max(...noisy.map((r) => r.otherCpu)), 0)}%): throughput is noisy; trust the ratios and CPU ms/req more than absolute req/s`);
  }

  const tput = R.one.rps / R.baseline.rps;
  const p99 = R.one.p99 / R.baseline.p99;
  console.log("");
  console.log("(b) against the one-row DO ceiling (a-DO), same run:");
  console.log(`  throughput  ${fmt(R.one.rps, 0)} / ${fmt(R.baseline.rps, 0)} req/s = ${fmt(100 * tput, 0)}%   (target >= ${TARGET_THROUGHPUT_RATIO * 100}%)  ${verdict(tput >= TARGET_THROUGHPUT_RATIO)}`);
  console.log(`              per round: ${perRound.map((r) => `${fmt(100 * r, 0)}%`).join(", ")}`);
  console.log(`  p99         ${fmt(R.one.p99)} / ${fmt(R.baseline.p99)} ms = ${fmt(p99, 2)}×   (target <= ${TARGET_P99_RATIO}×)  ${verdict(p99 <= TARGET_P99_RATIO)}`);
  console.log(`  errors      ${R.one.errors}   (target 0)  ${verdict(R.one.errors === 0)}`);
  console.log(`(c) against its ceiling (a-DO×${CONVERSATIONS}): throughput ${fmt((100 * R.many.rps) / R.baseline100.rps, 0)}%, p99 ${fmt(R.many.p99 / R.baseline100.p99, 2)}× (no target)`);

  // Where a send's time goes: each diagnostic variant strips one layer off the send. Throughput is
  // what the target is about; server CPU per request is the steadier measure on a shared machine.
  const layer = (label, from, to) =>
    console.log(
      `  ${label.padEnd(44)} ${`${fmt((100 * (to.rps - from.rps)) / to.rps, 0)}%`.padStart(5)} of the throughput without it (${fmt(to.rps, 0)} -> ${fmt(from.rps, 0)} req/s), ${fmt(from.serverMsPerReq - to.serverMsPerReq, 2).padStart(5)} ms server CPU/req`,
    );
  console.log("");
  console.log("where the send's cost goes (each line: what one layer costs, from the variants above, same run):");
  console.log("  1 conversation");
  layer("  HTTP layer (Hono, auth, zod, middleware)", R.one, R.direct);
  layer("  outbox drain to D1 (alarm, D1 batch, hub)", R.direct, R.nodrain);
  layer("  DO send transaction vs one INSERT", R.nodrain, R.baseline);
  console.log(`  ${CONVERSATIONS} conversations`);
  layer("  HTTP layer + outbox drain to D1", R.many, R.manyNoDrain);
  layer("  DO send transaction vs one INSERT", R.manyNoDrain, R.baseline100);

  const lagSorted = Float64Array.from(lag.lags).sort();
  const lagP99 = quantile(lagSorted, 0.99);
  const sendSorted = Float64Array.from(lag.sendLatencies).sort();
  console.log("");
  console.log(`D1 lag, send 2xx -> row in D1 messages (${lag.sent} sends at ${fmt(lag.achievedRate, 0)}/s into one conversation, send p50 ${fmt(quantile(sendSorted, 0.5))} ms p99 ${fmt(quantile(sendSorted, 0.99))} ms; D1 probed every ${POLL_MS} ms):`);
  console.log(`  p50 ${fmt(quantile(lagSorted, 0.5))} ms   p99 ${fmt(lagP99)} ms   max ${fmt(lagSorted.at(-1))} ms   samples ${lag.lags.length}   send errors ${errorText(lag)}   never seen ${lag.missing}`);
  console.log(`  p99 < ${TARGET_LAG_P99_MS} ms  ${verdict(lagP99 < TARGET_LAG_P99_MS && lag.missing === 0 && lag.errors === 0)}`);
  const showCatchUp = (list) => list.map((ms) => (ms === null ? "> 30 s" : `${fmt(ms, 0)}`)).join(", ");
  console.log(`  at full load, D1 held the last 2xx this many ms after each slice ended: (b) ${showCatchUp(catchUps.one)}; (b-rpc) ${showCatchUp(catchUps.direct)}; (c) ${showCatchUp(catchUps.many)}`);

  const allOk = tput >= TARGET_THROUGHPUT_RATIO && p99 <= TARGET_P99_RATIO && R.one.errors === 0 && lagP99 < TARGET_LAG_P99_MS && lag.missing === 0 && lag.errors === 0;
  console.log("");
  console.log(`targets: ${allOk ? "all met" : "NOT all met"}`);
}

await main();
