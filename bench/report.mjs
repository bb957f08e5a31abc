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
  TARGET_BURST_RATIO,
  TARGET_LAG_P99_MS,
  TARGET_REST_FANOUT_P50_RATIO_50,
  TARGET_SOCKET_P50_RATIO_50,
  TARGET_SOCKET_P50_RATIO_500,
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

/** "a / b ms = r×" for one quantile of two latency sets. */
const ratioLine = (label, a, b, unit = "ms") => `  ${label.padEnd(10)}  ${fmt(a)} / ${fmt(b)} ${unit} = ${fmt(a / b, 2)}×`;

/** One fixed-rate stream: what was sent, its HTTP latency and its end-to-end latency. */
function rateLine(label, run, what, extra = "") {
  const http = latencySummary(run.httpLatencies);
  const e2e = latencySummary(run.latencies);
  console.log(`  ${label}: ${run.sent} at ${fmt(run.achievedRate, 0)}/s, HTTP p50 ${fmt(http.p50)} ms p99 ${fmt(http.p99)} ms, errors ${errorText(run)}`);
  console.log(`    ${what.padEnd(22)} p50 ${fmt(e2e.p50)} ms   p99 ${fmt(e2e.p99)} ms   max ${fmt(e2e.max)} ms   samples ${run.latencies.length}   never arrived ${run.missing}${extra}`);
  // Answered over the slice and its tail: well under the rate asked means requests queued behind
  // each other (a slow tail alone lowers it a little too).
  if (run.achievedRate < 0.9 * run.rate) {
    console.log(`    warning: answered ${fmt(run.achievedRate, 0)}/s of the ${run.rate}/s sent (slices and their tails): the server fell behind, so these latencies are largely queueing, which grows with BENCH_SLICE_MS`);
  }
  return e2e;
}

/**
 * The channel cases (bench/cases/inbound.mjs, outbound.mjs): the closed-loop webhook table, the
 * inbound frame latency against a REST send's, the outbound provider latency against the send's
 * own, and the 100-conversation / 1-conversation webhook throughput. No targets yet: ratios only.
 */
export function channelsReport({ inbound, outbound }) {
  const R = Object.fromEntries(Object.entries(inbound.throughput.S).map(([k, s]) => [k, summarize(s)]));
  const { frames } = inbound;
  console.log("");
  console.log(`Channels: signed Twilio webhooks (inbound SMS, X-Twilio-Signature) into an SMS channel, and agent sends out through a fake Twilio API`);
  console.log(`in this process (the channel's base_url), same run; columns as above\n`);
  table(Object.values(R));
  const restarts = Object.values(R).filter((r) => r.restarts > 0);
  if (restarts.length > 0) console.log(`\nwarning: a server process exited during ${restarts.map((r) => r.name).join(", ")}: those numbers are suspect`);

  console.log("");
  console.log(`inbound -> WebSocket frame, ${frames.inbound.rate}/s into one conversation (${ROUNDS} × ${SLICE_MS / 1000} s each, interleaved; POST start -> message.added on an agent's socket):`);
  const hook = rateLine("(in-frame) Twilio webhook", frames.inbound, "webhook -> frame");
  const rest = rateLine("(rest-frame) REST send, same author", frames.rest, "send -> frame", frames.dups ? `   duplicated ${frames.dups}` : "");
  console.log("  inbound against the REST send, same run:");
  console.log(ratioLine("p50", hook.p50, rest.p50));
  console.log(ratioLine("p99", hook.p99, rest.p99));
  const perRound = frames.inbound.perRound.map((l, i) => latencySummary(l).p99 / latencySummary(frames.rest.perRound[i]).p99);
  console.log(`              p99 per round: ${perRound.map((r) => `${fmt(r, 2)}×`).join(", ")}`);

  console.log("");
  console.log(`outbound send -> provider request, ${outbound.rate}/s round-robin over ${outbound.conversations} SMS conversations (${ROUNDS} × ${SLICE_MS / 1000} s; POST start -> request at the fake Twilio):`);
  const delivered = rateLine("(out) agent REST send", outbound, "send -> provider", `   duplicated ${outbound.duplicates}   refused ${outbound.refused}`);
  const send = latencySummary(outbound.httpLatencies);
  console.log("  provider request against the send's own 201, same run:");
  console.log(ratioLine("p50", delivered.p50, send.p50));
  console.log(ratioLine("p99", delivered.p99, send.p99));

  console.log("");
  const many = R.in100;
  const one = R.in1;
  const ratio = many.rps / one.rps;
  console.log(`inbound webhook throughput, closed loop (concurrency ${CONCURRENCY}), ${CONVERSATIONS} conversations against 1, same run:`);
  console.log(`  throughput  ${fmt(many.rps, 0)} / ${fmt(one.rps, 0)} req/s = ${fmt(ratio, 2)}×`);
  console.log(`              per round: ${inbound.throughput.perRound.map((r) => `${fmt(r, 2)}×`).join(", ")}`);
  console.log(`  p99         ${fmt(many.p99)} / ${fmt(one.p99)} ms = ${fmt(many.p99 / one.p99, 2)}×`);
  console.log(`  errors      ${many.errors} / ${one.errors}`);
}

