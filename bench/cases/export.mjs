// The export cases (issue 8): messages/s of
// - a streamed conversation export (GET /v1/conversations/{id}/export) of a BENCH_EXPORT_MESSAGES
//   (10,000) message conversation, read to the end, beside reading the same conversation through
//   its history pages (GET …/messages?limit=100, cursor after cursor), the way a client would
//   without the export, in the same run;
// - a bulk export (POST /v1/exports) of one account of the search case's history (10,000 messages in
//   D1 at 100,000 in all), from the POST to `completed` (queue hops and R2 upload included).
import http from "node:http";
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, fmt, log, sleep } from "../lib/config.mjs";
import { must, request, sideAgent, target } from "../lib/http.mjs";
import { latencySummary } from "../lib/stats.mjs";

const MESSAGES = Number(process.env.BENCH_EXPORT_MESSAGES) > 0 ? Number(process.env.BENCH_EXPORT_MESSAGES) : 10_000;

/** Streams a response to its end, counting lines, and keeping none of it. */
function streamLines(path, key) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let lines = 0;
    let first = null;
    const req = http.request({ agent: sideAgent, host: target.host, port: target.port, method: "GET", path, headers: { authorization: `Bearer ${key}` } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode}`));
      res.on("data", (chunk) => {
        first ??= performance.now() - t0;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on("end", () => resolve({ lines, ms: performance.now() - t0, firstMs: first }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Reads the whole history through the API's pages of 100. */
async function pageThrough(convId, key) {
  const t0 = performance.now();
  let count = 0;
  let cursor = null;
  do {
    const res = await request(sideAgent, "GET", `/v1/conversations/${convId}/messages?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { authorization: `Bearer ${key}` });
    if (res.status !== 200) throw new Error(`history page: ${res.status} ${res.body.slice(0, 200)}`);
    const page = JSON.parse(res.body);
    count += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return { count, ms: performance.now() - t0 };
}

export async function runExportCases({ accounts }) {
  const account = accounts[0];
  const conv = await must("POST", "/v1/conversations", account.key, { friendly_name: "long export", participants: [{ kind: "agent", identity: "ada" }] }, 201);
  const t0 = performance.now();
  await must("POST", "/__bench/history/append", ADMIN_TOKEN, { account_id: account.id, conversation_id: conv.id, count: MESSAGES, author: "ada" }, 201);
  log(`export: ${MESSAGES} messages appended in the conversation's object in ${fmt((performance.now() - t0) / 1000, 1)} s`);

  const streamed = [];
  const paged = [];
  const firstLine = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const s = await streamLines(`/v1/conversations/${conv.id}/export`, account.key);
    if (s.lines !== MESSAGES + 1) throw new Error(`the export had ${s.lines} lines, not ${MESSAGES + 1}`);
    streamed.push((1000 * MESSAGES) / s.ms);
    firstLine.push(s.firstMs);
    const p = await pageThrough(conv.id, account.key);
    if (p.count !== MESSAGES) throw new Error(`the history pages had ${p.count} messages`);
    paged.push((1000 * MESSAGES) / p.ms);
    log(`  round ${round}/${ROUNDS}: streamed ${fmt(streamed.at(-1), 0)} msg/s (first bytes after ${fmt(s.firstMs)} ms), history pages ${fmt(paged.at(-1), 0)} msg/s`);
  }

  const bulk = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const created = await must("POST", "/v1/exports", account.key, {}, 202);
    let job;
    for (;;) {
      job = await must("GET", `/v1/exports/${created.id}`, account.key, undefined, 200);
      if (job.status === "completed" || job.status === "failed") break;
      await sleep(50);
    }
    if (job.status !== "completed") throw new Error(`bulk export ${job.id} failed: ${job.error}`);
    const seconds = (Date.parse(job.completed_at) - Date.parse(job.created_at)) / 1000;
    bulk.push({ rate: job.progress.messages / seconds, messages: job.progress.messages, bytes: job.progress.bytes, seconds });
    log(`  bulk round ${round}/${ROUNDS}: ${job.progress.messages} messages, ${job.progress.conversations} conversations, ${fmt(job.progress.bytes / 1e6, 2)} MB in ${fmt(seconds, 2)} s`);
  }
  return { streamed, paged, firstLine, bulk };
}

const median = (values) => latencySummary(values).p50;

export function exportReport({ streamed, paged, firstLine, bulk }) {
  console.log(`\nExport (issue 8), ${ROUNDS} rounds each, medians:`);
  console.log(`  streamed conversation export  ${fmt(median(streamed), 0)} msg/s (${MESSAGES} messages; first bytes after ${fmt(median(firstLine))} ms)`);
  console.log(`  the same read by history pages ${fmt(median(paged), 0)} msg/s (limit=100)  -> export ${fmt(median(streamed) / median(paged), 2)}× of it`);
  const b = bulk[Math.floor(bulk.length / 2)];
  console.log(`  bulk export to R2              ${fmt(median(bulk.map((x) => x.rate)), 0)} msg/s (${b.messages} messages, ${fmt(b.bytes / 1e6, 2)} MB, POST to completed)`);
}
