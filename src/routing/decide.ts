import { LIMITS } from "../lib/limits";
import type { Presence } from "./presence";
import type { RequestRow, RoutingStore } from "./store";

/** What a conversation needs from an agent, as routing stores it. */
export type Need = { conversationId: string; topics: string[]; language: string | null; priority: number };

/**
 * Routing decisions. Every function here is synchronous and is called with no `await` between its
 * reads and writes, so inside the account's one RoutingDO each decision is a transaction of its own
 * that no other request can interleave with (the input gate stays shut while nothing awaits): two
 * conversations asking at once for the last free seat are decided one after the other, and the
 * second sees the seat taken.
 */
export class Decisions {
  constructor(
    private readonly store: RoutingStore,
    private readonly presence: Presence,
  ) {}

  /** The best online agent for this need, if any has a free seat. */
  pick(need: Pick<Need, "topics" | "language">, online: Set<string>): string | null {
    for (const c of this.store.candidates(need.topics, need.language)) if (online.has(c.identity)) return c.identity;
    return null;
  }

  /**
   * Places a request: assigned at once if someone fits, else queued. A conversation already assigned
   * keeps its agent; one already queued keeps its place in time and takes the new need.
   * Answers whether it was newly queued (the caller announces that).
   */
  place(need: Need, now: number): { row: RequestRow; queued: boolean } {
    const existing = this.store.request(need.conversationId);
    if (existing?.agent) return { row: existing, queued: false };
    const topics = JSON.stringify(need.topics);
    if (existing) this.store.requeue(need.conversationId, topics, need.language, need.priority);
    else this.store.insertRequest({ conversation_id: need.conversationId, topics, language: need.language, priority: need.priority, requested_at: now });
    // A queued request waits behind older ones of its priority or higher only if they could take
    // the same agent; serving the queue first (drain) keeps that order.
    this.drain(now);
    const row = this.store.request(need.conversationId)!;
    return { row, queued: row.agent === null && !existing };
  }

  /**
   * Serves the queue: priority first, then the longest waiting, each to the best agent that fits.
   * A request nobody fits does not hold back those behind it that someone does. Answers the
   * conversations it assigned.
   */
  drain(now: number): string[] {
    const online = this.presence.online(now);
    const assigned: string[] = [];
    // Stops as soon as no online agent has a free seat, so a long queue costs nothing while everyone is busy.
    const anySeat = () => this.pick({ topics: [], language: null }, online) !== null;
    if (!anySeat()) return assigned;
    for (let offset = 0; ; ) {
      const page = this.store.queued(offset, LIMITS.routingDrainBatch);
      for (const row of page) {
        const agent = this.pick({ topics: JSON.parse(row.topics) as string[], language: row.language }, online);
        if (agent === null) {
          offset++; // stays queued: the next page starts after it
          continue;
        }
        this.store.assign(row.conversation_id, agent, now);
        assigned.push(row.conversation_id);
        if (!anySeat()) return assigned;
      }
      if (page.length < LIMITS.routingDrainBatch) return assigned;
    }
  }
}