/** A plain text table: the first column left-aligned, the rest right-aligned. */
function plainTable(head, body) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(line(r));
}

/** "label  a / b unit = r×   (target <= t×)  PASS"; returns whether a / b <= t. */
function ratioTarget(label, a, b, target, unit = "ms") {
  const r = a / b;
  const ok = r <= target;
  console.log(`  ${label.padEnd(30)} ${fmt(a)} / ${fmt(b)} ${unit} = ${fmt(r, 2)}×   (target <= ${target}×)  ${verdict(ok)}`);
  return ok;
}

/** The socket-send cases (bench/cases/socket-send.mjs), with the issue 10 targets. */
export function socketReport({ sizes, burst, frames, rest }) {
  console.log("");
  console.log("Socket send (issue 10): message.send frames from a participant's socket, against the bare ceiling (bench/worker.ts SocketCeilingDO:");
  console.log("one INSERT, one frame serialized once to every other socket, an ack to the sender), same run. Latency from just before the sender's");
  console.log("ws.send() to each receiver's message.added (receipts), and to the sender's message.ack; one message at a time, interleaved\n");
  const body = [];
  for (const size of sizes) {
    for (const who of ["parley", "ceiling"]) {
      const r = size[who];
      const recv = latencySummary(r.receipts);
      const ack = latencySummary(r.acks);
      body.push([`${who === "parley" ? "Parley" : "ceiling"} socket send N=${size.n}`, String(r.receipts.length), fmt(recv.p50), fmt(recv.p99), fmt(ack.p50), fmt(ack.p99), String(r.lost), String(r.dups), String(r.acksLost), String(size.errors[who])]);
    }
  }
  plainTable(["case", "receipts", "p50 ms", "p99 ms", "ack p50", "ack p99", "lost", "dup", "no ack", "errors"], body);
  for (const size of sizes) for (const sample of size.errorSamples) console.log(`  error frame at N=${size.n}: ${sample}`);
  const at = (n, who) => latencySummary(sizes.find((s) => s.n === n)[who].receipts);

  console.log("");
  console.log(`burst: 4 senders × 40 messages written back to back (160) into 50 receiving sockets; messages/s from the first send until every receiver had all 160:`);
  for (const who of ["parley", "ceiling"]) {
    const b = burst[who];
    const recv = latencySummary(b.receipts);
    console.log(
      `  ${(who === "parley" ? "Parley" : "ceiling").padEnd(8)} ${fmt(b.perSecond, 0)} messages/s (${fmt(b.perSecond * 50, 0)} receipts/s; per round ${b.rounds.map((r) => (r.complete ? fmt(r.perSecond, 0) : "incomplete")).join(", ")}), send -> receipt p50 ${fmt(recv.p50)} ms p99 ${fmt(recv.p99)} ms, lost ${b.lost}, no ack ${b.acksLost}, errors ${b.errors}`,
    );
    const messages = 160 * b.rounds.length;
    const per = (seconds) => fmt((1000 * seconds) / messages, 2);
    const shares = ["worker", "proxy", "wrangler"].map((p) => per(b.cpu.perProcessS.get(p) ?? 0)).join(" / ");
    console.log(`           CPU per message: server ${per(b.cpu.serverCpuS)} ms (worker/proxy/wrangler ${shares}), this process ${per(b.cpu.genCpuS)} ms, the rest of the machine ${per(Math.max(0, b.cpu.machineBusyS - b.cpu.serverCpuS - b.cpu.genCpuS))} ms`);
    for (const sample of b.errorSamples.slice(0, 3)) console.log(`    error frame: ${sample}`);
  }
  const paired = burst.parley.rounds.map((r, i) => r.perSecond / burst.ceiling.rounds[i].perSecond);
  const middle = [...paired].sort((a, b) => a - b)[Math.floor((paired.length - 1) / 2)];
  console.log(`  Parley / ceiling per round (each pair back to back): ${paired.map((r) => `${fmt(100 * r, 0)}%`).join(", ")}; median ${fmt(100 * middle, 0)}%`);

  console.log("");
  console.log(`REST-send fan-out to 50 sockets (fanout.mjs: REST send start -> each socket's receipt; Parley against the BroadcastDO ceiling), ${rest.reused ? "from the fan-out case above" : "measured here"}:`);
  for (const r of [rest.parley, rest.ceiling]) console.log(`  ${r.name.padEnd(22)} receipts ${r.receipts}, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, lost ${r.lost}, dup ${r.dups}`);

  console.log("");
  console.log(`frame bytes per message (one message.added, the same body):`);
  console.log(`  Parley ${frames.parley.bytes} bytes, ceiling ${frames.ceiling.bytes} bytes = ${fmt(frames.parley.bytes / frames.ceiling.bytes, 2)}×`);
  console.log(`  Parley:  ${frames.parley.sample}`);
  console.log(`  ceiling: ${frames.ceiling.sample}`);

  console.log("");
  console.log("socket send against the ceiling, same run:");
  const ok50 = ratioTarget("socket send p50, N=50", at(50, "parley").p50, at(50, "ceiling").p50, TARGET_SOCKET_P50_RATIO_50);
  const ok500 = ratioTarget("socket send p50, N=500", at(500, "parley").p50, at(500, "ceiling").p50, TARGET_SOCKET_P50_RATIO_500);
  const burstRatio = burst.parley.perSecond / burst.ceiling.perSecond;
  const okBurst = burstRatio >= TARGET_BURST_RATIO;
  console.log(`  ${"burst, messages/s".padEnd(30)} ${fmt(burst.parley.perSecond, 0)} / ${fmt(burst.ceiling.perSecond, 0)} = ${fmt(100 * burstRatio, 0)}%   (target >= ${TARGET_BURST_RATIO * 100}%)  ${verdict(okBurst)}`);
  const okRest = ratioTarget("REST-send fan-out p50, N=50", rest.parley.p50, rest.ceiling.p50, TARGET_REST_FANOUT_P50_RATIO_50);
  const p1 = at(1, "parley");
  const c1 = at(1, "ceiling");
  console.log(`  ${"(socket send p50, N=1)".padEnd(30)} ${fmt(p1.p50)} / ${fmt(c1.p50)} ms = ${fmt(p1.p50 / c1.p50, 2)}×   (no target)`);
  const faults =
    sizes.reduce((n, s) => n + s.parley.lost + s.parley.dups + s.parley.acksLost + s.errors.parley, 0) +
    burst.parley.lost + burst.parley.acksLost + burst.parley.errors;
  console.log(`  ${"Parley lost/dup/unacked/errors".padEnd(30)} ${faults}   (target 0)  ${verdict(faults === 0)}`);
  const all = ok50 && ok500 && okBurst && okRest && faults === 0;
  console.log(`\nsocket-send targets: ${all ? "all met" : "NOT all met"}`);
  return all;
}

