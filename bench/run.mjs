// `npm run bench`: starts Parley locally (`wrangler dev` on a one-off bundle of bench/worker.ts,
// which is the real Worker plus the bench-only routes and Durable Objects), drives it with a
// closed-loop HTTP load generator and prints, per case, throughput, p50/p99 latency and errors;
// then the send path against the one-row Durable Object ceiling measured in the same run, where
// the send's cost goes, how many D1 batches the projection took, how long a sent message takes to
// reach D1, and the WebSocket fan-out.
//
// The machine is shared, so each case runs as several slices interleaved with the others (a noisy
// neighbour then hits the ceiling and the send path alike), and the table shows the CPU the
// server spent per request (from /proc), which noise moves much less than throughput.
//
//   lib/config.mjs    knobs, targets, log      cases/send.mjs  (a)…(c): sends and their ceilings
//   lib/http.mjs      requests, load generator cases/lag.mjs   D1 lag, 1 and 100 conversations
//   lib/cpu.mjs       /proc CPU accounting     cases/list.mjs  (d): listings over seeded D1 rows
//   lib/stats.mjs     quantile, case summaries report.mjs      the table and the targets
//   lib/d1.mjs        D1 and projection probes fanout.mjs      WebSocket fan-out
//   lib/server.mjs    bundle, start, config drift check
//   lib/channels.mjs     Twilio signing, signed webhooks, the agent's socket, the fixed-rate driver
//   lib/fake-twilio.mjs  the fake Twilio Messages API the outbound case delivers to
//   cases/inbound.mjs    webhook -> frame latency against a REST send's; webhooks/s, 1 and 100 conversations
//   cases/outbound.mjs   agent send -> provider request latency, through the DELIVERY queue
//   lib/sockets.mjs      receiving sockets and message.send senders for the socket-send cases
//   cases/socket-send.mjs  message.send fan-out (N = 1, 50, 500), a 160-message burst, frame bytes,
//                          against bench/worker.ts SocketCeilingDO; REST fan-out N = 50 (fanout.mjs)
//   lib/webhook-receiver.mjs  webhook endpoints in this process (signatures checked; one that hangs)
//   cases/webhooks.mjs   send -> webhook latency; events/s to 10 endpoints; a healthy endpoint beside a hanging one
//   lib/fake-graph.mjs   a fake Graph API (WhatsApp Cloud API sends): refuses (400, 131026) or accepts, per phone_number_id
//   lib/whatsapp.mjs     X-Hub-Signature-256, signed inbound WhatsApp messages, the fallback accounts
//   cases/fallback.mjs   fallback when WhatsApp refuses / times out (send -> SMS request); delivery
//                        consumer throughput beside the plain queue round trip; provider requests per message
//
// Then the channel cases, on an account of their own with an SMS channel on Twilio whose API
// base_url is a fake Twilio in this process: signed inbound webhooks (X-Twilio-Signature) to a
// WebSocket frame against a REST send's, at a fixed rate; webhooks/s into 1 and 100
// conversations, closed loop; an agent's send through the DELIVERY queue to the provider request.
// Then the REST fan-out, the socket-send cases (message.send frames from a participant's socket,
// against a bare ceiling Durable Object; issue 10's targets) and, last, the webhook cases (issue
// 12; no targets), each group on an account of its own; then the delivery fallback cases (issue 11).
//
// Knobs (environment): BENCH_CONCURRENCY (32), BENCH_SLICE_MS (2000: one timed slice of a case),
// BENCH_ROUNDS (4 slices per case), BENCH_WARMUP_MS (1500), BENCH_LAG_RATE (100 sends/s),
// BENCH_LAG_MS (6000), BENCH_SEED (10000 rows), BENCH_LIVE=1 (serve bench/wrangler.toml itself,
// rebuilding on source changes, instead of a bundle made at the start), BENCH_FANOUT_MESSAGES
// (100), BENCH_SUSTAIN_MS (5000), BENCH_SENDS_ONLY=1 (skip the listings, the channel cases and the
// fan-out), BENCH_CHANNELS_ONLY=1 (the channel cases alone), BENCH_INBOUND_RATE (200 webhooks/s, and
// as many REST sends/s, for the frame latency), BENCH_OUTBOUND_RATE (50 sends/s) over
// BENCH_OUTBOUND_CONVERSATIONS (100). The channel cases use BENCH_SLICE_MS, BENCH_ROUNDS,
// BENCH_WARMUP_MS and BENCH_CONCURRENCY too. BENCH_SOCKET_ONLY=1 (the socket-send cases alone),
// BENCH_SOCKET_MESSAGES (BENCH_FANOUT_MESSAGES: messages per socket fan-out size),
// BENCH_BURST_ROUNDS (8 bursts each, after a warm-up one); BENCH_WEBHOOKS_ONLY=1 (the webhook
// cases alone), BENCH_WEBHOOK_RATE (20 sends/s for the latency; BENCH_ROUNDS × BENCH_SLICE_MS),
// BENCH_WEBHOOK_SENDS (400, to 10 endpoints) at BENCH_WEBHOOK_CONCURRENCY (4), BENCH_WEBHOOK_FAIL_RATE
// (5 sends/s) for BENCH_WEBHOOK_FAIL_MS (6000) alone and beside the hanging endpoint;
// BENCH_FALLBACK_ONLY=1 (the delivery fallback cases alone), BENCH_FALLBACK_RATE (20 sends/s per
// fallback case, and one-job queue round trips/s; BENCH_ROUNDS × BENCH_SLICE_MS after BENCH_WARMUP_MS)
// over BENCH_FALLBACK_CONVERSATIONS (50 per case), BENCH_FALLBACK_TIMEOUT (2 s: the timed-out case's
// delivery_timeouts.whatsapp), BENCH_DELIVERY_SENDS (400 per throughput round, and as many plain
// queue jobs) at BENCH_DELIVERY_CONCURRENCY (16), BENCH_DELIVERY_ROUNDS (2); BENCH_ROUTING_ONLY=1 (the
// routing case alone), BENCH_ROUTING_AGENTS (200), BENCH_ROUTING_CONVERSATIONS (1200) at
// BENCH_ROUTING_CONCURRENCY (8), in BENCH_ROUNDS slices; BENCH_HISTORY_ONLY=1 (the search and export
// cases alone: cases/search.mjs, cases/export.mjs), BENCH_HISTORY_MESSAGES (100000),
// BENCH_HISTORY_CONVERSATIONS (100 per account), BENCH_EXPORT_MESSAGES (10000); BENCH_SDK_ONLY=1
// (the SDK's overhead against raw fetch alone: cases/sdk.mjs); BENCH_CONSOLE_ONLY=1 (the console's
// send -> page latency in Chromium alone: cases/console.mjs), BENCH_CONSOLE_MESSAGES (200),
// BENCH_CONSOLE_GAP_MS (50); BENCH_AI_ONLY=1 (AI drafts alone: cases/drafts.mjs), BENCH_DRAFT_RATE
// (10 customer messages/s) over BENCH_DRAFT_CONVERSATIONS (20 per side). The *_ONLY knobs combine.
// Exits 0 whatever the numbers (it is a report); non-zero if the server cannot be started or a
// setup call fails.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Wrangler needs Node 22+; `npm run bench` runs on the pinned node@22, a bare `node bench/run.mjs`
// on an older node hands over to it.
if (Number(process.versions.node.split(".")[0]) < 22) {
  const pinned = join(fileURLToPath(import.meta.url), "..", "..", "node_modules", "node", "bin", "node");
  if (!existsSync(pinned)) {
    console.error(`the bench needs Node 22+ (this is ${process.version}); run \`npm install\`, then \`npm run bench\``);
    process.exit(1);
  }
  const run = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}

