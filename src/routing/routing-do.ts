import { DurableObject } from "cloudflare:workers";
import { PRIORITY_RANK, type Agent, type AgentFrame, type CreateAgent, type Priority, type Routing, type UpdateAgent } from "../contract/agent";
import type { Env } from "../env";
import { DO_HEADERS } from "../lib/do-headers";
import { LIMITS } from "../lib/limits";
import { err, ok, type Outcome } from "../lib/problem";
import { answerClose } from "../lib/websocket";
import { Seats } from "./assign";
import { Decisions } from "./decide";
import { Presence } from "./presence";
import { renderAgent, renderRouting } from "./render";
import { hasSchema, migrate } from "./schema";
import { RoutingStore, type AgentRow } from "./store";

/**
 * What a caller asks routing for. `topic` when one was named; else the conversation's `tags`, of
 * which those that some agent lists as a skill are its topics (a tag like `vip` is no topic).
 */
export type RoutingRequest = { conversationId: string; topic: string | null; tags: string[]; language: string | null; priority: Priority };

/** Why a conversation's seat may have freed (from its outbox: see sink.ts). */
export type Release = { finished: boolean; removedParticipants: string[] };

/**
 * One per account (named by the account id): its agents, the queue of conversations waiting for
 * one, and who holds which seat. Being one object is what serialises the account's decisions
 * (decide.ts); the participant adds that follow a decision run after it, outside it (assign.ts).
 *
 * An object is given storage only by a write (an agent created, a conversation routed), so the
 * releases every account's conversations send here cost an empty read for accounts that never route.
 */
