import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { DO_HEADERS } from "../lib/do-headers";
import { newId } from "../lib/ids";
import { LIMITS } from "../lib/limits";
import { err, ok, problemResponse, type Outcome, type Problem } from "../lib/problem";
import type { Conversation, CreateConversation, UpdateConversation } from "../contract/conversation";
import type { Message, SendMessage } from "../contract/message";
import type { AddParticipant, Participant } from "../contract/participant";
import type { ServerFrame } from "../contract/frames";
import { OutboxDrainer } from "./outbox";
import { renderConversation, renderMessage, renderParticipant, unreadCount, type ConversationRow, type MessageRow, type ParticipantRow } from "./rows";
import { Live } from "./live";
import { Room } from "./room";
import { hasSchema, migrate } from "./schema";
import { ConversationStore } from "./store";

/** While sockets are connected, the alarm checks their liveness this often. */
const SWEEP_EVERY_MS = 60_000;
/** After a change, the alarm comes back this soon in case the immediate drain did not get through. */
const DRAIN_FALLBACK_MS = 5_000;

/** An Idempotency-Key with the fingerprint of the request it came with (computed by the Worker). */
export type Idempotency = { key: string; fingerprint: string };

export type Page<T> = { data: T[]; next: number | null };
export type CreatedConversation = Conversation & { participants: Participant[]; message: Message | null };
export type MessageQuery = { order: "asc" | "desc"; after?: number; before?: number; limit: number };

/** Thrown inside a transaction to roll it back and answer with a problem: bad input changes nothing. */
class Rejected extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}
const reject = (status: number, detail: string, path?: string): never => {
  throw new Rejected(err(status, detail, path).problem);
};

/**
 * One conversation. It is the only writer of its messages and assigns each the next index inside
 * the same synchronous SQLite transaction that stores it, so indexes are gapless and unique without
 * locks: the DO runs one call at a time, and nothing here awaits between reading `next_index` and
 * writing it. Every change also writes an outbox row in that transaction, which OutboxDrainer
 * carries to D1 right after the commit (the alarm retries what it could not), so a 2xx means
 * committed here and reflected there soon after, never lost.
 *
 * Every method takes the caller's account id and answers 404 for another account's conversation
 * exactly as for one that does not exist.
 */
