// Routing (issue 9, BENCH_ROUTING_ONLY=1): the latency of a routing decision with 200 agents, on
// an account of its own, beside a plain round trip to the same RoutingDO in the same run.
// - 200 agents with varied skills (1-3 of 8 topics), languages (1-2 of 5) and capacity (1-8 seats,
//   ~900 in all), each online: holding its presence socket (GET /v1/agents/{identity}/stream).
// - route: POST /v1/conversations/{id}/route with a topic, a language and a priority drawn at
//   random, one per conversation, closed loop at ROUTING_CONCURRENCY. The Worker reads the
//   conversation (its DO), the account's RoutingDO decides (candidates by SQL over the 200 agents,
//   presence from their sockets) and, when assigned, adds the agent as a participant (a call to the
//   conversation's DO) before it answers. Reported apart: assigned (decision + participant add)
//   and queued (decision alone: nobody fits, or every fitting seat is taken, which later rounds
//   reach as the seats fill).
// - baseline: GET /v1/conversations/{id}/route of each conversation right after its route, by the
//   same worker: the same Worker, auth and RPC to the same RoutingDO, reading one row.
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, ROUNDS, fmt, log } from "../lib/config.mjs";
import { jsonHeaders, must, request, sideAgent, target } from "../lib/http.mjs";
import { latencySummary } from "../lib/stats.mjs";

const num = (name, fallback) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

const AGENTS = num("BENCH_ROUTING_AGENTS", 200);
const CONVERSATIONS = num("BENCH_ROUTING_CONVERSATIONS", 1200);
const CONCURRENCY = num("BENCH_ROUTING_CONCURRENCY", 8);
const TOPICS = ["billing", "shipping", "returns", "technical", "accounts", "sales", "refunds", "general"];
const LANGUAGES = ["en", "es", "fr", "de", "pt"];
const PRIORITIES = ["low", "normal", "high", "urgent"];

/** A deterministic spread, so runs are comparable. */
function agentBody(i) {
  const skills = [...new Set([TOPICS[i % 8], TOPICS[(i * 3 + 1) % 8], ...(i % 3 === 0 ? [TOPICS[(i * 5 + 2) % 8]] : [])])];
  const languages = [...new Set([LANGUAGES[i % 5], ...(i % 2 === 0 ? [LANGUAGES[(i + 2) % 5]] : [])])];
  return { identity: `bench-agent-${i}`, skills, languages, capacity: 1 + (i % 8) };
}

async function parallel(n, limit, fn) {
  let next = 0;
  const out = new Array(n);
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) {
      const k = next++;
      out[k] = await fn(k);
    }
  }));
  return out;
}