export class RoutingDO extends DurableObject<Env> {
  private readonly store: RoutingStore;
  private readonly presence: Presence;
  private readonly decisions: Decisions;
  private readonly seats: Seats;
  private ready: boolean;
  /** Whether the account row is written (once per object's life in memory). */
  private claimed = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    this.store = new RoutingStore(ctx.storage.sql);
    this.presence = new Presence(ctx);
    this.decisions = new Decisions(this.store, this.presence);
    this.seats = new Seats(ctx, env, this.store, this.presence, () => this.decisions.drain(Date.now()));
    this.ready = hasSchema(ctx.storage.sql);
    if (this.ready) migrate(ctx.storage.sql);
  }

  /** The account this object serves, creating the schema on the first write. */
  private claim(accountId: string): void {
    if (this.claimed) return;
    if (!this.ready) {
      migrate(this.ctx.storage.sql);
      this.ready = true;
    }
    this.ctx.storage.sql.exec("INSERT INTO account (singleton, id) VALUES (1, ?) ON CONFLICT DO NOTHING", accountId);
    this.claimed = true;
  }

  private agentView(row: AgentRow, now = Date.now()): Agent {
    return renderAgent(row, this.store.load(row.identity), this.presence.isOnline(row.identity, now));
  }

  // ---- agents ------------------------------------------------------------------------------

  async createAgent(accountId: string, input: CreateAgent): Promise<Outcome<Agent>> {
    this.claim(accountId);
    if (this.store.agent(input.identity)) return err(409, `an agent with identity ${input.identity} exists`, "body.identity");
    if (this.store.agentCount() >= LIMITS.agentsPerAccount) return err(422, `an account has at most ${LIMITS.agentsPerAccount} agents`, "body.identity");
    const now = Date.now();
    const row: AgentRow = {
      identity: input.identity,
      name: input.name ?? null,
      skills: JSON.stringify([...new Set(input.skills)]),
      languages: JSON.stringify([...new Set(input.languages)]),
      capacity: input.capacity,
      status: input.status,
      last_assigned_at: 0,
      created_at: now,
      updated_at: now,
    };
    this.store.insertAgent(row);
    // An agent already online (its socket came first) may take waiting conversations at once.
    await this.seats.settle(this.decisions.drain(now));
    return ok(this.agentView(this.store.agent(input.identity)!), 201);
  }

  getAgent(_accountId: string, identity: string): Outcome<Agent> {
    const row = this.ready ? this.store.agent(identity) : undefined;
    return row ? ok(this.agentView(row)) : err(404, "agent not found");
  }

  listAgents(_accountId: string, after: string, limit: number): Outcome<{ data: Agent[]; next: string | null }> {
    if (!this.ready) return ok({ data: [], next: null });
    const rows = this.store.agentsAfter(after, limit + 1);
    const now = Date.now();
    const data = rows.slice(0, limit).map((r) => this.agentView(r, now));
    return ok({ data, next: rows.length > limit ? data.at(-1)!.identity : null });
  }

  /** A raised capacity or an agent back to `available` serves the queue at once. */
  async updateAgent(_accountId: string, identity: string, patch: UpdateAgent): Promise<Outcome<Agent>> {
    const row = this.ready ? this.store.agent(identity) : undefined;
    if (!row) return err(404, "agent not found");
    const now = Date.now();
    this.store.updateAgent({
      ...row,
      name: patch.name === undefined ? row.name : patch.name,
      skills: patch.skills ? JSON.stringify([...new Set(patch.skills)]) : row.skills,
      languages: patch.languages ? JSON.stringify([...new Set(patch.languages)]) : row.languages,
      capacity: patch.capacity ?? row.capacity,
      status: patch.status ?? row.status,
      updated_at: now,
    });
    await this.seats.settle(this.decisions.drain(now));
    return ok(this.agentView(this.store.agent(identity)!));
  }

  deleteAgent(_accountId: string, identity: string): Outcome<null> {
    if (!this.ready || !this.store.agent(identity)) return err(404, "agent not found");
    this.store.deleteAgent(identity);
    this.presence.closeAll(identity);
    return ok(null, 204);
  }

  // ---- routing -----------------------------------------------------------------------------

  /** Routes a conversation: assigned at once when an agent fits, else queued. */
  async request(accountId: string, req: RoutingRequest): Promise<Outcome<Routing>> {
    this.claim(accountId);
    const now = Date.now();
    const before = this.store.request(req.conversationId);
    const known = req.topic === null ? this.store.knownSkills() : null;
    const topics = req.topic !== null ? [req.topic] : [...new Set(req.tags.map((t) => t.toLowerCase()))].filter((t) => known!.has(t));
    const { row, queued } = this.decisions.place({ conversationId: req.conversationId, topics, language: req.language, priority: PRIORITY_RANK[req.priority] }, now);
    if (queued) this.seats.announceQueued(accountId, renderRouting(row, this.store.position(row), now), now);
    const assigned = row.agent !== null && !before?.agent ? [row.conversation_id] : [];
    // Every conversation the drain assigned, this one included, gets its agent's participant now.
    await this.seats.settle(assigned.length > 0 ? this.seats.unsettled() : []);
    return this.routing(accountId, req.conversationId, before ? 200 : 201);
  }

  routing(_accountId: string, conversationId: string, status = 200): Outcome<Routing> {
    const row = this.ready ? this.store.request(conversationId) : undefined;
    if (!row) return err(404, "the conversation is not being routed");
    return ok(renderRouting(row, row.agent === null ? this.store.position(row) : null, Date.now()), status);
  }

  listQueue(_accountId: string, offset: number, limit: number): Outcome<{ data: Routing[]; next: number | null }> {
    if (!this.ready) return ok({ data: [], next: null });
    const now = Date.now();
    const rows = this.store.queued(offset, limit + 1);
    const data = rows.slice(0, limit).map((r, i) => renderRouting(r, offset + i + 1, now));
    return ok({ data, next: rows.length > limit ? offset + limit : null });
  }

  /**
   * A conversation's outbox says it may have freed a seat: resolved, closed or deleted (it leaves
   * routing, queued or seated), or a participant removed (the seat frees if it was its agent's).
   * Then the queue is served.
   */
  async release(_accountId: string, conversationId: string, why: Release): Promise<void> {
    if (!this.ready) return;
    const row = this.store.request(conversationId);
    if (!row) return;
    const agentLeft = row.participant_id !== null && why.removedParticipants.includes(row.participant_id);
    if (!why.finished && !agentLeft) return;
    this.store.deleteRequest(conversationId);
    if (row.agent === null) return;
    await this.seats.settle(this.decisions.drain(Date.now()));
  }

  // ---- runtime entry points ----------------------------------------------------------------

  /** The agent's socket (GET /v1/agents/{identity}/stream), forwarded by the Worker once it checked the caller. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const identity = request.headers.get(DO_HEADERS.identity) ?? "";
    if (!this.ready || !this.store.agent(identity)) return Response.json(err(404, "agent not found").problem, { status: 404, headers: { "content-type": "application/problem+json" } });
    const pair = new WebSocketPair();
    const now = Date.now();
    this.presence.accept(pair[1], identity, now);
    pair[1].send(JSON.stringify({ type: "ready", identity } satisfies AgentFrame));
    // Coming online frees seats in the sense that matter: this agent's.
    await this.seats.settle(this.decisions.drain(now));
    const protocol = request.headers.get(DO_HEADERS.protocol);
    return new Response(null, { status: 101, webSocket: pair[0], headers: protocol ? { "sec-websocket-protocol": protocol } : {} });
  }

  override webSocketMessage(ws: WebSocket): void {
    ws.send(JSON.stringify({ type: "error", code: "bad_frame", message: "this stream is read-only; send the text ping to stay online" }));
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    answerClose(ws, code);
  }

  /** Work a failure left behind: participant adds and events (assign.ts). */
  override async alarm(): Promise<void> {
    if (this.ready) await this.seats.settle(this.seats.unsettled(), "await");
  }
}
