import { LIMITS } from "../lib/limits";
import type { Presence } from "./presence";
import type { RequestRow, RoutingStore } from "./store";

/** What a conversation needs from an agent, as routing stores it. */
export type Need = { conversationId: string; topics: string[]; language: string | null; priority: number };

/** An online agent with a free seat, its lists parsed. */
type Free = { identity: string; skills: Set<string>; languages: string[] };

/** Takes any of the topics (none asked: anyone), and the language (an agent listing none takes any). */
const fits = (agent: Free, topics: readonly string[], language: string | null) =>
  (topics.length === 0 || topics.some((t) => agent.skills.has(t))) &&
  (language === null || agent.languages.length === 0 || agent.languages.includes(language));

/**
 * Routing decisions. Every function here is synchronous and is called with no `await` between its
 * reads and writes, so inside the account's one RoutingDO each decision is a transaction of its own
 * that no other request can interleave with (the input gate stays shut while nothing awaits): two
 * conversations asking at once for the last free seat are decided one after the other, and the
 * second sees the seat taken.
 *
 * The invariant that keeps a decision cheap: after every change that can free a seat or bring an
 * agent (a release, an agent coming online, created or changed), the queue is served (`drain`), so
 * no queued conversation fits any free seat. A new request can then take a free seat without
 * passing over anyone waiting, and is decided over the agents alone, whatever the queue's length.
 */
export class Decisions {
  constructor(
    private readonly store: RoutingStore,
    private readonly presence: Presence,
  ) {}

  /** Online agents with a free seat, best first. */
  private free(now: number): Free[] {
    const online = this.presence.online(now);
    if (online.size === 0) return [];
    return this.store
      .freeAgents()
      .filter((c) => online.has(c.identity))
      .map((c) => ({ identity: c.identity, skills: new Set(JSON.parse(c.skills) as string[]), languages: JSON.parse(c.languages) as string[] }));
  }

  /**
   * Places a request: assigned at once if someone fits, else queued. A conversation already assigned
   * keeps its agent; one already queued keeps its place in time and takes the new need (then the
   * queue is served, since the new need may fit a free seat). Answers whether it was newly queued.
   */
  place(need: Need, now: number): { row: RequestRow; queued: boolean } {
    const existing = this.store.request(need.conversationId);
    if (existing?.agent) return { row: existing, queued: false };
    const topics = JSON.stringify(need.topics);
    if (existing) {
      this.store.requeue(need.conversationId, topics, need.language, need.priority);
      this.drain(now);
    } else {
      this.store.insertRequest({ conversation_id: need.conversationId, topics, language: need.language, priority: need.priority, requested_at: now });
      const agent = this.free(now).find((a) => fits(a, need.topics, need.language));
      if (agent) this.store.assign(need.conversationId, agent.identity, now);
    }
    const row = this.store.request(need.conversationId)!;
    return { row, queued: row.agent === null && !existing };
  }

  /**
   * Serves the queue: priority first, then the longest waiting, each to the best agent that fits.
   * A request nobody fits does not hold back those behind it that someone does. Stops as soon as no
   * online agent has a free seat. Answers the conversations it assigned.
   */
  drain(now: number): string[] {
    const assigned: string[] = [];
    let free = this.free(now);
    for (let offset = 0; free.length > 0; ) {
      const page = this.store.queued(offset, LIMITS.routingDrainBatch);
      for (const row of page) {
        const agent = free.find((a) => fits(a, JSON.parse(row.topics) as string[], row.language));
        if (!agent) {
          offset++; // stays queued: the next page starts after it
          continue;
        }
        this.store.assign(row.conversation_id, agent.identity, now);
        assigned.push(row.conversation_id);
        // Loads moved: the order (and who still has a seat) is read again.
        free = this.free(now);
        if (free.length === 0) break;
      }
      if (page.length < LIMITS.routingDrainBatch) break;
    }
    return assigned;
  }
}
