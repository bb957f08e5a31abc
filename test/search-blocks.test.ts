import { describe, expect, it } from "vitest";
import { LIMITS } from "../src/lib/limits";
import { call, env, newAccount } from "./helpers";

// A query matching more of an account's messages than LIMITS.searchRankedMatches is ranked a block
// at a time, newest block first (docs/architecture.md "Search"). History is written straight into D1,
// as the projection writes it (the search triggers index it), since a block is a thousand messages.

type Hit = { message: { id: string; body: string; channel: string }; rank: number };
type Page = { data: Hit[]; next_cursor: string | null };

const BLOCK = LIMITS.searchRankedMatches;

/** Messages i = 0, 1, … (oldest first) of one conversation, with these bodies and channels. */
async function history(accountId: string, messages: { body: string; channel: string }[], from = 0) {
  const conversation = `conv_blocks_${accountId}`;
  const now = Date.now();
  const rows = messages.map((m, k) => {
    const i = from + k;
    const id = `msg_blocks_${accountId}_${i}`;
    const resource = { id, conversation_id: conversation, index: i, author: "+14155550100", author_kind: "customer", body: m.body, channel: m.channel };
    return { id, index: i, body: m.body, created_at: now + i, resource: JSON.stringify(resource) };
  });
  const insert = env.DB.prepare(
    `INSERT INTO messages (id, account_id, conversation_id, idx, body, created_at, resource, version)
     SELECT value ->> '$.id', ?2, ?3, value ->> '$.index', value ->> '$.body', value ->> '$.created_at', value ->> '$.resource', 1 FROM json_each(?1)`,
  );
  const chunks = [];
  for (let i = 0; i < rows.length; i += 500) chunks.push(insert.bind(JSON.stringify(rows.slice(i, i + 500)), accountId, conversation));
  await env.DB.batch(chunks);
}

/** The index of a message from its id. */
const index = (h: Hit) => Number(h.message.id.split("_").at(-1));

async function search(key: string, query: string): Promise<Page> {
  const res = await call("GET", `/v1/search/messages?${query}`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as Page;
}

/** Every page of a query, from the first on; `between` runs after the first page. */
async function allPages(key: string, query: string, between?: () => Promise<void>): Promise<Page[]> {
  const pages = [await search(key, query)];
  if (between) await between();
  while (pages.at(-1)!.next_cursor !== null && pages.length < 100) pages.push(await search(key, `${query}&cursor=${encodeURIComponent(pages.at(-1)!.next_cursor!)}`));
  return pages;
}

/** Longer as i grows, up to 150 characters (each counts one hit), so that a ranking of every match would put the oldest first. */
const body = (i: number) => `refund ${"x".repeat(Math.floor((i * 140) / (2 * BLOCK + 300)))}`;

describe("GET /v1/search/messages over more matches than a block", () => {
  it("ranks the newest block first and pages on through the older blocks, every match once, in full pages", async () => {
    const { id, key } = await newAccount();
    // 2 blocks and 250 more; every other message on sms.
    const rest = 250;
    const total = 2 * BLOCK + rest;
    await history(id, Array.from({ length: total }, (_, i) => ({ body: body(i), channel: i % 2 === 0 ? "sms" : "chat" })));

    const pages = await allPages(key, "q=refund&limit=100");
    const hits = pages.flatMap((p) => p.data);
    // Full pages (a page may hold the end of one block and the start of the next), the last one short.
    expect(pages.map((p) => p.data.length)).toEqual([...Array<number>(Math.floor(total / 100)).fill(100), total % 100]);
    expect(new Set(hits.map(index)).size).toBe(total);
    // The newest BLOCK matches first, then the next BLOCK, then the oldest: each block ranked, best first.
    const blocks = [hits.slice(0, BLOCK), hits.slice(BLOCK, 2 * BLOCK), hits.slice(2 * BLOCK)];
    expect(blocks.map((b) => [Math.min(...b.map(index)), Math.max(...b.map(index))])).toEqual([
      [total - BLOCK, total - 1],
      [rest, total - BLOCK - 1],
      [0, rest - 1],
    ]);
    for (const b of blocks) for (let i = 1; i < b.length; i++) expect(b[i - 1]!.rank).toBeGreaterThanOrEqual(b[i]!.rank);
    // Within a block the shorter message ranks higher; an older, shorter message waits for its block.
    expect(blocks[0]![0]!.message.body.length).toBe(Math.min(...blocks[0]!.map((h) => h.message.body.length)));
    expect(blocks[2]![0]!.rank).toBeGreaterThan(blocks[0]![0]!.rank);

    // A block holds the matches the filters keep: the sms ones, a block of them, then the rest.
    const sms = (await allPages(key, "q=refund&limit=100&channel=sms")).flatMap((p) => p.data);
    expect(sms.length).toBe(total / 2);
    expect(sms.every((h) => h.message.channel === "sms")).toBe(true);
    expect(Math.min(...sms.slice(0, BLOCK).map(index))).toBe(total - 2 * BLOCK);
  });

  it("keeps a pagination's blocks where its first page found them while new matches arrive", async () => {
    const { id, key } = await newAccount();
    const total = BLOCK + 150;
    await history(id, Array.from({ length: total }, (_, i) => ({ body: body(i), channel: "sms" })));
    // After the first page, 50 new matches that would rank first (short ones); the pagination goes on
    // through the matches it started with, each once, and a new first page starts with the new ones.
    const pages = await allPages(key, "q=refund&limit=100", () => history(id, Array.from({ length: 50 }, () => ({ body: "refund", channel: "sms" })), total));
    const seen = pages.flatMap((p) => p.data).map(index);
    expect(seen.length).toBe(total);
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: total }, (_, i) => i)));
    const fresh = (await search(key, "q=refund&limit=50")).data.map(index);
    expect(new Set(fresh)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => total + i)));
  });
});
