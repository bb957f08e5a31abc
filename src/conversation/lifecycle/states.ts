import type { ConversationStatus } from "../../contract/conversation";

/**
 * The conversation's states and the moves between them.
 *
 * ```
 *            timer (inactive_after)
 *   open ───────────────────────────► inactive
 *    ▲ ◄──────── activity ─────────────┘ │
 *    │ ▲                                 │
 *    │ └── reopen / customer writes ─┐   │
 *    │                           resolved│
 *    └── reopen ── closed ◄── api / timer (closed_after) ──┘
 * ```
 * - `inactive` is the timer's to set; any message moves it back to `open`.
 * - `resolved` is an agent's call; the customer writing again reopens it.
 * - `closed` is read-only: no messages, no participants. Only an explicit PATCH reopens it; a
 *   customer's inbound message starts a new conversation instead (linked to this one).
 */
const BY_API: Record<ConversationStatus, readonly ConversationStatus[]> = {
  open: ["resolved", "closed"],
  inactive: ["open", "resolved", "closed"],
  resolved: ["open", "closed"],
  closed: ["open"],
};

/** Null when the API may move `from` to `to` (staying put is always allowed); else why not. */
export function apiTransitionRefusal(from: ConversationStatus, to: ConversationStatus): string | null {
  if (from === to || BY_API[from].includes(to)) return null;
  if (to === "inactive") return "a conversation becomes inactive by its inactive_after timer, not by request";
  return `a ${from} conversation cannot become ${to} (from ${from}: ${BY_API[from].join(", ")})`;
}
