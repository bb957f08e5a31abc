import type { ConversationStatus, Timers as TimersInput } from "../../contract/conversation";
import type { EventReason } from "../../contract/events";
import { parseDuration } from "../../lib/duration";
import { ok } from "../../lib/problem";
import { release as releaseHandoff } from "../commands/handoff";
import type { ConversationCore, Tx } from "../core";
import type { ConversationRow } from "../rows";

/**
 * The lifecycle timers (`inactive_after`, `closed_after`), counted from the last activity and
 * fired by the object's one alarm (the `lifecycle` duty): an alarm, not a timer, so a quiet
 * conversation sleeps until its time comes. A message is activity: it moves an inactive
 * conversation back to open and so restarts the count.
 */

/** The timers' columns for a create or a PATCH: a duration sets one, null turns it off, absent leaves it. */
export function timerColumns(t: TimersInput | undefined): Partial<Pick<ConversationRow, "inactive_after_ms" | "closed_after_ms">> {
  if (!t) return {};
  const ms = (d: string | null) => (d === null ? null : parseDuration(d));
  return {
    ...(t.inactive_after !== undefined && { inactive_after_ms: ms(t.inactive_after) }),
    ...(t.closed_after !== undefined && { closed_after_ms: ms(t.closed_after) }),
  };
}

/** When the next timer of the conversation as it stands is due, or null if none will fire. */
export function nextDue(conv: ConversationRow): number | null {
  const due: number[] = [];
  if (conv.deleted_at !== null || conv.status === "closed") return null;
  if (conv.status === "open" && conv.inactive_after_ms !== null) due.push(conv.last_activity_at + conv.inactive_after_ms);
  if (conv.closed_after_ms !== null) due.push(conv.last_activity_at + conv.closed_after_ms);
  return due.length > 0 ? Math.min(...due) : null;
}

/** Asks the alarm for the conversation's next timer, after the change that may have moved it commits. */
export function rearm(core: ConversationCore, tx: Tx, conv: ConversationRow): void {
  const at = nextDue(conv);
  if (at !== null) tx.afterCommit(() => core.timers.schedule("lifecycle", at));
}

/** Moves the status, with its event and frame (reason: what moved it). Inside a change. */
export function setStatus(core: ConversationCore, tx: Tx, conv: ConversationRow, status: ConversationStatus, reason: EventReason): void {
  if (conv.status === status) return;
  core.store.updateConversation({ status }, tx.now);
  tx.record("conversation", conv.id);
  tx.event("conversation.updated", conv.id, reason);
  if (status === "closed") tx.event("conversation.closed", conv.id, reason);
  // Resolving (or closing) hands the conversation back to the bot.
  if (status === "resolved" || status === "closed") releaseHandoff(core, tx, conv);
  tx.emit({ type: "conversation.updated", conversation: core.view(core.requireConversation()) });
}

/** The alarm's duty: applies whichever timers are due; returns when the next one is. */
export function fire(core: ConversationCore, now: number): number | null {
  const conv = core.store.conversation();
  if (!conv || conv.deleted_at !== null) return null;
  const due = nextDue(conv);
  if (due === null) return null;
  if (due > now) return due;
  const outcome = core.mutate(conv.account_id, undefined, (current, tx) => {
    const idle = tx.now - current.last_activity_at;
    if (current.status !== "closed" && current.closed_after_ms !== null && idle >= current.closed_after_ms) {
      setStatus(core, tx, current, "closed", "timer");
    } else if (current.status === "open" && current.inactive_after_ms !== null && idle >= current.inactive_after_ms) {
      setStatus(core, tx, current, "inactive", "timer");
    }
    return ok(null);
  });
  if (!outcome.ok) return null;
  const after = core.store.conversation();
  return after ? nextDue(after) : null;
}
