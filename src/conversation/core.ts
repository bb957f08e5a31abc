import type { Conversation, CreatedConversation } from "../contract/conversation";
import type { ServerFrame } from "../contract/frames";
import type { Message } from "../contract/message";
import type { Participant } from "../contract/participant";
import { LIMITS } from "../lib/limits";
import { err, type Outcome, type Problem } from "../lib/problem";
import type { EventReason, EventType } from "../contract/events";
import { encodeEventRef } from "./outbox/event-ref";
import type { Outbox, OutboxKind } from "./outbox/outbox";
import { renderConversation, renderMessage, renderParticipant, type ConversationRow, type ParticipantRow } from "./rows";
import type { Room } from "./sockets/room";
import type { ConversationStore } from "./store";
import type { Timers } from "./timers";

/** An Idempotency-Key with the fingerprint of the request it came with (computed by the Worker). */
export type Idempotency = { key: string; fingerprint: string };

/** Thrown inside a change to roll it back and answer with a problem: bad input changes nothing. */
export class Rejected extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export const reject = (status: number, detail: string, path?: string): never => {
  throw new Rejected(err(status, detail, path).problem);
};

/** What a change can do besides writing the store, all of it inside its one transaction. */
export type Tx = {
  readonly now: number;
  /** Records for the outbox sinks (D1 by the projection queue, delivery) what the change touched. */
  record(kind: OutboxKind, ref: string): void;
  /**
   * Records an event of the catalog (webhooks), about `subject` (what the event type names: the
   * conversation id, a participant id, a message index, `<index>:<participant id>` for a delivery).
   * Its sequence is its outbox row's, so events are ordered per conversation as they committed.
   */
  event(type: EventType, subject: string, reason?: EventReason): void;
  /** A frame for every socket, sent once the change has committed (never for a rolled-back one). */
  emit(frame: ServerFrame): void;
  /** Work for after the commit, such as closing sockets the change shut out. */
  afterCommit(fn: () => void): void;
};

/**
 * The state one conversation's commands share: its store, sockets, outbox and timers, the rules for
 * who may see it, and `mutate`, the one way to change it. Commands (commands/*) are functions of
 * this; the Durable Object class only routes RPC calls to them.
 */
export class ConversationCore {
  constructor(
    readonly store: ConversationStore,
    readonly room: Room,
    readonly outbox: Outbox,
    readonly timers: Timers,
    /** Whether this object has its schema, i.e. `create` ever ran here. */
    public created: boolean,
  ) {}

  /** The conversation if it exists, belongs to the account and is not deleted. */
  visible(accountId: string): ConversationRow | undefined {
    if (!this.created) return undefined;
    const conv = this.store.conversation();
    return conv && conv.account_id === accountId && conv.deleted_at === null ? conv : undefined;
  }

  requireConversation(): ConversationRow {
    return this.store.conversation() ?? reject(404, "conversation not found");
  }

  participantView(conv: ConversationRow, p: ParticipantRow): Participant {
    return renderParticipant(conv.id, conv.next_index, p, this.room.isOnline(p.id));
  }

  view(conv: ConversationRow): Conversation {
    return renderConversation(conv, this.store.participantCounts().total, this.store.lastMessage());
  }

  createdView(conv: ConversationRow, message: Message | null): CreatedConversation {
    const participants = this.store.allParticipants().map((p) => this.participantView(conv, p));
    const first = message ?? (conv.next_index > 0 ? renderMessage(conv.id, this.store.messageByIndex(0)!) : null);
    return { ...this.view(conv), participants, message: first };
  }

  /**
   * Runs a change of the account's conversation as one transaction. A `Rejected` throw (or a failed
   * outcome) rolls everything back and becomes the answer; an Idempotency-Key replays the first
   * success, or 422s if the request differs. The account is checked before any stored response can
   * be replayed: a key is only ever answered to the account that owns the conversation.
   */
  mutate<T>(accountId: string, idem: Idempotency | undefined, change: (conv: ConversationRow, tx: Tx) => Outcome<T>, origin?: WebSocket): Outcome<T> {
    return this.transact(() => this.visible(accountId) ?? reject(404, "conversation not found"), idem, change, origin);
  }

  /** `mutate` for the one change that has no conversation yet: creating it. */
  mutateNew<T>(idem: Idempotency | undefined, change: (tx: Tx) => Outcome<T>): Outcome<T> {
    return this.transact(() => undefined, idem, (_conv, tx) => change(tx));
  }

  /**
   * `owner` runs first, inside the transaction, so no replay reaches a caller it would refuse.
   * `origin`, the socket a change came from, gets no broadcast of it: it gets its own answer.
   */
  private transact<C, T>(owner: () => C, idem: Idempotency | undefined, change: (conv: C, tx: Tx) => Outcome<T>, origin?: WebSocket): Outcome<T> {
    const frames: ServerFrame[] = [];
    const after: (() => void)[] = [];
    const now = Date.now();
    const tx: Tx = {
      now,
      record: (kind, ref) => this.outbox.record(kind, ref),
      event: (type, subject, reason) => this.outbox.record("event", encodeEventRef({ type, subject, reason, at: now })),
      emit: (frame) => frames.push(frame),
      afterCommit: (fn) => after.push(fn),
    };
    try {
      return this.outbox.change(
        (): Outcome<T> => {
          const conv = owner();
          const prior = idem && this.store.idempotency.find(idem.key);
          if (idem && prior) {
            if (prior.fingerprint !== idem.fingerprint) {
              reject(422, "this Idempotency-Key was used with a different request", "header.idempotency-key");
            }
            return { ok: true, value: JSON.parse(prior.response) as T, status: prior.status, replayed: true };
          }
          const result = change(conv, tx);
          if (!result.ok) throw new Rejected(result.problem);
          if (idem) {
            this.store.idempotency.record(idem.key, idem.fingerprint, result.status ?? 200, JSON.stringify(result.value), now);
            after.push(() => this.timers.schedule("idempotency", now + LIMITS.idempotencyWindowMs));
          }
          return result;
        },
        () => {
          // Sent after the commit; the output gate also holds them until the writes are durable.
          for (const frame of frames) this.room.broadcast(frame, undefined, origin);
          for (const fn of after) fn();
        },
      );
    } catch (e) {
      if (e instanceof Rejected) return { ok: false, problem: e.problem };
      throw e;
    }
  }
}