export class ConversationDO extends DurableObject<Env> {
  private readonly store: ConversationStore;
  private readonly room: Room;
  private readonly live: Live;
  private readonly outbox: OutboxDrainer;
  /** When the alarm is set for, as far as this instance knows (null: unknown, e.g. after eviction). */
  private alarmAt: number | null = null;
  /** Frames produced by the change in progress; broadcast only once it has committed. */
  private pendingFrames: ServerFrame[] = [];
  /** Whether this object has its schema, i.e. `create` ever ran here. */
  private created: boolean;
  /** When the alarm last swept sockets and forgot old idempotency keys. */
  private lastChoresAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ConversationStore(ctx.storage.sql);
    this.room = new Room(ctx);
    this.live = new Live(this.room, this.store);
    this.outbox = new OutboxDrainer(this.store, env, (at) => this.armAlarm(at));
    // Synchronous, so it completes before any request is delivered; no blockConcurrencyWhile needed.
    // Only `create` gives a schema to an object that has none (see hasSchema).
    this.created = hasSchema(ctx.storage.sql);
    if (this.created) migrate(ctx.storage.sql);
    // An alarm that exhausted its retries (say, through a D1 outage) leaves the outbox undrained
    // with nothing scheduled; re-arm it whenever the object starts with work pending.
    if (this.created && this.outbox.pending()) {
      void ctx.blockConcurrencyWhile(async () => {
        this.alarmAt = await ctx.storage.getAlarm();
        this.armAlarm(Date.now());
      });
    }
  }

  // ---- conversation ------------------------------------------------------------------------

  create(accountId: string, id: string, input: CreateConversation, idem?: Idempotency): Outcome<CreatedConversation> {
    if (!this.created) {
      migrate(this.ctx.storage.sql);
      this.created = true;
    }
    const existing = this.store.conversation();
    if (existing) {
      // The Worker creates under an existing id only to replay an Idempotency-Key.
      if (existing.account_id !== accountId || existing.deleted_at !== null) return err(404, "conversation not found");
      return this.mutate(accountId, idem, () => ok(this.createdView(existing, null), 201));
    }
    return this.mutate(null, idem, () => {
      const now = Date.now();
      this.store.insertConversation({
        id,
        account_id: accountId,
        unique_name: input.unique_name ?? null,
        friendly_name: input.friendly_name ?? null,
        subject: input.subject ?? null,
        channel: input.channel ?? null,
        status: "open",
        tags: JSON.stringify(input.tags ?? []),
        attributes: JSON.stringify(input.attributes ?? {}),
        last_activity_at: now,
        created_at: now,
        updated_at: now,
      });
      (input.participants ?? []).forEach((p, i) => this.insertParticipant(p, now, `body.participants[${i}]`));
      const message = input.message ? this.insertMessage(this.requireConversation(), input.message, now, "body.message") : null;
      this.outbox.enqueue("created", id);
      this.outbox.enqueue("conversation", id);
      return ok(this.createdView(this.requireConversation(), message), 201);
    });
  }

  /** Whether the account's conversation here is live, was deleted, or never existed (for name claims). */
  lifecycle(accountId: string): "live" | "deleted" | "absent" {
    const conv = this.created ? this.store.conversation() : undefined;
    if (!conv || conv.account_id !== accountId) return "absent";
    return conv.deleted_at === null ? "live" : "deleted";
  }

  get(accountId: string): Outcome<Conversation> {
    const conv = this.visible(accountId);
    return conv ? ok(this.view(conv)) : err(404, "conversation not found");
  }

  update(accountId: string, patch: UpdateConversation, idem?: Idempotency): Outcome<Conversation> {
    return this.mutate(accountId, idem, (conv) => {
      const now = Date.now();
      this.store.updateConversation(
        {
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.friendly_name !== undefined && { friendly_name: patch.friendly_name }),
          ...(patch.subject !== undefined && { subject: patch.subject }),
          ...(patch.tags !== undefined && { tags: JSON.stringify(patch.tags) }),
          ...(patch.attributes !== undefined && { attributes: JSON.stringify(patch.attributes) }),
        },
        now,
      );
      this.outbox.enqueue("conversation", conv.id);
      if (patch.tags !== undefined) this.outbox.enqueue("tags", conv.id);
      const conversation = this.view(this.requireConversation());
      this.pendingFrames.push({ type: "conversation.updated", conversation });
      return ok(conversation);
    });
  }

  /** Deletes the conversation with its messages; the D1 copies follow through the outbox. */
  destroy(accountId: string): Outcome<null> {
    return this.mutate(accountId, undefined, (conv) => {
      const now = Date.now();
      this.store.eraseContent();
      this.store.updateConversation({ deleted_at: now }, now);
      this.outbox.enqueue("deleted", conv.id);
      for (const ws of this.room.sockets()) ws.close(4004, "the conversation was deleted");
      return ok(null, 204);
    });
  }

  // ---- participants ------------------------------------------------------------------------

  addParticipant(accountId: string, input: AddParticipant, idem?: Idempotency): Outcome<Participant> {
    return this.mutate(accountId, idem, (conv) => {
      const row = this.insertParticipant(input, Date.now(), "body");
      return ok(this.participantView(conv, row), 201);
    });
  }

  listParticipants(accountId: string, afterSeq: number, limit: number): Outcome<Page<Participant>> {
    const conv = this.visible(accountId);
    if (!conv) return err(404, "conversation not found");
    const rows = this.store.participantsPage(afterSeq, limit + 1);
    const data = rows.slice(0, limit).map((p) => this.participantView(conv, p));
    return ok({ data, next: rows.length > limit ? (rows[limit - 1]?.seq ?? null) : null });
  }

  getParticipant(accountId: string, participantId: string): Outcome<Participant> {
    const conv = this.visible(accountId);
    const p = conv && this.store.participantById(participantId);
    return conv && p ? ok(this.participantView(conv, p)) : err(404, "participant not found");
  }

  removeParticipant(accountId: string, participantId: string): Outcome<null> {
    return this.mutate(accountId, undefined, (conv) => {
      if (!this.store.participantById(participantId)) reject(404, "participant not found");
      this.store.deleteParticipant(participantId);
      this.store.updateConversation({}, Date.now());
      this.pendingFrames.push({ type: "participant.removed", participant_id: participantId });
      for (const ws of this.room.sockets(participantId)) ws.close(4004, "removed from the conversation");
      this.outbox.enqueue("participant", participantId);
      this.outbox.enqueue("conversation", conv.id);
      return ok(null, 204);
    });
  }

  /** Moves a read horizon forward; an older index leaves it where it is. */
  markRead(accountId: string, participantId: string, lastReadIndex: number): Outcome<Participant> {
    return this.mutate(accountId, undefined, (conv) => {
      this.moveReadHorizon(conv, participantId, lastReadIndex, "body.last_read_index");
      return ok(this.participantView(conv, this.store.participantById(participantId)!));
    });
  }

  // ---- messages ----------------------------------------------------------------------------

  send(accountId: string, input: SendMessage, idem?: Idempotency): Outcome<Message> {
    return this.mutate(accountId, idem, (conv) => ok(this.insertMessage(conv, input, Date.now(), "body"), 201));
  }

  listMessages(accountId: string, q: MessageQuery): Outcome<Page<Message>> {
    const conv = this.visible(accountId);
    if (!conv) return err(404, "conversation not found");
    const rows = this.store.messagesPage(q.after ?? -1, q.before ?? Number.MAX_SAFE_INTEGER, q.order, q.limit + 1);
    const data = rows.slice(0, q.limit).map((m) => renderMessage(conv.id, m));
    return ok({ data, next: rows.length > q.limit ? (data.at(-1)?.index ?? null) : null });
  }

  getMessage(accountId: string, messageId: string): Outcome<Message> {
    const conv = this.visible(accountId);
    const m = conv && this.store.messageById(messageId);
    return conv && m ? ok(renderMessage(conv.id, m)) : err(404, "message not found");
  }

  // ---- outbox ------------------------------------------------------------------------------

  /**
   * The one alarm, at the earliest of what is due: the next outbox pass when passes are being
   * spaced out under load (see OutboxDrainer), the outbox's durable fallback a few seconds after a
   * change, and, while sockets are connected, a liveness sweep every SWEEP_EVERY_MS. An alarm does
   * not keep the object awake between runs, as a timer would.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    if (!this.created) return;
    const now = Date.now();
    // Under load the alarm also paces outbox passes (every few dozen ms): the chores wait their turn.
    if (now - this.lastChoresAt >= SWEEP_EVERY_MS / 2) {
      this.lastChoresAt = now;
      this.live.sweep(now);
      this.store.forgetIdempotencyBefore(now - LIMITS.idempotencyWindowMs);
    }
    // A throw here makes the runtime retry the alarm with backoff; undelivered rows stay put.
    await this.outbox.drainAll();
    if (this.room.sockets().length > 0) this.armAlarm(Date.now() + SWEEP_EVERY_MS);
  }

  /** Sets the alarm for `at` unless it is already due sooner. */
  private armAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    // Not awaited on purpose: the output gate holds our reply until the alarm write is durable.
    void this.ctx.storage.setAlarm(at);
  }

  // ---- live: WebSockets ------------------------------------------------------------------------

  /**
   * WebSocket upgrades, forwarded by the Worker after it authenticated the caller. The Worker is the
   * only client of this object, so the `x-parley-*` headers it sets are trusted; nothing else is.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const accountId = request.headers.get(DO_HEADERS.account) ?? "";
    const identity = request.headers.get(DO_HEADERS.identity);
    const resumeFrom = request.headers.get(DO_HEADERS.lastIndex);
    const conv = this.visible(accountId);
    const participant = conv && identity !== null ? this.store.participantByIdentity(identity) : undefined;
    if (!conv || (identity !== null && !participant)) return problemResponse(err(404, "conversation not found").problem);

    const pair = new WebSocketPair();
    const now = Date.now();
    this.live.welcome(pair[1], conv, participant, participant ? this.participantView(conv, participant) : null, resumeFrom === null ? null : Number(resumeFrom), now);
    if (this.alarmAt === null) this.alarmAt = await this.ctx.storage.getAlarm();
    this.armAlarm(now + SWEEP_EVERY_MS);
    const protocol = request.headers.get(DO_HEADERS.protocol);
    return new Response(null, { status: 101, webSocket: pair[0], headers: protocol ? { "sec-websocket-protocol": protocol } : {} });
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    const now = Date.now();
    if (!this.room.fits(ws, data) || !this.room.allow(ws, now)) return;
    const frame = this.live.parse(ws, data);
    if (!frame) return;
    const who = this.room.who(ws);
    const conv = this.store.conversation();
    if (!conv || conv.deleted_at !== null) return ws.close(4004, "the conversation was deleted");
    switch (frame.type) {
      case "resume":
        return this.live.replay(ws, frame.last_index, who.connectIndex);
      case "typing":
        if (!who.participantId) return this.room.send(ws, { type: "error", code: "forbidden", message: "observers cannot type" });
        return this.room.typing(who.participantId, frame.state, now);
      case "read": {
        const participantId = who.participantId;
        if (!participantId) return this.room.send(ws, { type: "error", code: "forbidden", message: "observers have no read horizon" });
        const outcome = this.mutate(conv.account_id, undefined, () => {
          this.moveReadHorizon(conv, participantId, frame.last_read_index, "last_read_index");
          return ok(null);
        });
        if (!outcome.ok) this.room.send(ws, { type: "error", code: "invalid", message: outcome.problem.detail });
        return;
      }
    }
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.live.gone(ws, code);
  }

  override webSocketError(ws: WebSocket): void {
    this.live.gone(ws, 1011);
  }

  // ---- internals ---------------------------------------------------------------------------

  /**
   * Runs a change as one transaction. A `Rejected` throw rolls everything back and becomes the
   * answer; an Idempotency-Key replays the first success (or 422s if the request differs).
   * `accountId` is checked first, before any stored response can be replayed: a key is only ever
   * answered to the account that owns the conversation (null only while creating it).
   */
  private mutate<T>(accountId: string, idem: Idempotency | undefined, change: (conv: ConversationRow) => Outcome<T>): Outcome<T>;
  private mutate<T>(accountId: null, idem: Idempotency | undefined, change: () => Outcome<T>): Outcome<T>;
  private mutate<T>(accountId: string | null, idem: Idempotency | undefined, change: (conv: ConversationRow) => Outcome<T>): Outcome<T> {
    this.pendingFrames = [];
    try {
      const outcome = this.ctx.storage.transactionSync((): Outcome<T> => {
        // Only `create` passes null, and its change takes no conversation.
        const conv = accountId === null ? (undefined as never) : this.owned(accountId);
        if (idem) {
          const prior = this.store.idempotencyRecord(idem.key);
          if (prior) {
            if (prior.fingerprint !== idem.fingerprint) {
              reject(422, "this Idempotency-Key was used with a different request", "header.idempotency-key");
            }
            return { ok: true, value: JSON.parse(prior.response) as T, status: prior.status, replayed: true };
          }
        }
        const result = change(conv);
        if (!result.ok) throw new Rejected(result.problem);
        this.outbox.settle();
        if (idem) this.store.recordIdempotency(idem.key, idem.fingerprint, result.status ?? 200, JSON.stringify(result.value), Date.now());
        return result;
      });
      // Sent after the commit; the output gate also holds them until the writes are durable.
      // Before the outbox pass starts, so the fan-out does not wait behind its rendering.
      for (const frame of this.pendingFrames) this.room.broadcast(frame);
      // Replays and changes that changed nothing (an old read index) leave the outbox alone.
      if (this.outbox.takeWrote()) {
        const now = Date.now();
        this.armAlarm(now + DRAIN_FALLBACK_MS);
        this.outbox.kick(now);
      }
      return outcome;
    } catch (e) {
      this.outbox.forgetUnread();
      if (e instanceof Rejected) return { ok: false, problem: e.problem };
      throw e;
    }
  }

  /** The conversation if it exists, belongs to the account and is not deleted. */
  private visible(accountId: string): ConversationRow | undefined {
    if (!this.created) return undefined;
    const conv = this.store.conversation();
    return conv && conv.account_id === accountId && conv.deleted_at === null ? conv : undefined;
  }

  private owned(accountId: string): ConversationRow {
    return this.visible(accountId) ?? reject(404, "conversation not found");
  }

  private requireConversation(): ConversationRow {
    return this.store.conversation() ?? reject(404, "conversation not found");
  }

  private participantView(conv: ConversationRow, p: ParticipantRow): Participant {
    return renderParticipant(conv.id, conv.next_index, p, this.room.isOnline(p.id));
  }

  /**
   * Moves a read horizon forward (never back) and, when `announce`, tells every socket. An author's
   * horizon moving to their own message is not announced: every client can infer it from the
   * `message.added`, and it would double the frames of each send.
   */
  private moveReadHorizon(conv: ConversationRow, participantId: string, lastReadIndex: number, path: string, announce = true): void {
    const p = this.store.participantById(participantId) ?? reject(404, "participant not found");
    if (lastReadIndex >= conv.next_index) {
      reject(422, `last_read_index ${lastReadIndex} is past the last message (${conv.next_index - 1})`, path);
    }
    if (p.last_read_index !== null && lastReadIndex <= p.last_read_index) return;
    this.store.setReadHorizon(participantId, lastReadIndex, Date.now());
    this.outbox.enqueue("participant", participantId);
    if (!announce) return;
    this.pendingFrames.push({
      type: "read.updated",
      participant_id: participantId,
      last_read_index: lastReadIndex,
      unread_count: unreadCount(conv.next_index, lastReadIndex),
    });
  }

  private view(conv: ConversationRow): Conversation {
    return renderConversation(conv, this.store.participantCounts().total, this.store.lastMessage());
  }

  private createdView(conv: ConversationRow, message: Message | null): CreatedConversation {
    const participants = this.store.allParticipants().map((p) => this.participantView(conv, p));
    const first = message ?? (conv.next_index > 0 ? renderMessage(conv.id, this.store.messageByIndex(0)!) : null);
    return { ...this.view(conv), participants, message: first };
  }

  private insertParticipant(input: AddParticipant, now: number, path: string): ParticipantRow {
    const conv = this.requireConversation();
    const channel = input.channel ?? "chat";
    // Email addresses are case-insensitive in practice; phone numbers and PSIDs have no case.
    const address = channel === "chat" ? null : channel === "email" ? (input.address?.toLowerCase() ?? null) : (input.address ?? null);
    const identity = input.identity ?? null;
    const taken = this.store.takenHandle(address, identity);
    if (taken) reject(409, `a participant with this ${taken} is already in the conversation`, `${path}.${taken}`);
    const counts = this.store.participantCounts();
    if (counts.total >= LIMITS.participantsPerConversation) {
      reject(422, `a conversation has at most ${LIMITS.participantsPerConversation} participants`, path);
    }
    if (address !== null && counts.external >= LIMITS.channelParticipantsPerConversation) {
      reject(422, `a conversation has at most ${LIMITS.channelParticipantsPerConversation} participants on external channels`, `${path}.address`);
    }
    const row: ParticipantRow = {
      id: newId("participant"),
      kind: input.kind,
      channel,
      address,
      identity,
      attributes: JSON.stringify(input.attributes ?? {}),
      last_read_index: null,
      last_seen_at: null,
      created_at: now,
      updated_at: now,
    };
    this.store.insertParticipant(row);
    // The conversation takes the channel of its first channel-bound participant unless it was given one.
    this.store.updateConversation(conv.channel === null && address !== null ? { channel } : {}, now);
    this.outbox.enqueue("participant", row.id);
    this.outbox.enqueue("conversation", conv.id);
    this.pendingFrames.push({ type: "participant.added", participant: renderParticipant(conv.id, conv.next_index, row, false) });
    return row;
  }

  /**
   * Stores a message at the next index. Must run inside `mutate`, with `conv` read in the same
   * transaction: it reads next_index and writes it back.
   */
  private insertMessage(conv: ConversationRow, input: SendMessage, now: number, path: string): Message {
    if (conv.status === "closed") reject(409, "the conversation is closed; reopen it to send", path);
    const author = input.author === undefined ? undefined : this.store.participantByRef(input.author);
    if (input.author !== undefined && !author) {
      reject(422, "author must be a participant id, identity or address of this conversation", `${path}.author`);
    }
    const channel = input.channels?.[0] ?? author?.channel ?? conv.channel ?? "chat";
    const deliveryChannel = input.channels?.[0] ?? this.store.externalRecipientChannel(author?.id ?? null);
    const row: MessageRow = {
      idx: conv.next_index,
      id: newId("message"),
      author: author ? (author.identity ?? author.address ?? author.id) : "system",
      author_kind: author?.kind ?? "system",
      participant_id: author?.id ?? null,
      body: input.body ?? "",
      media: JSON.stringify(input.media ?? []),
      channel,
      attributes: JSON.stringify(input.attributes ?? {}),
      delivery: deliveryChannel && deliveryChannel !== "chat" ? JSON.stringify({ status: "queued", channel: deliveryChannel, attempts: [] }) : null,
      created_at: now,
      updated_at: now,
    };
    this.store.insertMessage(row);
    this.store.updateConversation({ next_index: row.idx + 1, last_activity_at: now }, now);
    this.outbox.enqueue("message", String(row.idx));
    this.outbox.enqueue("conversation", conv.id);
    const message = renderMessage(conv.id, row);
    this.pendingFrames.push({ type: "message.added", message });
    // Authors have read what they wrote.
    if (author) this.moveReadHorizon({ ...conv, next_index: row.idx + 1 }, author.id, row.idx, `${path}.author`, false);
    return message;
  }
}
