// The bench's knobs (environment variables), the targets it reports against, and the run-wide
// bits every module shares: the admin token of the server it starts, a timestamped log, fmt, sleep.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Load-generator workers, each with one keep-alive socket. */
export const CONCURRENCY = num("BENCH_CONCURRENCY", 32);
/** One timed slice of a case. */
export const SLICE_MS = num("BENCH_SLICE_MS", 2000);
/** Slices per case, interleaved with the other cases. */
export const ROUNDS = num("BENCH_ROUNDS", 4);
export const WARMUP_MS = num("BENCH_WARMUP_MS", 1500);
/** The D1 lag cases' fixed send rate (sends/s) and duration. */
export const LAG_RATE = num("BENCH_LAG_RATE", 100);
export const LAG_MS = num("BENCH_LAG_MS", 6000);
/** Conversation rows seeded into D1 for the listings. */
export const SEED_ROWS = num("BENCH_SEED", 10_000);
/**
 * Sends per fan-out size. p99 over receipts is set by the slowest ~1% of sends (each send's
 * receipts arrive together), so it needs enough sends to mean anything.
 */
export const FANOUT_MESSAGES = num("BENCH_FANOUT_MESSAGES", 100);
/** The sustained fan-out case's duration. */
export const SUSTAIN_MS = num("BENCH_SUSTAIN_MS", 5000);
/** Socket-send fan-out: messages per size (N = 1, 50, 500), each to Parley and the ceiling. */
export const SOCKET_MESSAGES = num("BENCH_SOCKET_MESSAGES", FANOUT_MESSAGES);
/** Socket-send bursts (160 messages from 4 senders into 50 sockets), each to Parley and the ceiling, after one warm-up burst. */
export const BURST_ROUNDS = num("BENCH_BURST_ROUNDS", 8);
/** How many conversations the "spread" cases ((c), its ceiling, the second D1 lag case) use. */
export const CONVERSATIONS = 100;
/** How often the D1 probes look for rows. */
export const POLL_MS = 20;

// The targets from the issue.
export const TARGET_THROUGHPUT_RATIO = 0.7;
export const TARGET_P99_RATIO = 2;
export const TARGET_LAG_P99_MS = 1000;
export const TARGET_BATCHES_PER_100_SENDS = 10;
export const TARGET_FANOUT_P99_RATIO = 1.5;
// Issue 10 (send over the socket), each against the ceiling of the same run.
export const TARGET_SOCKET_P50_RATIO_50 = 1.5;
export const TARGET_SOCKET_P50_RATIO_500 = 1.2;
export const TARGET_BURST_RATIO = 0.7;
export const TARGET_REST_FANOUT_P50_RATIO_50 = 2;

/** The server's ADMIN_TOKEN for this run: it guards /v1/accounts and the /__bench/* routes. */
export const ADMIN_TOKEN = randomBytes(24).toString("hex");

const started = performance.now();
export const log = (msg) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

export const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
