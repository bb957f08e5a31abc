// The agent console (issue 13): how long a message sent by REST takes to appear in the page, in real
// Chromium (Debian's /usr/bin/chromium through playwright-core), beside the same message's frame on a
// raw conversation socket in this process, measured in the same run from the same send.
//
// The console is served by the root Worker's static assets, which the bench Worker (bench/worker.ts)
// does not have, so this case runs its own `wrangler dev` on ../wrangler.toml, with its own state.
// One conversation: a chat customer and the agent, the agent's console open on it (signed in with the
// API key, its socket acting as the agent); CONSOLE_MESSAGES sends by the customer, one at a time,
// CONSOLE_GAP_MS apart. For each: from the POST's start to the message's element in the page
// (a MutationObserver on the thread, stamped with the page's clock) and to the raw socket's frame.
// Both clocks are performance.timeOrigin + performance.now() on one machine.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { log, fmt, sleep } from "../lib/config.mjs";
import { latencySummary } from "../lib/stats.mjs";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Messages sent (after WARMUP of them, not counted) and the pause between two sends. */
export const CONSOLE_MESSAGES = num("BENCH_CONSOLE_MESSAGES", 200);
export const CONSOLE_GAP_MS = num("BENCH_CONSOLE_GAP_MS", 50);
const WARMUP = 10;
const CHROMIUM = "/usr/bin/chromium";
const now = () => performance.timeOrigin + performance.now();

async function json(base, method, path, key, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Resolves when `ready(frames)` holds, polling; throws after `ms`. */
async function until(ready, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export async function runConsoleCase() {
  if (!existsSync(CHROMIUM)) {
    log(`console case skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
    return null;
  }
  const { chromium } = await import("playwright-core");
  const { startLocalServer } = await import("../../scripts/local-server.mjs");
  const work = mkdtempSync(join(tmpdir(), "parley-bench-console-"));
  const adminToken = crypto.randomUUID();
  let server;
  let browser;
  let socket;
  try {
    log("console: starting wrangler dev on wrangler.toml (the Worker with its static assets) and chromium");
    [server, browser] = await Promise.all([
      startLocalServer({ persistTo: join(work, "state"), vars: { ADMIN_TOKEN: adminToken } }),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
    const base = server.url;
    const { api_key } = await json(base, "POST", "/v1/accounts", adminToken, { name: "bench console" });
    const key = api_key.key;
    const conv = await json(base, "POST", "/v1/conversations", key, {
      friendly_name: "Bench console",
      participants: [{ kind: "customer", identity: "bench-customer" }, { kind: "agent", identity: "agent-ada" }],
    });

    // The baseline: a raw socket in this process (as the API key, no identity), stamping each message.added.
    const framesAt = new Map();
    socket = new WebSocket(`${base.replace(/^http/, "ws")}/v1/conversations/${conv.id}/stream`, ["parley.v1", key]);
    socket.addEventListener("message", (e) => {
      const at = now();
      const frame = JSON.parse(String(e.data));
      if (frame.type === "message.added") framesAt.set(frame.message.id, at);
    });
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", () => reject(new Error("the raw socket did not open")), { once: true });
    });

    // The page: signed in, the conversation open, every new message's element stamped as it appears.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/console/#/c/${conv.id}`);
    await page.getByLabel("API key or participant token").fill(key);
    await page.getByLabel(/Agent identity/).fill("agent-ada");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#compose").waitFor();
    await page.evaluate(() => {
      window.__seen = {};
      new MutationObserver((records) => {
        const at = performance.timeOrigin + performance.now();
        for (const r of records) for (const n of r.addedNodes) if (n.dataset?.id) window.__seen[n.dataset.id] ??= at;
      }).observe(document.getElementById("messages"), { childList: true });
    });
    // The page's stream is up once it says Live... for the account stream; the thread's socket is
    // up when a first message shows, so the warm-up sends are also what waits for it.
    const sends = [];
    for (let i = 0; i < CONSOLE_MESSAGES + WARMUP; i++) {
      const started = now();
      const m = await json(base, "POST", `/v1/conversations/${conv.id}/messages`, key, { author: "bench-customer", body: `bench message ${i}` });
      if (i >= WARMUP) sends.push({ id: m.id, started });
      else if (i === WARMUP - 1) await until(async () => (await page.evaluate((id) => Boolean(window.__seen[id]), m.id)) && framesAt.has(m.id), 30_000, "the warm-up message in the page");
      await sleep(CONSOLE_GAP_MS);
    }
    const last = sends.at(-1).id;
    await until(async () => (await page.evaluate((id) => Boolean(window.__seen[id]), last)) && framesAt.has(last), 60_000, "the last message in the page");
    const seen = await page.evaluate(() => window.__seen);
    const pageMs = [];
    const frameMs = [];
    let missing = 0;
    for (const s of sends) {
      if (seen[s.id] === undefined || !framesAt.has(s.id)) {
        missing++;
        continue;
      }
      pageMs.push(seen[s.id] - s.started);
      frameMs.push(framesAt.get(s.id) - s.started);
    }
    return { page: latencySummary(pageMs), frame: latencySummary(frameMs), count: pageMs.length, missing };
  } finally {
    socket?.close();
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The case's lines: the page beside the raw frame of the same sends. */
export function consoleReport(r) {
  console.log("\nAgent console (issue 13): REST send -> the message in the page (real Chromium), beside the raw socket frame of the same send");
  if (!r) return console.log("  skipped (no chromium)");
  console.log(`  ${r.count} messages, ${CONSOLE_GAP_MS} ms apart${r.missing ? `, ${r.missing} never seen` : ""}`);
  console.log(`  in the page       p50 ${fmt(r.page.p50)} ms   p99 ${fmt(r.page.p99)} ms   max ${fmt(r.page.max)} ms`);
  console.log(`  raw socket frame  p50 ${fmt(r.frame.p50)} ms   p99 ${fmt(r.frame.p99)} ms   max ${fmt(r.frame.max)} ms`);
  console.log(`  the page's own share (p50 difference): ${fmt(r.page.p50 - r.frame.p50)} ms`);
}
