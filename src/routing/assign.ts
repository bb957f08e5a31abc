import type { Routing } from "../contract/agent";
import type { EventEnvelope } from "../contract/events";
import type { Env } from "../env";
import type { Outcome } from "../lib/problem";
import { publishEvents, routingEvent } from "./events";
import type { Presence } from "./presence";
import { renderRouting } from "./render";
import { conversationRpc, type Rpc } from "./stubs";
import type { ConversationDO } from "../conversation/conversation-do";
import type { RoutingStore } from "./store";

/** Events carried to D1 in one insert: seven bound values a row, under D1's 100 a statement. */
const EVENTS_PER_INSERT = 14;
/** Owed adds one settle pass retries (the alarm's); more wait for the next. */
const ADDS_PER_PASS = 50;
const RETRY_MAX_MS = 60_000;
/** While events wait for D1, the alarm comes back this soon in case the background carrying failed. */
const EVENTS_FALLBACK_MS = 5_000;

/**
 * What follows a decision, outside it: the agent's participant add to the conversation, and the
 * routing events. The seat was taken in the decision's transaction; the add is a call to another
 * Durable Object, so it cannot be in that transaction. It is made idempotent instead (an
 * Idempotency-Key per assignment, and an agent already in the conversation taken as added) and
 * retried by this object's alarm until it goes through. If the conversation refuses for good
 * (deleted, closed, full), the seat is given back and the queue served again: no seat is leaked.
 */
export class Seats {
  private readonly inflight = new Set<string>();
  private flushing: Promise<boolean> | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly store: RoutingStore,
    private readonly presence: Presence,
    private readonly drain: () => string[],
  ) {}

  private accountId(): string {
    return this.ctx.storage.sql.exec<{ id: string }>("SELECT id FROM account").one().id;
  }

  /** Seats whose add is owed (all of them, whether or not a call is under way). */
  unsettled(): string[] {
    return this.store.owedAdds(ADDS_PER_PASS).map((r) => r.conversation_id);
  }

  announceQueued(accountId: string, routing: Routing, now: number): void {
    this.store.pushEvent(routingEvent("conversation.queued", accountId, routing, now));
  }

  /**
   * Makes the owed adds of these conversations, then carries the pending events: in the background
   * on a request's path (the caller does not wait for D1), awaited from the alarm. What fails is left
   * to the alarm, which is also armed as the fallback while events are pending. Never throws.
   */
  async settle(conversationIds: string[], events: "background" | "await" = "background"): Promise<void> {
    let failed = false;
    for (let ids = conversationIds; ids.length > 0; ) {
      const next: string[] = [];
      await Promise.all(
        ids.map(async (id) => {
          const result = await this.add(id);
          if (result === "failed") failed = true;
          else if (result !== "done") next.push(...result);
        }),
      );
      ids = next; // seats given back were handed on by the drain: their adds are owed now
    }
    if (events === "await") {
      if (!(await this.flush())) failed = true;
    } else if (this.store.pendingEvents(1).length > 0) {
      void this.flush();
      await this.armAt(Date.now() + EVENTS_FALLBACK_MS);
    }
    if (failed || this.store.owedAdds(1).length > 0) await this.retryLater();
  }

  /** "done", "failed" (retry later), or the conversations a given-back seat went to. */
  private async add(conversationId: string): Promise<"done" | "failed" | string[]> {
    if (this.inflight.has(conversationId)) return "done";
    const row = this.store.request(conversationId);
    if (!row?.agent || row.participant_id !== null) return "done";
    this.inflight.add(conversationId);
    const accountId = this.accountId();
    const stub = conversationRpc(this.env, conversationId);
    const idem = { key: `routing:${row.agent}:${row.assigned_at}`, fingerprint: "routing.assign" };
    try {
      let outcome: Outcome<{ id: string }>;
      try {
        outcome = await stub.addParticipant(accountId, { kind: "agent", channel: "chat", identity: row.agent }, idem);
      } catch (error) {
        console.error(`routing: adding ${row.agent} to ${conversationId} failed; the alarm retries:`, error);
        this.store.countAddAttempt(conversationId);
        return "failed";
      }
      let participantId: string | null = outcome.ok ? outcome.value.id : null;
      if (!outcome.ok && outcome.problem.status === 409 && outcome.problem.errors?.[0]?.path === "body.identity") {
        participantId = await this.findParticipant(stub, accountId, row.agent);
      }
      const now = this.store.request(conversationId);
      // Released while the add was under way (resolved, the agent deleted): nothing more to do.
      if (!now || now.agent !== row.agent || now.assigned_at !== row.assigned_at) return "done";
      if (participantId === null) {
        // Gone, closed or full: the conversation cannot take the agent, so the seat goes back.
        console.warn(`routing: ${conversationId} refused ${row.agent} (${outcome.ok ? "not found" : outcome.problem.detail}); seat released`);
        this.store.deleteRequest(conversationId);
        return this.drain();
      }
      this.store.setParticipant(conversationId, row.agent, participantId);
      const routing = renderRouting(this.store.request(conversationId)!, null, Date.now());
      this.store.pushEvent(routingEvent("conversation.assigned", accountId, routing, Date.now()));
      this.presence.send(row.agent, { type: "conversation.assigned", routing });
      return "done";
    } finally {
      this.inflight.delete(conversationId);
    }
  }

  /** The participant id of an identity already in the conversation (added by hand, or by an earlier try). */
  private async findParticipant(stub: Rpc<ConversationDO>, accountId: string, identity: string): Promise<string | null> {
    for (let after = 0; ; ) {
      const page = await stub.listParticipants(accountId, after, 100);
      if (!page.ok) return null;
      const found = page.value.data.find((p) => p.identity === identity);
      if (found) return found.id;
      if (page.value.next === null) return null;
      after = page.value.next;
    }
  }

  /** One carrying of the events at a time: concurrent requests would each send the same rows. */
  private flush(): Promise<boolean> {
    this.flushing ??= this.flushEvents().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Whether every pending event reached D1 and the webhooks queue. */
  private async flushEvents(): Promise<boolean> {
    for (;;) {
      const rows = this.store.pendingEvents(EVENTS_PER_INSERT);
      if (rows.length === 0) return true;
      try {
        await publishEvents(this.env, rows.map((r) => JSON.parse(r.envelope) as EventEnvelope));
      } catch (error) {
        console.error("routing: events did not reach D1; the alarm retries:", error);
        return false;
      }
      this.store.dropEventsThrough(rows.at(-1)!.seq);
    }
  }

  private async retryLater(): Promise<void> {
    const attempts = this.store.owedAdds(1)[0]?.add_attempts ?? 1;
    await this.armAt(Date.now() + Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.min(attempts, 6)));
  }

  private async armAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
