import { decide, type GatePolicy } from "../../ai/gates";
import type { ApproveDraft, CitedPassage, ConfidenceFeatures, Draft, DraftAuditEntry, DraftEngine, RejectDraft } from "../../contract/draft";
import type { EscalationReason, HandoffState } from "../../contract/handoff";
import type { Message } from "../../contract/message";
import { LIMITS } from "../../lib/limits";
import { err, ok, type Outcome } from "../../lib/problem";
import { draftId, renderDraft, type DraftRow } from "../assist-store";
import { reject, type ConversationCore, type Tx } from "../core";
import type { ConversationRow, ParticipantRow } from "../rows";
import type { SendDefaults } from "./delivery";
import { requestHandoff } from "./handoff";
import { insertMessage } from "./messages";
import { insertParticipant } from "./participants";

/**
 * AI reply drafts, on the conversation's side. A customer's message records an `assist:draft:<index>`
 * outbox row (unless AI is off for this conversation): the assist sink queues it to DRAFTS, whose
 * consumer (src/ai/consumer.ts) reads the context here, retrieves, drafts, and hands the proposal
 * back to `record`, which applies the account's gates in one transaction: the bot's reply sent, the
 * draft held for review (and expired by the `drafts` alarm duty), or kept unsent; an escalation
 * hands the conversation off. Every change is a `draft` outbox row (D1's review queue), an event
 * and a frame to the conversation's sockets.
 */

/** The identity the bot participant takes when the conversation has none. */
export const BOT_IDENTITY = "parley-bot";

/** Called by appendMessage for every new message: a customer's asks for a draft. */
export function requestDraft(core: ConversationCore, tx: Tx, author: ParticipantRow | undefined, index: number): void {
  if (author?.kind !== "customer" || core.store.assist.assistant().ai_enabled === 0) return;
  tx.record("assist", `draft:${index}`);
}

export type DraftContext = {
  conversation_id: string;
  closed: boolean;
  message: { id: string; index: number; body: string };
  /** Earlier messages, oldest first (LIMITS.draftHistoryMessages at most). */
  history: { author_kind: Message["author_kind"]; body: string }[];
  ai_enabled: boolean | null;
  handoff: HandoffState;
  existing: Draft | null;
};

export function context(core: ConversationCore, accountId: string, index: number): Outcome<DraftContext> {
  const conv = core.visible(accountId);
  const m = conv && core.store.messageByIndex(index);
  if (!conv || !m || m.author_kind !== "customer") return err(404, "message not found");
  const earlier = core.store.messagesPage(index - LIMITS.draftHistoryMessages - 1, index, "asc", LIMITS.draftHistoryMessages);
  const a = core.store.assist.assistant();
  const existing = core.store.assist.draftForMessage(index);
  return ok({
    conversation_id: conv.id,
    closed: conv.status === "closed",
    message: { id: m.id, index, body: m.body },
    history: earlier.map((e) => ({ author_kind: e.author_kind, body: e.body })),
    ai_enabled: a.ai_enabled === null ? null : a.ai_enabled === 1,
    handoff: a.handoff,
    existing: existing ? renderDraft(conv.id, existing) : null,
  });
}

/** What the consumer drafted for one customer message. */
export type Proposal = {
  index: number;
  body: string | null;
  confidence: number;
  features: ConfidenceFeatures;
  engine: DraftEngine;
  fallback: string | null;
  passages: CitedPassage[];
  escalation: EscalationReason[];
  topic: string | null;
  language: string | null;
};

export type DraftPolicy = GatePolicy & { review_ttl_ms: number; defaults: SendDefaults };

/** Applies the gates to a proposal, once per customer message (a redelivered job answers the draft made first). */
export function record(core: ConversationCore, accountId: string, p: Proposal, policy: DraftPolicy): Outcome<Draft> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    const made = core.store.assist.draftForMessage(p.index);
    if (made) return ok(renderDraft(conv.id, made));
    const source = core.store.messageByIndex(p.index) ?? reject(404, "message not found");
    const a = core.store.assist.assistant();
    const decision = decide({ confidence: p.confidence, hasAnswer: p.body !== null, escalation: p.escalation, handoff: a.handoff, lowStreak: a.low_streak }, policy);
    const seq = core.store.assist.nextSeq();
    const id = draftId(conv.id, seq);
    const history: DraftAuditEntry[] = [{ action: "created", by: "bot", at: iso(tx.now) }];
    let replyId: string | null = null;
    if (decision.status === "sent" && conv.status !== "closed") {
      replyId = reply(core, tx, botOf(core, tx), p.body!, { draft_id: id }, policy.defaults).id;
      history.push({ action: "sent", by: "bot", at: iso(tx.now) });
    }
    const status = decision.status === "sent" && replyId === null ? "discarded" : decision.status;
    const row: DraftRow = {
      seq, id, source_idx: p.index, source_id: source.id, status, gate: decision.gate, body: p.body,
      confidence: p.confidence, features: JSON.stringify(p.features), engine: p.engine, fallback: p.fallback,
      passages: JSON.stringify(p.passages), escalation: JSON.stringify(p.escalation), reply_id: replyId,
      history: JSON.stringify(history), expires_at: status === "pending" ? tx.now + policy.review_ttl_ms : null,
      created_at: tx.now, updated_at: tx.now,
    };
    core.store.assist.insertDraft(row);
    core.store.assist.setAssistant({ low_streak: decision.lowStreak, topic: p.topic ?? a.topic, language: p.language ?? a.language });
    if (decision.handoff.length > 0 && conv.status !== "closed") requestHandoff(core, tx, conv, decision.handoff, { topic: p.topic, language: p.language });
    if (row.expires_at !== null) {
      const at = row.expires_at;
      tx.afterCommit(() => core.timers.schedule("drafts", at));
    }
    const draft = renderDraft(conv.id, row);
    announce(tx, draft, "draft.created");
    return ok(draft, 201);
  });
}

