import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { BatchItem } from "drizzle-orm/batch";
import * as d1 from "../db/schema";
import type { AccountFrame } from "../contract/frames";
import type { Conversation } from "../contract/conversation";
import { renderConversation, renderMessage, type ConversationRow } from "./rows";
import type { ConversationStore, OutboxRow } from "./store";
import type { Env } from "../env";

/**
 * How many outbox rows one drain takes. A send writes two or three (message, conversation, the
 * author's read horizon) and the non-message ones collapse, so this is about 100 message upserts
 * per D1 batch.
 */
const DRAIN_BATCH = 300;
/**
 * Message text one D1 batch may carry (each body travels twice: its column and the resource JSON).
 * Bodies run to 32 KB, so a full batch of them would be tens of MB.
 */
const BATCH_TEXT_BUDGET = 2 * 1024 * 1024;
/** Seven bound columns a row, under D1's 100 parameters per statement. */
const MESSAGES_PER_STATEMENT = 14;

/**
 * Copies what the outbox rows after `afterSeq` say changed into D1, in one atomic D1 batch. Every
 * statement is an idempotent upsert or delete keyed by id, so rows delivered twice (after a crash,
 * or a retried alarm) still leave each D1 row written once. Returns the last row delivered and
 * whether more are waiting; deleting delivered rows is the caller's business.
 *
 * The payloads are read from the DO's tables at drain time, not copied into the outbox: ten
 * changes to the conversation collapse into one upsert of its latest state.
 */
