import { describe, expect, it } from "vitest";
import { advanceExport } from "../src/export/consumer";
import { exportKey, type ExportStepJob } from "../src/export/job";
import { insertExport, loadExport } from "../src/export/store";
import { LIMITS } from "../src/lib/limits";
import { newId } from "../src/lib/ids";
import { signPathUrl } from "../src/media/signing";
import { call, env, errorPaths, newAccount, newConversation, problemOf, rawCall, send, settle, sleep } from "./helpers";

// POST /v1/exports: NDJSON written to R2 in bounded steps by the EXPORTS queue's consumer.

const BIG_BODY_CHARS = 30_000;
const BIG_MESSAGES = 200;

/**
 * An account with three conversations: a big open one (200 messages of 30,000 characters: over
 * 6 MB of NDJSON, so more than one 5 MiB part), a small open one, and a resolved one. Shared by the
 * tests of this file (storage is per file), made once.
 */
const seeded = (async () => {
  const account = await newAccount();
  const big = await newConversation(account.key, { friendly_name: "big", participants: [{ kind: "agent", identity: "ada" }] });
  for (let i = 0; i < BIG_MESSAGES; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => send(account.key, big.id, { body: `${i + k} ${"x".repeat(BIG_BODY_CHARS)}`, author: "ada" })));
  }
  const small = await newConversation(account.key, { friendly_name: "small" });
  // A few milliseconds apart, so a range can fall between them.
  for (const body of ["one", "two", "three"]) {
    await send(account.key, small.id, { body });
    await sleep(5);
  }
  const resolved = await newConversation(account.key, { friendly_name: "done" });
  await send(account.key, resolved.id, { body: "resolved already" });
  expect((await call("PATCH", `/v1/conversations/${resolved.id}`, { key: account.key, body: { status: "resolved" } })).status).toBe(200);
  await settle(big.id, small.id, resolved.id);
  return { ...account, big: big.id as string, small: small.id as string, resolved: resolved.id as string };
})();

async function waitForExport(key: string, id: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/v1/exports/${id}`, { key });
    expect(res.status).toBe(200);
    if (res.json.status === "completed" || res.json.status === "failed") return res.json;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${res.json.status}: ${JSON.stringify(res.json.progress)}`);
    await sleep(100);
  }
}

/** A signed URL of this deployment, fetched through the Worker. */
const fetchLink = (url: string) => {
  const u = new URL(url);
  return rawCall("GET", `${u.pathname}${u.search}`);
};

const parse = (text: string) => text.trimEnd().split("\n").map((l) => JSON.parse(l));

