// The search case (issue 8): GET /v1/search/messages over history seeded straight into D1 across 10
// accounts, beside a plain GET /v1/conversations listing of the same accounts in the same slices,
// at 10,000 and then 100,000 messages. Target: search p99 within 2× of the listing's p99 at 100,000.
//
// Seeding: per account BENCH_HISTORY_CONVERSATIONS (100) listing rows (bench/worker.ts seed), then
// messages written by POST /__bench/history/messages (bench/history.ts): support-chat words drawn by
// Zipf's law from 100 real words and 3,000 made-up ones, one message in twenty partly Swahili, one in
// fifty with Chinese; the search triggers index them as the projection's writes would.
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, SLICE_MS, WARMUP_MS, fmt, log } from "../lib/config.mjs";
import { loadAgent, must, request, succeeded } from "../lib/http.mjs";
import { countError, newStats, summarize } from "../lib/stats.mjs";

const num = (name, fallback) => (Number(process.env[name]) > 0 ? Number(process.env[name]) : fallback);
export const HISTORY_ACCOUNTS = 10;
const CONVERSATIONS = num("BENCH_HISTORY_CONVERSATIONS", 100);
/** Messages in all at the two measuring points. */
const SMALL = 10_000;
const LARGE = num("BENCH_HISTORY_MESSAGES", 100_000);
const TARGET_SEARCH_P99_RATIO = 2;
/**
 * Requests in flight: a few, so the latencies are the requests' own rather than the queue in front
 * of them on this 2-core machine (at BENCH_CONCURRENCY's 32 every p99 is mostly waiting).
 */
export const HISTORY_CONCURRENCY = num("BENCH_HISTORY_CONCURRENCY", 4);

/** lib/http.mjs closedLoop at HISTORY_CONCURRENCY (without its CPU accounting). */
async function loop(stats, next, ms, { warmup = false } = {}) {
  let i = 0;
  const t0 = performance.now();
  const deadline = t0 + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const r = next(i++);
      const res = await request(loadAgent, r.method, r.path, r.headers, undefined, false);
      if (warmup) continue;
      stats.latencies.push(res.ms);
      if (succeeded(res)) stats.ok++;
      else countError(stats, res);
    }
  };
  await Promise.all(Array.from({ length: HISTORY_CONCURRENCY }, worker));
  if (!warmup) stats.elapsedMs += performance.now() - t0;
}

/** Creates the accounts and their listing rows; returns them with their conversation ids. */
async function setupAccounts() {
  const accounts = [];
  for (let a = 0; a < HISTORY_ACCOUNTS; a++) {
    const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: `history-${a}` }, 201);
    const { ids } = await must("POST", "/__bench/history/conversations", ADMIN_TOKEN, { account_id: account.id, count: CONVERSATIONS }, 201);
    accounts.push({ id: account.id, key: api_key.key, conversations: ids, perConversation: 0 });
  }
  return accounts;
}

/** Grows every account's history to `total / accounts` messages, spread over its conversations. */
async function growTo(accounts, total) {
  const t0 = performance.now();
  const per = Math.floor(total / accounts.length / CONVERSATIONS);
  for (const account of accounts) {
    // 10 conversations a request (up to 900 messages each step here).
    for (let c = 0; c < account.conversations.length; c += 10) {
      await must("POST", "/__bench/history/messages", ADMIN_TOKEN, {
        account_id: account.id,
        conversation_ids: account.conversations.slice(c, c + 10),
        from_index: account.perConversation,
        per_conversation: per - account.perConversation,
      }, 201);
    }
    account.perConversation = per;
  }
  log(`  history at ${per * CONVERSATIONS * accounts.length} messages (${fmt((performance.now() - t0) / 1000, 1)} s to seed)`);
}

/** Queries of several shapes, each asked of every account in turn. */
function queries(vocabulary) {
  return [
    { name: "common word", q: "order" },
    { name: "two words", q: "refund package" },
    { name: "phrase", q: '"tracking number"' },
    { name: "prefix", q: "deliv*" },
    { name: "rare word", q: vocabulary[vocabulary.length - 1500] },
    { name: "Swahili", q: "kifurushi" },
  ];
}

