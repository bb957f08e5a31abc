import type { ConfidenceFeatures, CitedPassage, Draft, DraftAuditEntry, DraftEngine, DraftGate, DraftStatus } from "../contract/draft";
import type { EscalationReason, Handoff, HandoffState } from "../contract/handoff";

/**
 * The conversation's AI state in its own SQLite: its drafts (the truth; D1's `drafts` is a copy
 * for the account's review queue) and the assistant row (the AI override and the handoff state).
 * Synchronous, like ConversationStore: calls with no await between them are one transaction.
 */

export type DraftRow = {
  seq: number;
  id: string;
  source_idx: number;
  source_id: string;
  status: DraftStatus;
  gate: DraftGate;
  body: string | null;
  confidence: number;
  features: string;
  engine: DraftEngine;
  fallback: string | null;
  passages: string;
  escalation: string;
  reply_id: string | null;
  history: string;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
};

export type AssistantRow = {
  ai_enabled: number | null;
  handoff: HandoffState;
  reasons: string;
  agent: string | null;
  topic: string | null;
  language: string | null;
  low_streak: number;
  requested_at: number | null;
  accepted_at: number | null;
};

/** The DO schema step that creates these tables (appended to MIGRATIONS in schema.ts). */
export const ASSIST_SCHEMA = `
  CREATE TABLE drafts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    source_idx INTEGER NOT NULL UNIQUE,
    source_id TEXT NOT NULL,
    status TEXT NOT NULL,
    gate TEXT NOT NULL,
    body TEXT,
    confidence REAL NOT NULL,
    features TEXT NOT NULL,
    engine TEXT NOT NULL,
    fallback TEXT,
    passages TEXT NOT NULL,
    escalation TEXT NOT NULL,
    reply_id TEXT,
    history TEXT NOT NULL,
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX drafts_pending ON drafts (expires_at) WHERE status = 'pending';
  CREATE TABLE assistant (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    ai_enabled INTEGER,
    handoff TEXT NOT NULL DEFAULT 'bot',
    reasons TEXT NOT NULL DEFAULT '[]',
    agent TEXT,
    topic TEXT,
    language TEXT,
    low_streak INTEGER NOT NULL DEFAULT 0,
    requested_at INTEGER,
    accepted_at INTEGER
  );`;

const NO_ASSISTANT: AssistantRow = { ai_enabled: null, handoff: "bot", reasons: "[]", agent: null, topic: null, language: null, low_streak: 0, requested_at: null, accepted_at: null };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A draft's id carries its conversation's ULID and its sequence there (as event ids do), so the
 * Worker finds the conversation from the id alone, with no read that could lag.
 */
const DRAFT_ID = /^drf_([0-9A-HJKMNP-TV-Z]{26})([0-9a-z]{6})$/;
export const draftId = (conversationId: string, seq: number) => `drf_${conversationId.slice(conversationId.indexOf("_") + 1)}${seq.toString(36).padStart(6, "0")}`;
export function conversationOfDraft(id: string): string | null {
  const m = DRAFT_ID.exec(id);
  return m ? `conv_${m[1]}` : null;
}

export class AssistStore {
  constructor(private readonly sql: SqlStorage) {}

  assistant(): AssistantRow {
    return this.sql.exec<AssistantRow>("SELECT ai_enabled, handoff, reasons, agent, topic, language, low_streak, requested_at, accepted_at FROM assistant WHERE singleton = 1").toArray()[0] ?? NO_ASSISTANT;
  }

  setAssistant(changes: Partial<AssistantRow>): void {
    const next = { ...this.assistant(), ...changes };
    this.sql.exec(
      `INSERT OR REPLACE INTO assistant (singleton, ai_enabled, handoff, reasons, agent, topic, language, low_streak, requested_at, accepted_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      next.ai_enabled, next.handoff, next.reasons, next.agent, next.topic, next.language, next.low_streak, next.requested_at, next.accepted_at,
    );
  }

  draftById(id: string): DraftRow | undefined {
    return this.sql.exec<DraftRow>("SELECT * FROM drafts WHERE id = ?", id).toArray()[0];
  }

  draftForMessage(idx: number): DraftRow | undefined {
    return this.sql.exec<DraftRow>("SELECT * FROM drafts WHERE source_idx = ?", idx).toArray()[0];
  }

  /** The next draft's sequence (its id is made from it before the row exists). */
  nextSeq(): number {
    return (this.sql.exec<{ n: number | null }>("SELECT max(seq) AS n FROM drafts").toArray()[0]?.n ?? 0) + 1;
  }

  insertDraft(d: DraftRow): void {
    this.sql.exec(
      `INSERT INTO drafts (seq, id, source_idx, source_id, status, gate, body, confidence, features, engine, fallback, passages, escalation, reply_id, history, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      d.seq, d.id, d.source_idx, d.source_id, d.status, d.gate, d.body, d.confidence, d.features, d.engine, d.fallback, d.passages, d.escalation, d.reply_id, d.history, d.expires_at, d.created_at, d.updated_at,
    );
  }

  updateDraft(id: string, changes: Partial<Pick<DraftRow, "status" | "body" | "reply_id" | "history" | "expires_at">>, now: number): void {
    const entries = Object.entries(changes);
    this.sql.exec(`UPDATE drafts SET ${[...entries.map(([c]) => `${c} = ?`), "updated_at = ?"].join(", ")} WHERE id = ?`, ...entries.map(([, v]) => v as SqlStorageValue), now, id);
  }

  /** Pending drafts due to expire by `now`, and when the next one after them is due. */
  expiring(now: number): { due: DraftRow[]; next: number | null } {
    const due = this.sql.exec<DraftRow>("SELECT * FROM drafts WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at", now).toArray();
    const next = this.sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM drafts WHERE status = 'pending' AND expires_at > ?", now).toArray()[0]?.at ?? null;
    return { due, next };
  }

  /** Drafts the conversation has, newest first. */
  drafts(limit: number): DraftRow[] {
    return this.sql.exec<DraftRow>("SELECT * FROM drafts ORDER BY seq DESC LIMIT ?", limit).toArray();
  }

  erase(): void {
    this.sql.exec("DELETE FROM drafts");
    this.sql.exec("DELETE FROM assistant");
  }
}

export function renderDraft(conversationId: string, d: DraftRow): Draft {
  return {
    id: d.id,
    conversation_id: conversationId,
    message_id: d.source_id,
    message_index: d.source_idx,
    status: d.status,
    gate: d.gate,
    body: d.body,
    confidence: d.confidence,
    features: JSON.parse(d.features) as ConfidenceFeatures,
    engine: d.engine,
    fallback: d.fallback,
    passages: JSON.parse(d.passages) as CitedPassage[],
    escalation: JSON.parse(d.escalation) as EscalationReason[],
    reply_message_id: d.reply_id,
    expires_at: iso(d.expires_at),
    history: JSON.parse(d.history) as DraftAuditEntry[],
    created_at: iso(d.created_at)!,
    updated_at: iso(d.updated_at)!,
  };
}

export function renderHandoff(conversationId: string, a: AssistantRow): Handoff {
  return {
    conversation_id: conversationId,
    state: a.handoff,
    ai_enabled: a.ai_enabled === null ? null : a.ai_enabled === 1,
    reasons: JSON.parse(a.reasons) as EscalationReason[],
    agent: a.agent,
    topic: a.topic,
    language: a.language,
    low_confidence_streak: a.low_streak,
    requested_at: iso(a.requested_at),
    accepted_at: iso(a.accepted_at),
  };
}
