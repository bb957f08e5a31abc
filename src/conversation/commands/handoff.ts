import type { EscalationReason, Handoff } from "../../contract/handoff";
import { err, ok, type Outcome } from "../../lib/problem";
import { renderHandoff } from "../assist-store";
import { reject, type ConversationCore, type Tx } from "../core";
import type { ConversationRow } from "../rows";
import { insertParticipant } from "./participants";

/**
 * Who answers the conversation (contract/handoff.ts): `bot` → `handoff_pending` (escalation or a
 * request) → `agent_active` (an agent accepted: the bot sends nothing on its own) → `bot` again when
 * the conversation is resolved or closed. Same conversation, same history throughout.
 *
 * A request is also an `assist:handoff` outbox row: the assist sink queues it, and the AI consumer
 * asks routing for an agent (src/routing `requestAgent`), at least once.
 */

export function view(core: ConversationCore, accountId: string): Outcome<Handoff> {
  const conv = core.visible(accountId);
  return conv ? ok(renderHandoff(conv.id, core.store.assist.assistant())) : err(404, "conversation not found");
}

/** Inside a change: hands the conversation off if the bot has it; false when a person already has (or is being given) it. */
export function requestHandoff(core: ConversationCore, tx: Tx, conv: ConversationRow, reasons: readonly EscalationReason[], found: { topic?: string | null; language?: string | null } = {}): boolean {
  const a = core.store.assist.assistant();
  if (a.handoff !== "bot") return false;
  core.store.assist.setAssistant({
    handoff: "handoff_pending",
    reasons: JSON.stringify([...new Set(reasons)]),
    requested_at: tx.now,
    accepted_at: null,
    agent: null,
    ...(found.topic !== undefined && { topic: found.topic }),
    ...(found.language !== undefined && { language: found.language }),
  });
  tx.event("handoff.requested", conv.id);
  tx.record("assist", "handoff");
  announce(core, tx, conv);
  return true;
}

/** POST …/handoff: an agent (or the business's own rules) asks for a person. */
export function request(core: ConversationCore, accountId: string): Outcome<Handoff> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    if (conv.status === "closed") reject(409, "the conversation is closed", "path.conversation_id");
    const requested = requestHandoff(core, tx, conv, ["api"]);
    return ok(renderHandoff(conv.id, core.store.assist.assistant()), requested ? 201 : 200);
  });
}

/**
 * The DRAFTS queue's dead letter for the customer's message at `index`: no draft came of it, so a
 * person answers it (`draft_failed`). Nothing changes when the message is gone, a draft exists after
 * all (a try that succeeded late), the conversation is closed, or a person already has it.
 */
export function draftFailed(core: ConversationCore, accountId: string, index: number): Outcome<Handoff> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    const m = core.store.messageByIndex(index);
    if (m?.author_kind === "customer" && !core.store.assist.draftForMessage(index) && conv.status !== "closed") {
      requestHandoff(core, tx, conv, ["draft_failed"]);
    }
    return ok(renderHandoff(conv.id, core.store.assist.assistant()));
  });
}

/** An agent takes the conversation: `agent_active`, the agent a participant (added if not in it). */
export function accept(core: ConversationCore, accountId: string, agent: string): Outcome<Handoff> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    if (conv.status === "closed") reject(409, "the conversation is closed", "path.conversation_id");
    const a = core.store.assist.assistant();
    if (a.handoff === "agent_active") {
      if (a.agent === agent) return ok(renderHandoff(conv.id, a));
      reject(409, `agent ${a.agent} has already accepted this conversation`, "body.agent");
    }
    const p = core.store.participantByIdentity(agent);
    if (p && p.kind !== "agent") reject(409, `${agent} is a ${p.kind} of this conversation, not an agent`, "body.agent");
    if (!p) insertParticipant(core, tx, { kind: "agent", identity: agent }, "body.agent");
    core.store.assist.setAssistant({ handoff: "agent_active", agent, accepted_at: tx.now, requested_at: a.requested_at ?? tx.now, low_streak: 0 });
    tx.event("handoff.accepted", conv.id);
    announce(core, tx, conv);
    return ok(renderHandoff(conv.id, core.store.assist.assistant()));
  });
}

/** Inside a change that resolves or closes the conversation: the bot has it again. */
export function release(core: ConversationCore, tx: Tx, conv: ConversationRow): void {
  const a = core.store.assist.assistant();
  if (a.handoff === "bot" && a.low_streak === 0) return;
  core.store.assist.setAssistant({ handoff: "bot", reasons: "[]", agent: null, low_streak: 0, requested_at: null, accepted_at: null });
  announce(core, tx, conv);
}

/** PATCH …/assistant: this conversation's AI override (null: the account's setting). */
export function setAi(core: ConversationCore, accountId: string, enabled: boolean | null): Outcome<Handoff> {
  return core.mutate(accountId, undefined, (conv, tx) => {
    core.store.assist.setAssistant({ ai_enabled: enabled === null ? null : enabled ? 1 : 0 });
    announce(core, tx, conv);
    return ok(renderHandoff(conv.id, core.store.assist.assistant()));
  });
}

function announce(core: ConversationCore, tx: Tx, conv: ConversationRow): void {
  tx.emit({ type: "handoff.updated", handoff: renderHandoff(conv.id, core.store.assist.assistant()) });
}