/** The webhook cases (bench/cases/webhooks.mjs). No targets were set: figures and ratios. */
export function webhooksReport({ latency, events, failing }) {
  const signed = (c) => `bad signatures ${c.badSignatures}, duplicated ${c.duplicates}`;
  console.log("");
  console.log("Webhooks (issue 12): REST send -> outbox -> PROJECTION queue -> D1 -> WEBHOOKS queue -> signed POST to a receiver in this process");
  console.log("(each signature checked); each case on an account of its own, endpoints subscribed to message.added; no targets set: ratios only\n");

  console.log(`webhook latency, ${latency.rate} sends/s into one conversation (${ROUNDS} × ${SLICE_MS / 1000} s; POST start -> the endpoint's receipt of its message.added):`);
  const hook = rateLine("(wh) REST send", latency, "send -> webhook", `   ${signed(latency.counts)}`);
  const send = latencySummary(latency.httpLatencies);
  console.log("  webhook against the send's own 201, same run:");
  console.log(ratioLine("p50", hook.p50, send.p50));
  console.log(ratioLine("p99", hook.p99, send.p99));

  console.log("");
  const http = latencySummary(events.httpLatencies);
  const e2e = latencySummary(events.latencies);
  const offered = events.sendsPerSecond * events.endpoints;
  console.log(`events/s to ${events.endpoints} endpoints of one account, ${events.sent} sends closed loop at concurrency ${events.concurrency} into one conversation:`);
  console.log(`  sends      ${events.sent} in ${fmt(events.sendMs / 1000, 1)} s = ${fmt(events.sendsPerSecond, 0)}/s (${fmt(offered, 0)} events/s offered), HTTP p50 ${fmt(http.p50)} ms p99 ${fmt(http.p99)} ms, errors ${errorText(events)}`);
  console.log(`  delivered  ${events.delivered} of ${events.expected} in ${fmt(events.totalMs / 1000, 1)} s from the first send = ${fmt(events.perSecond, 0)} events/s; middle 80% ${fmt(events.steadyPerSecond, 0)} events/s; the last ${fmt(events.drainMs / 1000, 1)} s after the last send`);
  console.log(`             send -> webhook p50 ${fmt(e2e.p50)} ms p99 ${fmt(e2e.p99)} ms, never arrived ${events.missing}, ${signed(events.counts)}`);
  console.log(`  delivered against offered: ${fmt(events.perSecond, 0)} / ${fmt(offered, 0)} events/s = ${fmt((100 * events.perSecond) / offered, 0)}% (middle 80%: ${fmt((100 * events.steadyPerSecond) / offered, 0)}%)`);

  console.log("");
  console.log(`a failing endpoint: ${failing.rate} sends/s for ${failing.ms / 1000} s to an account's healthy endpoint, without and then beside an endpoint of the`);
  console.log(`same account that takes each POST and never answers (Parley's webhook timeout: 10 s); meanwhile as many to another account's`);
  console.log(`healthy endpoint (the WEBHOOKS queue is shared); latency from each POST's start to the endpoint's receipt:`);
  const alone = rateLine("(wh-alone) healthy endpoint, nothing failing", failing.alone, "send -> webhook");
  const otherAlone = rateLine("(wh-other-alone) another account's endpoint", failing.otherAlone, "send -> webhook");
  const beside = rateLine("(wh-beside) healthy endpoint, beside a hanging one", failing.beside, "send -> webhook", `   the hanging one got ${failing.hangingRequests} POSTs`);
  const otherBeside = rateLine("(wh-other-beside) another account's endpoint", failing.otherBeside, "send -> webhook");
  console.log(`  beside the hanging endpoint against nothing failing, same run (the second slice settled ${fmt(failing.settledMs / 1000, 1)} s after it began; ${signed(failing.counts)}):`);
  console.log(ratioLine("p50", beside.p50, alone.p50));
  console.log(ratioLine("p99", beside.p99, alone.p99));
  console.log(`  another account's endpoint, the same two slices:`);
  console.log(ratioLine("p50", otherBeside.p50, otherAlone.p50));
  console.log(ratioLine("p99", otherBeside.p99, otherAlone.p99));
}