export async function drainOutbox(
  store: ConversationStore,
  env: Pick<Env, "DB" | "ACCOUNT_HUB">,
  afterSeq: number,
): Promise<{ through: number | null; more: boolean }> {
  const fetched = store.outbox(DRAIN_BATCH, afterSeq);
  const pending = withinBudget(store, fetched);
  const last = pending.at(-1);
  if (!last) return { through: null, more: false };
  const more = fetched.length === DRAIN_BATCH || pending.length < fetched.length;
  const conv = store.conversation();
  if (!conv) return { through: last.seq, more };
  const db = drizzle(env.DB);
  const statements: BatchItem<"sqlite">[] = [];
  /** What agent consoles on the account stream hear about this batch. */
  const events: AccountFrame[] = [];
  const kinds = new Set(pending.map((row) => row.kind));

  if (kinds.has("deleted") || conv.deleted_at !== null) {
    statements.push(
      db.delete(d1.messages).where(eq(d1.messages.conversationId, conv.id)),
      db.delete(d1.conversationParticipants).where(eq(d1.conversationParticipants.conversationId, conv.id)),
      db.delete(d1.conversations).where(eq(d1.conversations.id, conv.id)),
      db.delete(d1.conversationTags).where(eq(d1.conversationTags.conversationId, conv.id)),
      db.delete(d1.conversationNames).where(and(eq(d1.conversationNames.accountId, conv.account_id), eq(d1.conversationNames.conversationId, conv.id))),
    );
    events.push({ type: "conversation.deleted", conversation_id: conv.id });
  } else {
    const indexes = new Set(pending.filter((r) => r.kind === "message").map((r) => Number(r.ref)));
    if (indexes.size > 0) {
      // One range read, and multi-row upserts: D1 binds at most 100 parameters per statement.
      const [low, high] = [Math.min(...indexes), Math.max(...indexes)];
      const rows = store.messagesPage(low - 1, high + 1, "asc", high - low + 1).filter((m) => indexes.has(m.idx));
      const values = rows.map((m) => {
        const message = renderMessage(conv.id, m);
        const { id, index, author, author_kind, body, created_at } = message;
        events.push({ type: "message.added", conversation_id: conv.id, message: { id, index, author, author_kind, body: body.slice(0, 160), created_at } });
        return { id: m.id, accountId: conv.account_id, conversationId: conv.id, index: m.idx, body: m.body, createdAt: m.created_at, resource: JSON.stringify(message) };
      });
      for (let i = 0; i < values.length; i += MESSAGES_PER_STATEMENT) {
        statements.push(
          db
            .insert(d1.messages)
            .values(values.slice(i, i + MESSAGES_PER_STATEMENT))
            .onConflictDoUpdate({ target: d1.messages.id, set: { resource: sql`excluded.resource` } }),
        );
      }
    }
    for (const ref of new Set(pending.filter((r) => r.kind === "participant").map((r) => r.ref))) {
      const p = store.participantById(ref);
      statements.push(
        p
          ? db
              .insert(d1.conversationParticipants)
              .values({ id: p.id, accountId: conv.account_id, conversationId: conv.id, kind: p.kind, channel: p.channel, address: p.address, identity: p.identity, lastReadIndex: p.last_read_index })
              .onConflictDoUpdate({ target: d1.conversationParticipants.id, set: { lastReadIndex: p.last_read_index } })
          : db.delete(d1.conversationParticipants).where(eq(d1.conversationParticipants.id, ref)),
      );
    }
    if (kinds.has("conversation")) {
      const conversation = renderConversation(conv, store.participantCounts().total, store.lastMessage());
      const row = listingRow(conv, conversation);
      events.unshift({ type: kinds.has("created") ? "conversation.created" : "conversation.updated", conversation });
      const { id: _id, accountId: _account, createdAt: _created, ...changes } = row;
      statements.push(
        db
          .insert(d1.conversations)
          .values(row)
          .onConflictDoUpdate({ target: d1.conversations.id, set: changes, setWhere: sql`excluded.version > ${d1.conversations.version}` }),
      );
    }
    if (kinds.has("created") || kinds.has("tags")) {
      statements.push(db.delete(d1.conversationTags).where(eq(d1.conversationTags.conversationId, conv.id)));
      const tags = JSON.parse(conv.tags) as string[];
      if (tags.length > 0) {
        statements.push(db.insert(d1.conversationTags).values(tags.map((tag) => ({ accountId: conv.account_id, tag, conversationId: conv.id }))).onConflictDoNothing());
      }
    }
  }

  if (statements.length > 0) await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  // After D1 has the rows, so a console that reacts by listing sees them.
  if (events.length > 0) {
    try {
      await env.ACCOUNT_HUB.get(env.ACCOUNT_HUB.idFromName(conv.account_id)).publish(events);
    } catch (error) {
      // Best effort: the account stream is a live feed, and D1 already has the rows. A busy hub
      // must not hold the conversation's outbox back (consoles catch up by listing).
      console.error("account stream publish failed:", error);
    }
  }
  return { through: last.seq, more };
}

/** The longest prefix of `rows` whose message bodies fit BATCH_TEXT_BUDGET (always at least one row). */
function withinBudget(store: ConversationStore, rows: OutboxRow[]): OutboxRow[] {
  const indexes = rows.filter((r) => r.kind === "message").map((r) => Number(r.ref));
  if (indexes.length === 0) return rows;
  const sizes = store.messageSizes(Math.min(...indexes), Math.max(...indexes));
  let total = 0;
  for (const [i, row] of rows.entries()) {
    if (row.kind !== "message") continue;
    total += 2 * (sizes.get(Number(row.ref)) ?? 0);
    if (total > BATCH_TEXT_BUDGET && i > 0) return rows.slice(0, i);
  }
  return rows;
}

/** The D1 listing row of a conversation: the columns listings filter and sort on, and the resource. */
export function listingRow(conv: ConversationRow, resource: Conversation): typeof d1.conversations.$inferInsert {
  return {
    id: conv.id,
    accountId: conv.account_id,
    status: conv.status,
    channel: conv.channel,
    tags: conv.tags,
    lastActivityAt: conv.last_activity_at,
    createdAt: conv.created_at,
    messageCount: conv.next_index,
    version: conv.version,
    resource: JSON.stringify(resource),
  };
}
