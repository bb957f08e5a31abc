import type { AgentStatus } from "../contract/agent";

/** Rows of the RoutingDO's tables (schema.ts) and the SQL that reads and writes them. */

export type AgentRow = {
  identity: string;
  name: string | null;
  skills: string;
  languages: string;
  capacity: number;
  status: AgentStatus;
  last_assigned_at: number;
  created_at: number;
  updated_at: number;
};

export type RequestRow = {
  conversation_id: string;
  topics: string;
  language: string | null;
  priority: number;
  requested_at: number;
  agent: string | null;
  participant_id: string | null;
  assigned_at: number | null;
  add_attempts: number;
};

/** An agent with a free seat, as far as storage knows (presence is the caller's). */
export type Candidate = { identity: string; skills: string; languages: string; load: number; capacity: number };

export class RoutingStore {
  constructor(private readonly sql: SqlStorage) {}

  agent(identity: string): AgentRow | undefined {
    return this.sql.exec<AgentRow>("SELECT * FROM agents WHERE identity = ?", identity).toArray()[0];
  }

  agentsAfter(after: string, limit: number): AgentRow[] {
    return this.sql.exec<AgentRow>("SELECT * FROM agents WHERE identity > ? ORDER BY identity LIMIT ?", after, limit).toArray();
  }

  agentCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM agents").one().n;
  }

  insertAgent(row: AgentRow): void {
    this.sql.exec(
      "INSERT INTO agents (identity, name, skills, languages, capacity, status, last_assigned_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      row.identity, row.name, row.skills, row.languages, row.capacity, row.status, row.last_assigned_at, row.created_at, row.updated_at,
    );
  }

  updateAgent(row: AgentRow): void {
    this.sql.exec(
      "UPDATE agents SET name = ?, skills = ?, languages = ?, capacity = ?, status = ?, updated_at = ? WHERE identity = ?",
      row.name, row.skills, row.languages, row.capacity, row.status, row.updated_at, row.identity,
    );
  }

  /** Deletes the agent and the seats it held (those conversations keep the agent as a participant). */
  deleteAgent(identity: string): void {
    this.sql.exec("DELETE FROM requests WHERE agent = ?", identity);
    this.sql.exec("DELETE FROM agents WHERE identity = ?", identity);
  }

  load(identity: string): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM requests WHERE agent = ?", identity).one().n;
  }

  /**
   * Available agents with a free seat, best first: the lowest share of capacity in use, then the one
   * that has waited longest since its last assignment. Who fits a need is decided over this list
   * (decide.ts), so serving a long queue reads the agents once per assignment, not once per request.
   */
  freeAgents(): Candidate[] {
    return this.sql
      .exec<Candidate>(
        `SELECT a.identity, a.skills, a.languages, coalesce(l.n, 0) AS load, a.capacity
         FROM agents a LEFT JOIN (SELECT agent, count(*) AS n FROM requests WHERE agent IS NOT NULL GROUP BY agent) l ON l.agent = a.identity
         WHERE a.status = 'available' AND coalesce(l.n, 0) < a.capacity
         ORDER BY CAST(coalesce(l.n, 0) AS REAL) / a.capacity, a.last_assigned_at, a.identity`,
      )
      .toArray();
  }

  /** Every skill some agent lists: the conversation tags that count as topics. */
  knownSkills(): Set<string> {
    return new Set(this.sql.exec<{ value: string }>("SELECT DISTINCT s.value FROM agents a, json_each(a.skills) s").toArray().map((r) => r.value));
  }

  request(conversationId: string): RequestRow | undefined {
    return this.sql.exec<RequestRow>("SELECT * FROM requests WHERE conversation_id = ?", conversationId).toArray()[0];
  }

  insertRequest(row: Pick<RequestRow, "conversation_id" | "topics" | "language" | "priority" | "requested_at">): void {
    this.sql.exec(
      "INSERT INTO requests (conversation_id, topics, language, priority, requested_at) VALUES (?, ?, ?, ?, ?)",
      row.conversation_id, row.topics, row.language, row.priority, row.requested_at,
    );
  }

  /** A queued request asked again: what it needs now (it keeps its place in time). */
  requeue(conversationId: string, topics: string, language: string | null, priority: number): void {
    this.sql.exec("UPDATE requests SET topics = ?, language = ?, priority = ? WHERE conversation_id = ? AND agent IS NULL", topics, language, priority, conversationId);
  }

  /** The assignment and the seat it takes, in one statement. */
  assign(conversationId: string, identity: string, now: number): void {
    this.sql.exec("UPDATE requests SET agent = ?, assigned_at = ?, participant_id = NULL, add_attempts = 0 WHERE conversation_id = ? AND agent IS NULL", identity, now, conversationId);
    this.sql.exec("UPDATE agents SET last_assigned_at = ? WHERE identity = ?", now, identity);
  }

  deleteRequest(conversationId: string): void {
    this.sql.exec("DELETE FROM requests WHERE conversation_id = ?", conversationId);
  }

  setParticipant(conversationId: string, identity: string, participantId: string): boolean {
    return this.sql.exec("UPDATE requests SET participant_id = ? WHERE conversation_id = ? AND agent = ?", participantId, conversationId, identity).rowsWritten > 0;
  }

  countAddAttempt(conversationId: string): void {
    this.sql.exec("UPDATE requests SET add_attempts = add_attempts + 1 WHERE conversation_id = ?", conversationId);
  }

  /** Waiting requests in the order they are served: priority, then time waited. */
  queued(offset: number, limit: number): RequestRow[] {
    return this.sql
      .exec<RequestRow>("SELECT * FROM requests WHERE agent IS NULL ORDER BY priority DESC, requested_at, conversation_id LIMIT ? OFFSET ?", limit, offset)
      .toArray();
  }

  /** 1 for the next to be served. */
  position(row: RequestRow): number {
    return (
      this.sql.exec<{ n: number }>(
        `SELECT count(*) AS n FROM requests WHERE agent IS NULL
           AND (priority > ?1 OR (priority = ?1 AND (requested_at < ?2 OR (requested_at = ?2 AND conversation_id < ?3))))`,
        row.priority, row.requested_at, row.conversation_id,
      ).one().n + 1
    );
  }

  /** Seats whose participant add is still owed. */
  owedAdds(limit: number): RequestRow[] {
    return this.sql.exec<RequestRow>("SELECT * FROM requests WHERE agent IS NOT NULL AND participant_id IS NULL ORDER BY assigned_at LIMIT ?", limit).toArray();
  }

  pushEvent(envelope: unknown): void {
    this.sql.exec("INSERT INTO pending_events (envelope) VALUES (?)", JSON.stringify(envelope));
  }

  pendingEvents(limit: number): { seq: number; envelope: string }[] {
    return this.sql.exec<{ seq: number; envelope: string }>("SELECT seq, envelope FROM pending_events ORDER BY seq LIMIT ?", limit).toArray();
  }

  dropEventsThrough(seq: number): void {
    this.sql.exec("DELETE FROM pending_events WHERE seq <= ?", seq);
  }
}