/** Conversation lines each followed by their messages, gapless from 0 when the whole history is in range. */
function runs(lines: any[]): { id: string; indexes: number[] }[] {
  const out: { id: string; indexes: number[] }[] = [];
  for (const line of lines) {
    if (line.type === "conversation") out.push({ id: line.conversation.id, indexes: [] });
    else {
      expect(line.type).toBe("message");
      expect(line.message.conversation_id).toBe(out.at(-1)!.id);
      out.at(-1)!.indexes.push(line.message.index);
    }
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("bulk export", () => {
  it("runs in the background with progress and completes with a signed link that downloads the NDJSON", { timeout: 240_000 }, async () => {
    const s = await seeded;
    const created = await call("POST", "/v1/exports", { key: s.key, body: { status: "open" } });
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    expect(created.json).toMatchObject({ status: "queued", filters: { status: "open" }, download_url: null, progress: { conversations: 0, messages: 0, bytes: 0 } });

    const done = await waitForExport(s.key, created.json.id);
    expect(done.status, done.error).toBe("completed");
    expect(done.progress).toMatchObject({ conversations: 2, messages: BIG_MESSAGES + 3 });
    expect(done.download_url).toMatch(new RegExp(`/exports/${created.json.id}\\?account=${s.id}&expires=\\d+&signature=`));

    const file = await fetchLink(done.download_url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/x-ndjson");
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${created.json.id}.ndjson"`);
    expect(new TextEncoder().encode(file.text).byteLength).toBe(done.progress.bytes);
    // Over one part: it went up as a multipart upload of equal parts.
    expect(done.progress.bytes).toBeGreaterThan(LIMITS.exportPartBytes);
    const row = await loadExport(env.DB, created.json.id);
    expect(JSON.parse(row!.parts).length).toBe(Math.ceil(done.progress.bytes / LIMITS.exportPartBytes));

    // Conversations in creation order, each followed by all of its messages in index order; the resolved one left out.
    const lines = parse(file.text);
    expect(runs(lines)).toEqual([
      { id: s.big, indexes: range(BIG_MESSAGES) },
      { id: s.small, indexes: range(3) },
    ]);
    const sample = lines.find((l) => l.type === "message" && l.message.index === 123);
    expect((await call("GET", `/v1/conversations/${s.big}/messages/${sample.message.id}`, { key: s.key })).json).toEqual(sample.message);
    // Under the account in R2.
    expect(await env.MEDIA.head(exportKey({ accountId: s.id, id: created.json.id }))).not.toBeNull();
  });

  it("takes messages in [from, to) and the listing's filters", { timeout: 120_000 }, async () => {
    const s = await seeded;
    const history = (await call("GET", `/v1/conversations/${s.small}/messages`, { key: s.key })).json.data;
    const created = await call("POST", "/v1/exports", { key: s.key, body: { from: history[1].created_at, to: history[2].created_at, created_after: new Date(Date.parse(history[0].created_at) - 60_000).toISOString() } });
    expect(created.status).toBe(202);
    const done = await waitForExport(s.key, created.json.id);
    const lines = parse((await fetchLink(done.download_url)).text);
    const small = runs(lines).find((r) => r.id === s.small);
    expect(small?.indexes).toEqual([1]);
    // The resolved conversation was created after `to`.
    expect(runs(lines).find((r) => r.id === s.resolved)).toBeUndefined();
    const tagged = await call("POST", "/v1/exports", { key: s.key, body: { tag: "no-such-tag" } });
    const none = await waitForExport(s.key, tagged.json.id);
    expect(none).toMatchObject({ status: "completed", progress: { conversations: 0, messages: 0, bytes: 0 } });
    expect((await fetchLink(none.download_url)).text).toBe("");
  });

  it("resumes from its recorded place after a step stops half-way, and the file is the same as one made in one go", { timeout: 240_000 }, async () => {
    const s = await seeded;
    const job = async () => {
      const now = Date.now();
      const id = newId("export");
      await insertExport(env.DB, { id, accountId: s.id, status: "queued", filters: "{}", rangeTo: now, createdAt: now, updatedAt: now });
      return id;
    };
    const whole = await job();
    const pieces = await job();
    const queued: ExportStepJob[] = [];
    const enqueue = async (next: ExportStepJob) => void queued.push(next);

    // In one go (no bound reached): one step.
    expect(await advanceExport(env, { account_id: s.id, export_id: whole, step: 0 }, { enqueue })).toEqual({ ack: true });
    expect(queued).toEqual([]);
    expect((await loadExport(env.DB, whole))?.status).toBe("completed");

    // In steps of at most 17 lines and 4 reads: each queues the next; step 3 stops after writing (its next cannot be queued), and is done again.
    const small = { sliceLines: 17, stepReads: 4, enqueue };
    let step = 0;
    let crashed = false;
    for (;;) {
      const before = await loadExport(env.DB, pieces);
      if (before!.status === "completed") break;
      expect(before!.step).toBe(step);
      if (step === 3 && !crashed) {
        crashed = true;
        await expect(advanceExport(env, { account_id: s.id, export_id: pieces, step }, { ...small, enqueue: async () => Promise.reject(new Error("killed")) })).rejects.toThrow("killed");
        const after = await loadExport(env.DB, pieces);
        // Nothing recorded, and the step is free to be taken again at once.
        expect(after).toMatchObject({ step: 3, leaseUntil: null, cursor: before!.cursor, messagesDone: before!.messagesDone });
        continue;
      }
      expect(await advanceExport(env, { account_id: s.id, export_id: pieces, step }, small)).toEqual({ ack: true });
      // A copy of a step already recorded changes nothing.
      if (step === 5) expect(await advanceExport(env, { account_id: s.id, export_id: pieces, step }, small)).toEqual({ ack: true });
      step++;
      const progress = await loadExport(env.DB, pieces);
      expect(progress!.step).toBe(step);
      expect(progress!.conversationsDone + progress!.messagesDone).toBeLessThanOrEqual(17 * step);
    }
    expect(step).toBeGreaterThan(10);
    // Every step but the last queued the next one (the one that stopped did not get to).
    expect(queued.map((q) => q.step)).toEqual(range(step).slice(1));

    const a = await env.MEDIA.get(exportKey({ accountId: s.id, id: whole }));
    const b = await env.MEDIA.get(exportKey({ accountId: s.id, id: pieces }));
    const [textA, textB] = [await a!.text(), await b!.text()];
    expect(textB.length).toBe(textA.length);
    expect(textB === textA).toBe(true);
    expect(JSON.parse((await loadExport(env.DB, pieces))!.parts).length).toBeGreaterThan(1);
    // The staged tails are gone.
    const staged = await env.MEDIA.list({ prefix: `exports/${s.id}/${pieces}.tail/` });
    expect(staged.objects).toEqual([]);
  });

  it("carries a deleted message as its tombstone", { timeout: 120_000 }, async () => {
    const s = await seeded;
    const conv = await newConversation(s.key, { friendly_name: "with a tombstone" });
    const sent = [];
    for (const body of ["keep", "delete me", "keep too"]) sent.push(await send(s.key, conv.id, { body }));
    expect((await call("DELETE", `/v1/conversations/${conv.id}/messages/${sent[1].id}`, { key: s.key })).status).toBe(200);
    await settle(conv.id);
    const created = await call("POST", "/v1/exports", { key: s.key, body: { created_after: new Date(Date.now() - 60_000).toISOString() } });
    const done = await waitForExport(s.key, created.json.id);
    const lines = parse((await fetchLink(done.download_url)).text).filter((l) => l.type === "message" && l.message.conversation_id === conv.id);
    expect(lines.map((l) => l.message.index)).toEqual([0, 1, 2]);
    expect(lines[1].message).toMatchObject({ id: sent[1].id, body: "", deleted_at: expect.any(String) });
  });

  it("refuses a tampered or expired link", { timeout: 120_000 }, async () => {
    const s = await seeded;
    const created = await call("POST", "/v1/exports", { key: s.key, body: { status: "resolved" } });
    const done = await waitForExport(s.key, created.json.id);
    const url = new URL(done.download_url);
    expect((await fetchLink(url.toString())).status).toBe(200);
    const other = await newAccount();
    const tampered = [
      ["signature", url.searchParams.get("signature")!.replace(/^./, (ch) => (ch === "A" ? "B" : "A"))],
      ["account", other.id],
      ["expires", String(Number(url.searchParams.get("expires")) + 3600)],
    ] as const;
    for (const [name, value] of tampered) {
      const u = new URL(url);
      u.searchParams.set(name, value);
      const p = problemOf(await fetchLink(u.toString()), 403);
      expect(errorPaths(p)).toEqual(["query.signature"]);
    }
    // Another export's id under this signature.
    problemOf(await fetchLink(url.toString().replace(created.json.id, newId("export"))), 403);

    // A link that expires in a second: refused once it has.
    const short = await signPathUrl(env, `/exports/${created.json.id}`, s.id, 1, "http://parley.test/");
    const deadline = Date.now() + 10_000;
    let res = await fetchLink(short.url);
    while (res.status === 200 && Date.now() < deadline) {
      await sleep(200);
      res = await fetchLink(short.url);
    }
    expect(problemOf(res, 403).detail).toMatch(/expired/);
  });

  it("keeps each account's exports to itself", { timeout: 120_000 }, async () => {
    const s = await seeded;
    const created = await call("POST", "/v1/exports", { key: s.key, body: {} });
    const other = await newAccount();
    problemOf(await call("GET", `/v1/exports/${created.json.id}`, { key: other.key }), 404);
    problemOf(await call("GET", `/v1/exports/not-an-id`, { key: other.key }), 404);
    expect((await call("GET", "/v1/exports", { key: other.key })).json).toEqual({ data: [], next_cursor: null });
    // The other account's export, of everything, holds nothing of this one's.
    const theirs = await call("POST", "/v1/exports", { key: other.key, body: {} });
    const done = await waitForExport(other.key, theirs.json.id);
    expect(done.progress).toEqual({ conversations: 0, messages: 0, bytes: 0 });
    // The owner lists its own, newest first, a page at a time.
    const first = await call("GET", "/v1/exports?limit=2", { key: s.key });
    expect(first.json.data[0].id).toBe(created.json.id);
    expect(first.json.data.length).toBe(2);
    const next = await call("GET", `/v1/exports?limit=2&cursor=${first.json.next_cursor}`, { key: s.key });
    expect(next.json.data.every((e: { id: string }) => e.id < first.json.data[1].id)).toBe(true);
    expect((await call("GET", "/v1/exports")).status).toBe(401);
  });

  it("bad filters are a 422 naming the field, and create nothing", async () => {
    const { key } = await newAccount();
    const cases: [Record<string, unknown>, string][] = [
      [{ status: "bogus" }, "body.status"],
      [{ channel: "pigeon" }, "body.channel"],
      [{ from: "yesterday" }, "body.from"],
      [{ created_after: "2026-13-01" }, "body.created_after"],
      [{ from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" }, "body.to"],
      [{ tag: "" }, "body.tag"],
    ];
    for (const [body, path] of cases) {
      const p = problemOf(await call("POST", "/v1/exports", { key, body }), 422);
      expect(errorPaths(p), JSON.stringify(body)).toContain(path);
    }
    expect(problemOf(await call("POST", "/v1/exports", { key, body: { colour: "blue" } }), 422).detail).toMatch(/colour/);
    expect(errorPaths(problemOf(await call("POST", "/v1/exports", { key, body: { contact_id: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T" } }), 404))).toEqual(["body.contact_id"]);
    expect((await call("GET", "/v1/exports", { key })).json.data).toEqual([]);
  });
});
