/**
 * Bench-only seeding for the history cases (bench/cases/search.mjs, bench/cases/export.mjs):
 * message history written straight into D1 (the search triggers index it as the projection's
 * writes would), and a ConversationDO that can append many messages through the send path in one
 * transaction, for the streamed export. Wired in bench/worker.ts.
 */
import { insertMessage } from "../src/conversation/commands/messages";
import { ConversationDO as ParleyConversationDO } from "../src/conversation/conversation-do";
import type { ConversationCore } from "../src/conversation/core";
import { renderMessage, type MessageRow } from "../src/conversation/rows";
import { newId } from "../src/lib/ids";
import { ok, type Outcome } from "../src/lib/problem";

/** A small deterministic PRNG (mulberry32), so every run seeds the same text. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Support-chat words, most frequent first; then a long tail of made-up words, as real vocabularies have. */
const COMMON = (
  "the my order is you to and please thanks for it hi delivery refund package can not we have tracking number " +
  "when where was help account payment still waiting this that with will your card address shipping return today " +
  "arrived received item damaged missing late cancel change update password login email phone call support agent " +
  "customer hello yes no week tomorrow price discount coupon size colour store invoice status problem issue question " +
  "urgent sorry great perfect okay again box courier driver door weekend morning evening receipt charge twice bank"
).split(" ");
const SYLLABLES = ["ka", "lo", "mi", "ra", "te", "vo", "zu", "ne", "shi", "po", "gra", "ten", "vel", "dor", "quin", "bex"];
const TAIL = Array.from({ length: 3000 }, (_, i) => {
  const r = prng(i + 7);
  return Array.from({ length: 2 + Math.floor(r() * 3) }, () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]).join("") + (i % 10);
});
export const VOCABULARY = [...COMMON, ...TAIL];
const SWAHILI = "habari asante tafadhali kifurushi agizo malipo kesho leo rafiki karibu bado sijapokea".split(" ");
const CJK = ["包裹已经到了吗", "我想退款", "订单号是多少", "谢谢你的帮助", "配送延迟了"];

/** Zipf's law over the vocabulary: rank r drawn with weight 1/(r+1). */
const CUMULATIVE = (() => {
  let sum = 0;
  return VOCABULARY.map((_, r) => (sum += 1 / (r + 1)));
})();
function word(r: () => number): string {
  const x = r() * CUMULATIVE[CUMULATIVE.length - 1]!;
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return VOCABULARY[lo]!;
}

/** A message's text: 4 to 30 words; one in twenty partly Swahili, one in fifty with Chinese. */
export function messageText(seed: number): string {
  const r = prng(seed);
  const words = Array.from({ length: 4 + Math.floor(r() * 27) }, () => word(r));
  const roll = r();
  if (roll < 0.05) words.splice(1, 0, SWAHILI[Math.floor(r() * SWAHILI.length)]!, SWAHILI[Math.floor(r() * SWAHILI.length)]!);
  else if (roll < 0.07) words.push(CJK[Math.floor(r() * CJK.length)]!);
  return words.join(" ");
}

const CHANNELS = ["sms", "whatsapp", "email", "chat", "messenger"] as const;
const KINDS = ["customer", "agent", "customer", "bot"] as const;

/**
 * Messages [fromIndex, fromIndex + perConversation) of each conversation, as the projection writes
 * them (the Message resource as JSON, version 1), in one set-based INSERT per chunk so the search
 * triggers run per row. Times spread over the last 90 days, increasing with the index.
 */
export async function seedHistory(db: D1Database, accountId: string, conversationIds: string[], fromIndex: number, perConversation: number): Promise<number> {
  const now = Date.now();
  const rows: { id: string; conversation_id: string; index: number; body: string; created_at: number; resource: string }[] = [];
  conversationIds.forEach((conversationId, c) => {
    for (let index = fromIndex; index < fromIndex + perConversation; index++) {
      const createdAt = now - 90 * 86_400_000 + index * 600_000 + c * 1000;
      const kind = KINDS[index % KINDS.length]!;
      // Asserted, not annotated: the row's columns grow with the schema (deleted_at, for tombstones), and a seeded message is never one.
      const row = {
        idx: index,
        id: newId("message"),
        author: kind === "customer" ? "+14155550100" : kind === "agent" ? "ada" : "helper-bot",
        author_kind: kind,
        participant_id: null,
        body: messageText(c * 1_000_003 + index),
        media: "[]",
        channel: CHANNELS[c % CHANNELS.length]!,
        attributes: "{}",
        delivery: null,
        created_at: createdAt,
        updated_at: createdAt,
        deleted_at: null,
      } as MessageRow;
      rows.push({ id: row.id, conversation_id: conversationId, index, body: row.body, created_at: createdAt, resource: JSON.stringify(renderMessage(conversationId, row)) });
    }
  });
  // Chunks well under D1's 2 MB bound parameter.
  const statements = [];
  for (let i = 0; i < rows.length; i += 1000) {
    statements.push(
      db
        .prepare(
          `INSERT INTO messages (id, account_id, conversation_id, idx, body, created_at, resource, version)
           SELECT value ->> '$.id', ?2, value ->> '$.conversation_id', value ->> '$.index', value ->> '$.body', value ->> '$.created_at', value ->> '$.resource', 1
           FROM json_each(?1)`,
        )
        .bind(JSON.stringify(rows.slice(i, i + 1000)), accountId),
    );
  }
  if (statements.length > 0) await db.batch(statements);
  return rows.length;
}

/**
 * The real ConversationDO, plus one bench-only RPC: `benchAppend` stores `count` messages through
 * the send path (`insertMessage`: author, index, outbox rows), a thousand to a transaction, so the
 * streamed export has a long conversation without 10,000 HTTP sends. Its outbox is left in manual
 * mode: the bench measures reading the object, not projecting 10,000 messages meanwhile.
 */
export class ConversationDO extends ParleyConversationDO {
  benchAppend(accountId: string, count: number, author: string): Outcome<number> {
    this.outbox.mode = "manual";
    const core = (this as unknown as { core: ConversationCore }).core;
    for (let done = 0; done < count; done += 1000) {
      const outcome = core.mutate(accountId, undefined, (_conv, tx) => {
        for (let i = done; i < Math.min(count, done + 1000); i++) insertMessage(core, tx, core.requireConversation(), { body: messageText(i), author }, "body");
        return ok(null);
      });
      if (!outcome.ok) return outcome;
    }
    return ok(count);
  }
}