/** A ledger sample as one line: each attempt (channel outcome code, → when it moved on), then where the recipient is. */
function ledgerLine(sample) {
  if (!sample) return "no delivery on the newest message";
  const steps = sample.attempts.map((a) => `${a.channel} ${a.outcome}${a.code ? ` ${a.code}` : ""}${a.moved_on ? " (moved on)" : ""}`).join(", then ");
  const r = sample.recipient;
  return `${steps}; recipient on ${r ? `${r.channel} (step ${r.step} of ${JSON.stringify(r.channels)}), ${r.status}` : "?"}; message ${sample.status}`;
}

/** The delivery fallback cases (bench/cases/fallback.mjs, issue 11): figures, one verdict (requests per message). */
export function fallbackReport(f) {
  const s = (ms) => `${fmt(ms / 1000, 2)} s`;
  console.log("");
  console.log(`Delivery fallback (issue 11): agent REST sends with channels ["whatsapp", "sms"] to WhatsApp customers whose 24-hour window is open`);
  console.log(`(each wrote first: a signed Cloud API webhook), through DELIVERY to a fake Graph API and a fake Twilio in this process; each case on an`);
  console.log(`account of its own, ${f.refused.rate} sends/s round-robin over ${f.conversations} conversations, ${ROUNDS} × ${SLICE_MS / 1000} s each, interleaved; latency from each POST's start\n`);

  const hopLines = (run, extra = "") => {
    const first = latencySummary(run.toFirst);
    const hop = latencySummary(run.fallbackHop);
    console.log(`    ${"send -> WhatsApp".padEnd(22)} p50 ${fmt(first.p50)} ms   p99 ${fmt(first.p99)} ms   max ${fmt(first.max)} ms   never arrived ${run.firstMissing}`);
    console.log(`    ${"WhatsApp -> SMS".padEnd(22)} p50 ${fmt(hop.p50)} ms   p99 ${fmt(hop.p99)} ms   max ${fmt(hop.max)} ms${extra}`);
  };
  console.log(`refused: the Graph API answers each send 400, code 131026 (undeliverable: permanent), the fake Twilio accepts:`);
  const refused = rateLine("(fb-refused) agent REST send", f.refused, "send -> SMS request");
  hopLines(f.refused);
  console.log(`  time to complete a fallback when the first channel refuses: p50 ${fmt(refused.p50)} ms, p99 ${fmt(refused.p99)} ms`);

  console.log("");
  console.log(`timed out: the Graph API accepts (200, a wamid) and no status webhook ever comes; delivery_timeouts.whatsapp = ${f.timeoutS} s:`);
  const timed = rateLine("(fb-timeout) agent REST send", f.timeout, "send -> SMS request");
  const over = latencySummary(f.timeout.fallbackHop.map((ms) => ms - 1000 * f.timeoutS));
  hopLines(f.timeout, `   (beyond the ${f.timeoutS} s: p50 ${fmt(over.p50)} ms, p99 ${fmt(over.p99)} ms)`);
  console.log(`  time to complete a fallback when the first channel times out: p50 ${s(timed.p50)}, p99 ${s(timed.p99)} against a ${f.timeoutS} s timeout (${fmt(timed.p50 / (1000 * f.timeoutS), 2)}×, ${fmt(timed.p99 / (1000 * f.timeoutS), 2)}×)`);

  console.log("");
  const perSent = (n, sent) => (sent > 0 ? fmt(n / sent, 3) : "-");
  const sent = f.refused.sent + f.timeout.sent;
  const { graph, twilio } = f.fallbackCounts;
  console.log(`provider requests in the two fallback cases (${sent} sends answered): Graph ${graph.requests} (${perSent(graph.requests, sent)} per message: undeliverable ${graph.undeliverable}, accepted ${graph.accepted}, duplicated ${graph.duplicates}, refused by its checks ${graph.refused}),`);
  console.log(`  Twilio ${twilio.requests} (${perSent(twilio.requests, sent)} per message: duplicated ${twilio.duplicates}, refused by its checks ${twilio.refused})`);
  console.log(`the newest message's ledger (GET …/messages), refused:   ${ledgerLine(f.samples.refused)}`);
  console.log(`                                             timed out: ${ledgerLine(f.samples.timeout)}`);

  console.log("");
  const t = latencySummary(f.trickle.latencies);
  console.log(`plain queue round trip, one job at a time (POST /__bench/queue-roundtrip at ${f.trickle.rate}/s -> BENCH_ROUNDTRIP -> a consumer that notes it; the Worker's clock):`);
  console.log(`  send -> consumer p50 ${fmt(t.p50, 0)} ms   p99 ${fmt(t.p99, 0)} ms   max ${fmt(t.max, 0)} ms   samples ${f.trickle.latencies.length}   never arrived ${f.trickle.missing}   errors ${f.trickle.errors}`);

  console.log("");
  console.log(`delivery consumer throughput, nothing failing: ${f.deliveries[0]?.sent ?? 0} agent sends to SMS customers per round, closed loop, round-robin over 100 conversations, to the`);
  console.log(`account's own fake Twilio; beside as many jobs on the plain BENCH_ROUNDTRIP queue (sendBatch, same consumer settings as parley-delivery), interleaved:`);
  const cpuPer = (c, n) => fmt((1000 * c.serverCpuS) / n, 2);
  f.deliveries.forEach((d, i) => {
    const q = f.queue[i];
    const http = latencySummary(d.httpLatencies);
    const e2e = latencySummary(d.latencies);
    const ql = latencySummary(q.latencies);
    console.log(`  round ${i + 1} deliveries: ${d.sent} sends in ${s(d.sendMs)} (${fmt(d.sendsPerSecond, 0)}/s, HTTP p50 ${fmt(http.p50)} ms p99 ${fmt(http.p99)} ms, errors ${errorText(d)}); ${d.delivered} delivered, never ${d.missing}`);
    console.log(`           ${fmt(d.perSecond, 0)} deliveries/s from the first send to the last delivery, ${fmt(d.steadyPerSecond, 0)}/s over the middle 80%; ${d.backlog} still owed at the last send, delivered in the ${s(d.drainMs)} after it (${fmt(d.drainPerSecond, 0)}/s)`);
    console.log(`           send -> SMS request p50 ${fmt(e2e.p50)} ms p99 ${fmt(e2e.p99)} ms; server CPU ${cpuPer(d.cpu, d.delivered)} ms per delivered message (its REST send included)`);
    console.log(`  round ${i + 1} plain queue: ${q.arrived} of ${q.n} jobs in ${s(q.totalMs)} = ${fmt(q.perSecond, 0)} jobs/s, ${fmt(q.steadyPerSecond, 0)}/s over the middle 80%; send -> consumer p50 ${fmt(ql.p50, 0)} ms p99 ${fmt(ql.p99, 0)} ms; duplicated ${q.duplicates}; server CPU ${cpuPer(q.cpu, q.arrived)} ms per job`);
  });
  const sum = (list, k) => list.reduce((n, x) => n + x[k], 0) / list.length;
  const steadyD = sum(f.deliveries, "steadyPerSecond");
  const steadyQ = sum(f.queue, "steadyPerSecond");
  const allD = sum(f.deliveries, "perSecond");
  const allQ = sum(f.queue, "perSecond");
  const drainD = sum(f.deliveries, "drainPerSecond");
  console.log(`  deliveries against the plain queue round trip, same run (mean of the rounds):`);
  console.log(`    steady (middle 80%)  ${fmt(steadyD, 0)} / ${fmt(steadyQ, 0)} per s = ${fmt(steadyD / steadyQ, 3)}× (${fmt((100 * steadyD) / steadyQ, 1)}%)`);
  console.log(`    first to last        ${fmt(allD, 0)} / ${fmt(allQ, 0)} per s = ${fmt(allD / allQ, 3)}× (${fmt((100 * allD) / allQ, 1)}%)`);
  console.log(`    after the last send  ${fmt(drainD, 0)} / ${fmt(steadyQ, 0)} per s = ${fmt(drainD / steadyQ, 3)}× (the backlog alone, against the plain queue's steady rate)`);
  if (f.deliveries.some((d) => d.backlog < 0.1 * d.sent)) {
    console.log(`    note: the consumer kept up with the sends (little owed when they ended), so the delivery rate here is bounded by the REST sends, not the consumer`);
  }

  console.log("");
  const p = f.perMessage;
  const ratio = p.sent > 0 ? p.requests / p.sent : NaN;
  const ok = p.sent > 0 && p.requests === p.sent && p.duplicates === 0 && p.missing === 0;
  console.log(`provider requests per delivered message, nothing failing (the throughput rounds; counted after ${p.quietMs / 1000} s without a request):`);
  console.log(`  ${p.requests} Twilio requests / ${p.sent} messages sent = ${fmt(ratio, 3)}   (duplicated ${p.duplicates}, never arrived ${p.missing}, refused by its checks ${p.refused})   (must be exactly 1.0)  ${verdict(ok)}`);
  return ok;
}