export function get(core: ConversationCore, accountId: string, id: string): Outcome<Draft> {
  const conv = core.visible(accountId);
  const d = conv && core.store.assist.draftById(id);
  return conv && d ? ok(renderDraft(conv.id, d)) : err(404, "draft not found");
}

/** A reviewer sends the draft, as written or edited: by their agent participant if they are one here, else by the bot. */
export function approve(core: ConversationCore, accountId: string, id: string, input: ApproveDraft, defaults: SendDefaults): Outcome<Draft> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    const d = pendingDraft(core, id);
    const body = input.body ?? d.body ?? reject(422, "this draft has no body: give one to send", "body.body");
    const edited = input.body !== undefined && input.body !== d.body;
    const agent = core.store.participantByIdentity(input.agent);
    const author = agent?.kind === "agent" ? agent : botOf(core, tx);
    const message = reply(core, tx, author, body, { draft_id: id, approved_by: input.agent }, defaults);
    const entry: DraftAuditEntry = { action: "approved", by: input.agent, at: iso(tx.now), edited, ...(edited && { body_before: d.body ?? "", body_after: body }) };
    return ok(change(core, tx, conv, d, { status: "approved", body, reply_id: message.id, expires_at: null }, entry));
  });
}

export function rejectDraft(core: ConversationCore, accountId: string, id: string, input: RejectDraft): Outcome<Draft> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    const d = pendingDraft(core, id);
    const entry: DraftAuditEntry = { action: "rejected", by: input.agent, at: iso(tx.now), ...(input.reason !== undefined && { reason: input.reason }) };
    return ok(change(core, tx, conv, d, { status: "rejected", expires_at: null }, entry));
  });
}

/** The alarm's `drafts` duty: pending drafts past their time expire; returns when the next one is due. */
export function expire(core: ConversationCore, now: number): number | null {
  const conv = core.store.conversation();
  if (!conv || conv.deleted_at !== null) return null;
  const { due, next } = core.store.assist.expiring(now);
  if (due.length === 0) return next;
  core.mutate(conv.account_id, undefined, (current, tx) => {
    for (const d of due) change(core, tx, current, d, { status: "expired", expires_at: null }, { action: "expired", by: "system", at: iso(tx.now) });
    return ok(null);
  });
  return next;
}

function pendingDraft(core: ConversationCore, id: string): DraftRow {
  const d = core.store.assist.draftById(id) ?? reject(404, "draft not found");
  if (d.status !== "pending") reject(409, `the draft is ${d.status}; only a pending draft can be reviewed`, "path.draft_id");
  return d;
}

function change(core: ConversationCore, tx: Tx, conv: ConversationRow, d: DraftRow, changes: Partial<Pick<DraftRow, "status" | "body" | "reply_id" | "expires_at">>, entry: DraftAuditEntry): Draft {
  const history = JSON.stringify([...(JSON.parse(d.history) as DraftAuditEntry[]), entry]);
  core.store.assist.updateDraft(d.id, { ...changes, history }, tx.now);
  const draft = renderDraft(conv.id, core.store.assist.draftById(d.id)!);
  announce(tx, draft, "draft.updated");
  return draft;
}

function announce(tx: Tx, draft: Draft, type: "draft.created" | "draft.updated"): void {
  tx.record("draft", draft.id);
  tx.event(type, draft.id);
  tx.emit({ type, draft });
}

/** The conversation's bot participant, added (identity BOT_IDENTITY) the first time it is needed. */
function botOf(core: ConversationCore, tx: Tx): ParticipantRow {
  return core.store.allParticipants().find((p) => p.kind === "bot") ?? insertParticipant(core, tx, { kind: "bot", identity: BOT_IDENTITY, attributes: { parley: "ai" } }, "bot");
}

/** The reply as a message like any other: the next index, and delivery to every channel-bound recipient. */
function reply(core: ConversationCore, tx: Tx, author: ParticipantRow, body: string, parley: Record<string, string>, defaults: SendDefaults): Message {
  return insertMessage(core, tx, core.requireConversation(), { body, author: author.id, attributes: { parley } }, "body", defaults);
}

const iso = (ms: number) => new Date(ms).toISOString();
