import { PRIORITY_RANK, type Agent, type Priority, type Routing } from "../contract/agent";
import type { AgentRow, RequestRow } from "./store";

const PRIORITIES = Object.entries(PRIORITY_RANK).sort((a, b) => a[1] - b[1]).map(([name]) => name as Priority);
const iso = (ms: number) => new Date(ms).toISOString();

export const priorityName = (rank: number): Priority => PRIORITIES[rank] ?? "normal";

export function renderAgent(row: AgentRow, load: number, online: boolean): Agent {
  return {
    identity: row.identity,
    name: row.name,
    skills: JSON.parse(row.skills) as string[],
    languages: JSON.parse(row.languages) as string[],
    capacity: row.capacity,
    status: row.status,
    online,
    load,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** `position`: the request's place in the queue (1 next); null once assigned. */
export function renderRouting(row: RequestRow, position: number | null, now: number): Routing {
  const assigned = row.agent !== null && row.assigned_at !== null;
  return {
    conversation_id: row.conversation_id,
    status: assigned ? "assigned" : "queued",
    agent: row.agent,
    participant_id: row.participant_id,
    topics: JSON.parse(row.topics) as string[],
    language: row.language,
    priority: priorityName(row.priority),
    requested_at: iso(row.requested_at),
    assigned_at: row.assigned_at === null ? null : iso(row.assigned_at),
    waiting_ms: Math.max(0, (assigned ? row.assigned_at! : now) - row.requested_at),
    position: assigned ? null : position,
  };
}
