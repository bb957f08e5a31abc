import type { Conversation } from "../../contract/conversation";
import type { Message } from "../../contract/message";
import { renderConversation, renderMessage, type ConversationRow, type MessageRow, type ParticipantRow } from "../rows";
import type { AssistantRow, DraftRow } from "../assist-store";
import type { ConversationStore, OutboxKind, OutboxRow } from "../store";
import { decodeEventRef, eventMessageIndex, type EventRef } from "./event-ref";

/**
 * An outbox sink: one destination for what a conversation's changes say (`d1`, the read models
 * and, after them, the account stream; `delivery`, the DELIVERY queue; next events, search). Each sink keeps its own progress through the
 * outbox, so a failing sink neither holds the others back nor makes them redo their work: the
 * outbox retries it alone. Rows can reach a sink twice (after an eviction lost its progress), so a
 * sink must be safe under redelivery.
 */
export interface Sink {
  /** Stable: the sink's progress is stored under it. */
  readonly name: string;
  /**
   * Carries one batch. Everything it needs from the conversation it must read from `batch`
   * synchronously, before its first await: the state then matches the batch's rows exactly.
   * A throw leaves the sink's progress where it was, to be retried.
   */
  deliver(batch: PassBatch): Promise<void>;
}

/**
 * One pass's rows with the state they point at, read from the conversation's tables when the pass
 * runs (not copied into the outbox: ten changes to the conversation become one snapshot of its
 * latest state). Rendering is memoised, so sinks that need the same resource share the work.
 */
export class PassBatch {
  /** The last outbox row in the batch: a sink that delivered it has delivered everything before. */
  readonly through: number;
  readonly kinds: ReadonlySet<OutboxKind>;
  /** The conversation row; undefined only for an object whose create never committed. */
  readonly conv: ConversationRow | undefined;
  private rendered: Conversation | undefined;
  private renderedMessages: Message[] | undefined;
  private messageRows: MessageRow[] = [];
  private decodedEvents: { sequence: number; event: EventRef }[] | undefined;

  constructor(
    private readonly store: ConversationStore,
    readonly rows: OutboxRow[],
  ) {
    this.through = rows.at(-1)?.seq ?? 0;
    this.kinds = new Set(rows.map((r) => r.kind));
    this.conv = store.conversation();
  }

  /** Deleted conversations say nothing but that. */
  get deleted(): boolean {
    return this.kinds.has("deleted") || (this.conv !== undefined && this.conv.deleted_at !== null);
  }

  conversation(): Conversation {
    if (this.rendered) return this.rendered;
    const conv = this.conv!;
    // The conversation's last message is usually one the batch carries, already read.
    this.messages();
    const last = this.messageRows.at(-1);
    const latest = last?.idx === conv.next_index - 1 ? last : this.store.lastMessage();
    this.rendered = renderConversation(conv, this.store.participantCounts().total, latest);
    return this.rendered;
  }

  /** The batch's events, in sequence order. */
  events(): { sequence: number; event: EventRef }[] {
    this.decodedEvents ??= this.rows.filter((r) => r.kind === "event").map((r) => ({ sequence: r.seq, event: decodeEventRef(r.ref) }));
    return this.decodedEvents;
  }

  /** Messages the batch names (its message rows, and those its events are about), in index order (one range read, or none when the object just wrote them). */
  messages(): Message[] {
    if (this.renderedMessages) return this.renderedMessages;
    const indexes = new Set(this.rows.filter((r) => r.kind === "message").map((r) => Number(r.ref)));
    for (const { event } of this.events()) {
      const index = eventMessageIndex(event);
      if (index !== undefined) indexes.add(index);
    }
    if (indexes.size === 0 || !this.conv) return (this.renderedMessages = []);
    const [low, high] = [Math.min(...indexes), Math.max(...indexes)];
    const rows = this.store.messagesBetween(low, high).filter((m) => indexes.has(m.idx));
    const id = this.conv.id;
    this.messageRows = rows;
    return (this.renderedMessages = rows.map((m) => renderMessage(id, m)));
  }

  /** Message ids by index, read now (for sinks that name messages the batch's `delivery` rows point at). */
  messageIds(indexes: readonly number[]): Map<number, string> {
    return this.store.messageIds(indexes);
  }

  /** A draft's current row (undefined once the conversation's content is erased). */
  draftRow(id: string): DraftRow | undefined {
    return this.store.assist.draftById(id);
  }

  /** The conversation's AI override and handoff state, now. */
  assistant(): AssistantRow {
    return this.store.assist.assistant();
  }

  /** A participant's current row (undefined once removed). */
  participantRow(id: string): ParticipantRow | undefined {
    return this.store.participantById(id);
  }

  /** Participants the batch names: their current rows, and the ids of those since removed. */
  participants(): { current: ParticipantRow[]; removed: string[] } {
    const current: ParticipantRow[] = [];
    const removed: string[] = [];
    for (const ref of new Set(this.rows.filter((r) => r.kind === "participant").map((r) => r.ref))) {
      const p = this.store.participantById(ref);
      if (p) current.push(p);
      else removed.push(ref);
    }
    return { current, removed };
  }
}