const { cpus, loadavg } = await import("node:os");
const { ADMIN_TOKEN, CONCURRENCY, ROUNDS, SLICE_MS, WARMUP_MS, log } = await import("./lib/config.mjs");
const { must } = await import("./lib/http.mjs");
const { withServer } = await import("./lib/server.mjs");
const { runSendCases } = await import("./cases/send.mjs");
const { runLag } = await import("./cases/lag.mjs");
const { runListCases } = await import("./cases/list.mjs");
const { runInboundCases } = await import("./cases/inbound.mjs");
const { runOutboundCase } = await import("./cases/outbound.mjs");
const { setupChannels } = await import("./lib/channels.mjs");
const { channelsReport, fallbackReport, report, socketReport, webhooksReport } = await import("./report.mjs");
const { runFanout } = await import("./fanout.mjs");
const { runSocketSendCases } = await import("./cases/socket-send.mjs");
const { runWebhookCases } = await import("./cases/webhooks.mjs");
const { runFallbackCases } = await import("./cases/fallback.mjs");
const { routingReport, runRoutingCases } = await import("./cases/routing.mjs");
const { runSearchCases, searchReport } = await import("./cases/search.mjs");
const { runExportCases, exportReport } = await import("./cases/export.mjs");
const { runSdkCases, sdkReport } = await import("./cases/sdk.mjs");
const { runDraftCases, draftReport } = await import("./cases/drafts.mjs");
const { consoleReport, runConsoleCase } = await import("./cases/console.mjs");