function openAgentSocket(key, identity) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${target.host}:${target.port}/v1/agents/${identity}/stream?token=${key}`);
    const timer = setTimeout(() => reject(new Error(`no ready from ${identity}`)), 15_000);
    ws.onmessage = (event) => {
      if (!String(event.data).includes('"ready"')) return;
      clearTimeout(timer);
      resolve(ws);
    };
    ws.onerror = () => reject(new Error(`socket for ${identity} failed`));
  });
}

/**
 * For k in [from, to), from CONCURRENCY workers, each request of `pair(k)` in turn (the route, then
 * the baseline's GET of the same conversation), so both see the same moment of a noisy machine;
 * the latencies by the outcome `classify` gives.
 */
async function slice(from, to, pair, classify) {
  const by = new Map();
  let next = from;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < to) {
      for (const r of pair(next++)) {
        const res = await request(sideAgent, r.method, r.path, r.headers, r.body);
        const kind = classify(r, res);
        if (!by.has(kind)) by.set(kind, []);
        by.get(kind).push(res.ms);
      }
    }
  }));
  return by;
}

export async function runRoutingCases() {
  const { api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench-routing" }, 201);
  const key = api_key.key;
  log(`routing: ${AGENTS} agents, ${CONVERSATIONS} conversations`);
  await parallel(AGENTS, 8, (i) => must("POST", "/v1/agents", key, agentBody(i), 201));
  const ids = await parallel(CONVERSATIONS, 8, async () => (await must("POST", "/v1/conversations", key, {}, 201)).id);
  const sockets = await parallel(AGENTS, 16, (i) => openAgentSocket(key, `bench-agent-${i}`));
  // As a console does: a socket silent for 90 s no longer counts as online.
  const pinger = setInterval(() => sockets.forEach((ws) => ws.send("ping")), 20_000);
  const seats = Array.from({ length: AGENTS }, (_, i) => agentBody(i).capacity).reduce((a, b) => a + b, 0);
  log(`routing: ${sockets.length} agents online with ${seats} seats; ${ids.length} conversations`);

  let seed = 7;
  // The high bits of the LCG: its low bits cycle (seed % n drew only 11 of the 40 topic-language pairs).
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor((seed / 2147483648) * n));
  const routeReq = (k) => {
    const body = JSON.stringify({ topic: TOPICS[rand(8)], language: LANGUAGES[rand(5)], priority: PRIORITIES[rand(4)] });
    return { method: "POST", path: `/v1/conversations/${ids[k]}/route`, headers: jsonHeaders(key, body), body };
  };
  const getReq = (k) => ({ method: "GET", path: `/v1/conversations/${ids[k]}/route`, headers: { authorization: `Bearer ${key}` } });
  const outcome = (r, res) => {
    if (r.method === "GET") return res.status === 200 ? "baseline" : `baseline error ${res.status}`;
    return res.status === 201 ? JSON.parse(res.body).status : `error ${res.status}`;
  };

  const all = new Map();
  const add = (m) => {
    for (const [kind, values] of m) all.set(kind, (all.get(kind) ?? []).concat(values));
  };
  const per = Math.ceil(ids.length / ROUNDS);
  const started = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    const [from, to] = [r * per, Math.min(ids.length, (r + 1) * per)];
    add(await slice(from, to, (k) => [routeReq(k), getReq(k)], outcome));
  }
  log(`routing: done in ${fmt((performance.now() - started) / 1000)} s`);
  // Capacity is never exceeded: every agent's load against its capacity, and the seats taken in all.
  let overCapacity = 0;
  let taken = 0;
  for (let cursor = null, first = true; first || cursor; first = false) {
    const page = await must("GET", `/v1/agents?limit=100${cursor ? `&cursor=${cursor}` : ""}`, key, undefined, 200);
    overCapacity += page.data.filter((a) => a.load > a.capacity).length;
    taken += page.data.reduce((n, a) => n + a.load, 0);
    cursor = page.next_cursor;
  }
  clearInterval(pinger);
  for (const ws of sockets) ws.close();
  return { all, seats, taken, overCapacity };
}

export function routingReport({ all, seats, taken, overCapacity }) {
  console.log("");
  console.log(`Routing (issue 9): ${AGENTS} agents online (${seats} seats; varied skills, languages, capacity), POST /v1/conversations/{id}/route`);
  console.log(`with a random topic, language and priority, ${CONCURRENCY} at a time, each followed by the baseline (a GET of the same routing), ${ROUNDS} slices\n`);
  const line = (label, values) => {
    const s = latencySummary(values ?? []);
    console.log(`  ${label.padEnd(44)} n ${String(values?.length ?? 0).padStart(5)}   p50 ${fmt(s.p50)} ms   p99 ${fmt(s.p99)} ms   max ${fmt(s.max)} ms`);
    return s;
  };
  const base = line("baseline: GET …/route (same RoutingDO RPC)", all.get("baseline"));
  const assigned = line("route -> assigned (decision + participant add)", all.get("assigned"));
  const queued = line("route -> queued (decision alone)", all.get("queued"));
  for (const [kind, values] of all) if (kind.includes("error")) console.log(`  ${kind}: ${values.length}`);
  console.log(`  p50 over baseline: assigned ${fmt(assigned.p50 / base.p50, 2)}×, queued ${fmt(queued.p50 / base.p50, 2)}×; after the run ${taken} of ${seats} seats taken, agents over capacity: ${overCapacity}`);
}