async function measure(accounts, vocabulary, label) {
  const qs = queries(vocabulary);
  const search = newStats(`search, ${label}`);
  const list = newStats(`list, ${label}`);
  const searchNext = (i) => {
    const account = accounts[i % accounts.length];
    const { q } = qs[Math.floor(i / accounts.length) % qs.length];
    return { method: "GET", path: `/v1/search/messages?q=${encodeURIComponent(q)}&limit=25`, headers: { authorization: `Bearer ${account.key}` } };
  };
  const listNext = (i) => ({ method: "GET", path: "/v1/conversations?limit=25", headers: { authorization: `Bearer ${accounts[i % accounts.length].key}` } });
  await loop(search, searchNext, WARMUP_MS / 2, { warmup: true });
  await loop(list, listNext, WARMUP_MS / 2, { warmup: true });
  for (let round = 1; round <= ROUNDS; round++) {
    log(`  ${label}: round ${round}/${ROUNDS}`);
    await loop(search, searchNext, SLICE_MS);
    await loop(list, listNext, SLICE_MS);
  }
  // Each query shape alone, once per account, to show which kind costs what.
  const shapes = [];
  for (const { name, q } of qs) {
    const one = newStats(name);
    await loop(one, (i) => ({ method: "GET", path: `/v1/search/messages?q=${encodeURIComponent(q)}&limit=25`, headers: { authorization: `Bearer ${accounts[i % accounts.length].key}` } }), SLICE_MS / 2);
    shapes.push(summarize(one));
  }
  return { search: summarize(search), list: summarize(list), shapes };
}

/** Seeds 10,000 messages, measures, grows to 100,000, measures again; returns the accounts for the export case. */
export async function runSearchCases() {
  log(`history: ${HISTORY_ACCOUNTS} accounts × ${CONVERSATIONS} conversations`);
  const accounts = await setupAccounts();
  const { vocabulary } = await must("GET", "/__bench/history/words", ADMIN_TOKEN, undefined, 200);
  await growTo(accounts, SMALL);
  const small = await measure(accounts, vocabulary, `${SMALL / 1000}k messages`);
  await growTo(accounts, LARGE);
  const large = await measure(accounts, vocabulary, `${LARGE / 1000}k messages`);
  return { accounts, small, large };
}

const row = (s) => `${s.name.padEnd(28)} ${String(s.requests).padStart(7)} ${fmt(s.rps, 0).padStart(7)} ${fmt(s.p50).padStart(8)} ${fmt(s.p99).padStart(8)} ${fmt(s.max).padStart(8)}  ${s.errors}`;

export function searchReport({ small, large }) {
  console.log(`\nSearch (issue 8), ${HISTORY_ACCOUNTS} accounts, queries rotating over accounts and shapes, ${HISTORY_CONCURRENCY} in flight:`);
  console.log(`${"case".padEnd(28)} ${"requests".padStart(7)} ${"req/s".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)}  errors`);
  for (const s of [small.search, small.list, large.search, large.list]) console.log(row(s));
  console.log(`by query shape at ${LARGE / 1000}k:`);
  for (const s of large.shapes) console.log(`  ${row(s)}`);
  const ratio = large.search.p99 / large.list.p99;
  console.log(`10k -> ${LARGE / 1000}k: search p50 ${fmt(small.search.p50)} -> ${fmt(large.search.p50)} ms, p99 ${fmt(small.search.p99)} -> ${fmt(large.search.p99)} ms; list p50 ${fmt(small.list.p50)} -> ${fmt(large.list.p50)} ms, p99 ${fmt(small.list.p99)} -> ${fmt(large.list.p99)} ms`);
  console.log(`search p99 / list p99 at ${LARGE / 1000}k: ${fmt(large.search.p99)} / ${fmt(large.list.p99)} ms = ${fmt(ratio, 2)}×   (target <= ${TARGET_SEARCH_P99_RATIO}×)  ${ratio <= TARGET_SEARCH_P99_RATIO ? "PASS" : "FAIL"}`);
}
