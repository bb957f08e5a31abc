// The listing cases: GET /v1/conversations over SEED_ROWS synthetic rows seeded straight into D1
// (plain, by status, by a tag one row in three has, by a tag no row has).
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, SEED_ROWS, SLICE_MS, WARMUP_MS, fmt, log } from "../lib/config.mjs";
import { closedLoop, must } from "../lib/http.mjs";
import { newStats } from "../lib/stats.mjs";

/** Seeds the rows, then runs the listing cases in interleaved slices; returns their stats by id. */
export async function runListCases({ accountId, key }) {
  log(`seeding ${SEED_ROWS} conversation rows into D1`);
  const seedStart = performance.now();
  for (let start = 0; start < SEED_ROWS; start += 1000) {
    await must("POST", "/__bench/seed", ADMIN_TOKEN, { account_id: accountId, start, count: Math.min(1000, SEED_ROWS - start) }, 201);
  }
  log(`  seeded in ${fmt((performance.now() - seedStart) / 1000, 1)} s`);

  const list = (query) => () => ({ method: "GET", path: `/v1/conversations?${query}`, headers: { authorization: `Bearer ${key}` } });
  const listCases = [
    { id: "list", name: `(d) list, ${SEED_ROWS} rows in D1`, next: list("limit=25") },
    { id: "listStatus", name: "(d-status) list ?status=open", next: list("status=open&limit=25") },
    { id: "listTag", name: "(d-tag) list ?tag=vip (1 row in 3)", next: list("tag=vip&limit=25") },
    { id: "listNoTag", name: "(d-tag-none) list ?tag=<no row has it>", next: list("tag=nosuchtag&limit=25") },
  ];
  const S = Object.fromEntries(listCases.map((c) => [c.id, newStats(c.name)]));
  const firstPage = await must("GET", "/v1/conversations?limit=25", key, undefined, 200);
  if (firstPage.data.length !== 25) log(`  warning: the first page has ${firstPage.data.length} rows`);
  for (const c of listCases) await closedLoop(S[c.id], c.next, WARMUP_MS / 2, { warmup: true });
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ${listCases.map((c) => c.name.split(" ")[0]).join(" ")}`);
    for (const c of listCases) await closedLoop(S[c.id], c.next, SLICE_MS);
  }
  return S;
}
