// Latency statistics: the one quantile definition every figure of the bench uses (the closed-loop
// cases, the D1 lag and the WebSocket fan-out), and the per-case accumulator with its summary.

/** The values sorted ascending, as a Float64Array (numeric order, unlike Array#sort's default). */
export function sorted(values) {
  return Float64Array.from(values).sort();
}

/**
 * The nearest-rank q-quantile of ascending `sorted` values: the smallest value with at least
 * q × n values at or below it (p99 of 100 samples is the 99th, not the 100th). NaN when empty.
 */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** p50, p99 and max of some latencies. */
export function latencySummary(values) {
  const s = sorted(values);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.length ? s[s.length - 1] : NaN };
}

/** What the load generator accumulates for one case over all of its slices. */
export function newStats(name) {
  return { name, ok: 0, errors: 0, errorKinds: new Map(), latencies: [], elapsedMs: 0, genCpuS: 0, serverCpuS: 0, machineBusyS: 0, perProcessS: new Map(), restarts: 0, last: new Map() };
}

/** Counts one failed request by its kind (the status, or the network error's code). */
export function countError(stats, res) {
  stats.errors++;
  const kind = res.status === 0 ? res.body : String(res.status);
  stats.errorKinds.set(kind, (stats.errorKinds.get(kind) ?? 0) + 1);
}

/** A case's figures: throughput, latency quantiles and CPU (as % of one core, and ms per request). */
export function summarize(stats) {
  const seconds = stats.elapsedMs / 1000;
  const cpuShare = (s) => (100 * s) / seconds;
  return {
    ...stats,
    ...latencySummary(stats.latencies),
    requests: stats.ok + stats.errors,
    rps: stats.ok / seconds,
    genCpu: cpuShare(stats.genCpuS),
    serverCpu: cpuShare(stats.serverCpuS),
    otherCpu: cpuShare(stats.machineBusyS - stats.genCpuS - stats.serverCpuS),
    serverMsPerReq: (1000 * stats.serverCpuS) / (stats.ok + stats.errors),
    processShares: ["worker", "proxy", "wrangler"].map((name) => cpuShare(stats.perProcessS.get(name) ?? 0)),
  };
}