log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
log(`concurrency ${CONCURRENCY}, ${ROUNDS} × ${SLICE_MS / 1000} s per case after ${WARMUP_MS / 1000} s warm-up`);

// BENCH_SENDS_ONLY=1: the send cases and the lag only, for quick comparisons while working;
// BENCH_CHANNELS_ONLY=1: the channel cases only; BENCH_SOCKET_ONLY=1: the socket-send cases only;
// BENCH_WEBHOOKS_ONLY=1: the webhook cases only; BENCH_FALLBACK_ONLY=1: the delivery fallback
// cases only. They combine (two knobs run both groups); the
// listings and the REST fan-out run only in a full run.
const only = {
  sends: Boolean(process.env.BENCH_SENDS_ONLY),
  channels: Boolean(process.env.BENCH_CHANNELS_ONLY),
  socket: Boolean(process.env.BENCH_SOCKET_ONLY),
  webhooks: Boolean(process.env.BENCH_WEBHOOKS_ONLY),
  fallback: Boolean(process.env.BENCH_FALLBACK_ONLY),
  routing: Boolean(process.env.BENCH_ROUTING_ONLY),
  history: Boolean(process.env.BENCH_HISTORY_ONLY),
  sdk: Boolean(process.env.BENCH_SDK_ONLY),
  ai: Boolean(process.env.BENCH_AI_ONLY),
  console: Boolean(process.env.BENCH_CONSOLE_ONLY),
};
const full = !Object.values(only).some(Boolean);
const runs = (group) => full || only[group];

await withServer(async (server) => {
  const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name: "bench" }, 201);
  const tenant = { accountId: account.id, key: api_key.key };
  if (runs("sends")) {
    const sends = await runSendCases(tenant);
    const lag = await runLag({ one: sends.one, many: sends.many, key: tenant.key });
    const lists = full ? await runListCases(tenant) : {};
    report({ ...sends.S, ...lists }, { ...sends, lag });
  }
  if (runs("channels")) {
    const channels = await setupChannels();
    try {
      const inbound = await runInboundCases(channels);
      const outbound = await runOutboundCase(channels);
      channelsReport({ inbound, outbound });
    } finally {
      await channels.close();
    }
  }
  const fanout = full ? await runFanout({ base: server.url, adminToken: ADMIN_TOKEN, apiKey: tenant.key, log }) : null;
  if (runs("socket")) socketReport(await runSocketSendCases({ base: server.url, restRows: fanout?.rows }));
  // Last: the hanging endpoint's jobs keep the webhook consumer busy for a while after it.
  if (runs("webhooks")) webhooksReport(await runWebhookCases());
  // After the webhooks: the hanging endpoint's jobs are on WEBHOOKS and WEBHOOKS_SLOW, not DELIVERY.
  if (runs("fallback")) fallbackReport(await runFallbackCases());
  // Routing decisions with 200 agents online (cases/routing.mjs), on an account of its own.
  if (runs("routing")) routingReport(await runRoutingCases());
  // The SDK's overhead per call against raw fetch (issue 13; cases/sdk.mjs), before the history's seeding.
  if (runs("sdk")) sdkReport(await runSdkCases());
  // AI drafts with the offline engine beside the plain inbound path (issue 9; cases/drafts.mjs), on an account of its own.
  if (runs("ai")) draftReport(await runDraftCases());
  // The agent console in Chromium (issue 13; cases/console.mjs), on a wrangler dev of its own with the static assets.
  if (runs("console")) consoleReport(await runConsoleCase());
  // Last: its 100,000 seeded messages would weigh on every case after it (issue 8; cases/search.mjs, cases/export.mjs).
  if (runs("history")) {
    const search = await runSearchCases();
    searchReport(search);
    exportReport(await runExportCases(search));
  }
});
