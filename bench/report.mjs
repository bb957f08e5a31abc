// The bench's report: the table of every closed-loop case, then each figure against its target
// (PASS/FAIL), where the send's cost goes, and the D1 lag.
import { cpus } from "node:os";
import {
  CONCURRENCY,
  CONVERSATIONS,
  POLL_MS,
  ROUNDS,
  SLICE_MS,
  TARGET_BATCHES_PER_100_SENDS,
  TARGET_LAG_P99_MS,
  TARGET_P99_RATIO,
  TARGET_THROUGHPUT_RATIO,
  fmt,
} from "./lib/config.mjs";
import { latencySummary, summarize } from "./lib/stats.mjs";

const errorText = (s) => (s.errors === 0 ? "0" : `${s.errors} (${[...s.errorKinds].map(([k, n]) => `${k}×${n}`).join(", ")})`);
const verdict = (ok) => (ok ? "PASS" : "FAIL");

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
    s.processShares.map((share) => fmt(share, 0)).join(" / "),
    `${fmt(Math.max(0, s.otherCpu), 0)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(line(r));
}

/**
 * A send case against its ceiling: throughput, p99 and errors, each with its verdict. Returns
 * whether all three were met.
 */
function againstCeiling(label, send, ceiling, extra = []) {
  const tput = send.rps / ceiling.rps;
  const p99 = send.p99 / ceiling.p99;
  console.log(`${label}, same run:`);
  console.log(`  throughput  ${fmt(send.rps, 0)} / ${fmt(ceiling.rps, 0)} req/s = ${fmt(100 * tput, 0)}%   (target >= ${TARGET_THROUGHPUT_RATIO * 100}%)  ${verdict(tput >= TARGET_THROUGHPUT_RATIO)}`);
  for (const line of extra) console.log(line);
  console.log(`  p99         ${fmt(send.p99)} / ${fmt(ceiling.p99)} ms = ${fmt(p99, 2)}×   (target <= ${TARGET_P99_RATIO}×)  ${verdict(p99 <= TARGET_P99_RATIO)}`);
  console.log(`  errors      ${send.errors}   (target 0)  ${verdict(send.errors === 0)}`);
  return tput >= TARGET_THROUGHPUT_RATIO && p99 <= TARGET_P99_RATIO && send.errors === 0;
}

/** D1 batches the projection consumer wrote per 100 sends of the (c) slices; whether on target. */
function batchesPerSends(projection) {
  const label = `  D1 batches  `;
  if (projection === null) {
    console.log(`${label}not measured: the server has no GET /__bench/projection/stats   (target <= ${TARGET_BATCHES_PER_100_SENDS} per 100 sends)  FAIL`);
    return false;
  }
  const { sends, batches, payloads, conversations } = projection;
  const per100 = (100 * batches) / sends;
  // Sends that reached D1 without the consumer counting a batch did not go through it.
  const counted = sends > 0 && payloads > 0;
  const ok = counted && per100 <= TARGET_BATCHES_PER_100_SENDS;
  const detail = counted
    ? `${fmt(per100, 1)} per 100 sends (${batches} batches for ${sends} sends; ${fmt(payloads / batches, 1)} payloads and ${fmt(conversations / batches, 1)} conversations per batch)`
    : `none counted for ${sends} sends (is the projection consumer running?)`;
  console.log(`${label}${detail}   (target <= ${TARGET_BATCHES_PER_100_SENDS})  ${verdict(ok)}`);
  return ok;
}

/** One D1 lag case: p50/p99/max with its verdict; returns whether on target. */
function lagCase(lag) {
  const where = lag.conversations === 1 ? "into one conversation" : `round-robin over ${lag.conversations} conversations`;
  const sends = latencySummary(lag.sendLatencies);
  const lags = latencySummary(lag.lags);
  const ok = lags.p99 < TARGET_LAG_P99_MS && lag.missing === 0 && lag.errors === 0;
  console.log(`  ${lag.sent} sends at ${fmt(lag.achievedRate, 0)}/s ${where}, send p50 ${fmt(sends.p50)} ms p99 ${fmt(sends.p99)} ms:`);
  console.log(`    p50 ${fmt(lags.p50)} ms   p99 ${fmt(lags.p99)} ms   max ${fmt(lags.max)} ms   samples ${lag.lags.length}   send errors ${errorText(lag)}   never seen ${lag.missing}`);
  console.log(`    p99 < ${TARGET_LAG_P99_MS} ms  ${verdict(ok)}`);
  return ok;
}

export function report(S, { perRound, lag, catchUps, projection }) {
  const R = Object.fromEntries(Object.entries(S).map(([k, s]) => [k, summarize(s)]));
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

  console.log("");
  const perRoundLine = `              per round: ${perRound.map((r) => `${fmt(100 * r, 0)}%`).join(", ")}`;
  const oneOk = againstCeiling("(b) against the one-row DO ceiling (a-DO)", R.one, R.baseline, [perRoundLine]);
  const manyOk = againstCeiling(`(c) against its ceiling (a-DO×${CONVERSATIONS})`, R.many, R.baseline100);
  const batchesOk = batchesPerSends(projection);

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
  layer("  outbox to D1 (queue, D1 batch, hub)", R.direct, R.nodrain);
  layer("  DO send transaction vs one INSERT", R.nodrain, R.baseline);
  console.log(`  ${CONVERSATIONS} conversations`);
  layer("  HTTP layer + outbox drain to D1", R.many, R.manyNoDrain);
  layer("  DO send transaction vs one INSERT", R.manyNoDrain, R.baseline100);

  console.log("");
  console.log(`D1 lag, send 2xx -> row in D1 messages (D1 probed every ${POLL_MS} ms):`);
  const lagOk = [lagCase(lag.single), lagCase(lag.spread)].every(Boolean);
  const showCatchUp = (list) => list.map((ms) => (ms === null ? "> 30 s" : `${fmt(ms, 0)}`)).join(", ");
  console.log(`  at full load, D1 held the last 2xx this many ms after each slice ended: (b) ${showCatchUp(catchUps.one)}; (b-rpc) ${showCatchUp(catchUps.direct)}; (c) ${showCatchUp(catchUps.many)}`);

  const allOk = oneOk && manyOk && batchesOk && lagOk;
  console.log("");
  console.log(`targets: ${allOk ? "all met" : "NOT all met"}`);
}
