import { DurableObject } from "cloudflare:workers";
import type { InboundMessage } from "../channels/inbound";
import type { Conversation, CreatedConversation, CreateConversation, UpdateConversation } from "../contract/conversation";
import type { Message, SendMessage } from "../contract/message";
import type { AddParticipant, Participant } from "../contract/participant";
import type { ApproveDraft, Draft, RejectDraft } from "../contract/draft";
import type { Handoff } from "../contract/handoff";
import type { Env } from "../env";
import { err, type Outcome } from "../lib/problem";
import type { AttemptReport, ReceiptReport } from "../delivery/state";
import { isDeletedConversation } from "../retention/d1";
import type { RetentionPolicy } from "../retention/policy";
import { assemble } from "./assemble";
import * as conversation from "./commands/conversation";
import * as deletion from "./commands/deletion";
import * as delivery from "./commands/delivery";
import * as drafts from "./commands/drafts";
import * as handoff from "./commands/handoff";
import * as inbound from "./commands/inbound";
import * as messages from "./commands/messages";
import * as participants from "./commands/participants";
import { reproject as reprojectLost, type Lost } from "./commands/reproject";
import type { ConversationCore, Idempotency } from "./core";
import type { Outbox } from "./outbox/outbox";
import { handleClientFrame } from "./sockets/client-frames";
import type { Live } from "./sockets/live";
import { upgrade } from "./sockets/upgrade";

export type { Idempotency } from "./core";
export type { MessageQuery } from "./commands/messages";
export type { Page } from "./commands/participants";
export type { DeliveryClaim } from "./commands/delivery";

/**
 * One conversation: the only writer of its messages, participants and read horizons, and the hub
 * of its WebSockets. This class is the RPC surface and the runtime's entry points; the work lives in
 * commands/ (one module per resource), core.ts (`mutate`, the one way to change anything, which
 * writes the outbox in the same transaction), outbox/ (carrying changes to their sinks: D1 and, after it, the
 * account stream), sockets/ (upgrade.ts accepts a socket, live.ts and room.ts keep them) and
 * timers.ts (the duties of the one alarm). assemble.ts wires these together and starts the object:
 * the alarm's duties, the outbox's sinks, the start-up sequence.
 *
 * Every method takes the caller's account id and answers 404 for another account's conversation
 * exactly as for one that does not exist.
 */
export class ConversationDO extends DurableObject<Env> {
  /** Public so tests and the bench can switch draining to manual (`outbox.mode`) and drain by hand. */
  readonly outbox: Outbox;
  private readonly core: ConversationCore;
  private readonly live: Live;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const parts = assemble(ctx, env);
    this.outbox = parts.outbox;
    this.core = parts.core;
    this.live = parts.live;
  }

  // ---- conversation ------------------------------------------------------------------------

  /**
   * An object with no storage may be a deleted conversation that erased itself: D1's tombstone
   * keeps a stray create under its id (a replayed Idempotency-Key, a contact's inbound message to
   * its old thread) from bringing it back. One primary-key read, for new conversations only.
   */
  async create(accountId: string, id: string, input: CreateConversation, idem?: Idempotency): Promise<Outcome<CreatedConversation>> {
    if (!this.core.created && (await isDeletedConversation(this.env.DB, id))) return err(404, "conversation not found");
    return conversation.create(this.core, this.ctx.storage.sql, accountId, id, input, idem);
  }
  lifecycle(accountId: string): "live" | "deleted" | "absent" {
    return conversation.lifecycle(this.core, accountId);
  }
  get(accountId: string): Outcome<Conversation> {
    return conversation.get(this.core, accountId);
  }
  update(accountId: string, patch: UpdateConversation, idem?: Idempotency): Outcome<Conversation> {
    return conversation.update(this.core, accountId, patch, idem);
  }
  /** `options.accountHold`: the account's legal hold, which the Worker reads (a hold of either kind is a 409). */
  destroy(accountId: string, options?: deletion.DestroyOptions): Outcome<null> {
    return deletion.destroy(this.core, accountId, options);
  }
  /** The retention job's call (src/retention/job.ts): what is past its time goes, unless held. */
  retain(accountId: string, policy: RetentionPolicy, now: number, maxMessages: number): Outcome<deletion.Retained> {
    return deletion.retain(this.core, accountId, policy, now, maxMessages);
  }

  // ---- participants ------------------------------------------------------------------------

  addParticipant(accountId: string, input: AddParticipant, idem?: Idempotency): Outcome<Participant> {
    return participants.add(this.core, accountId, input, idem);
  }
  listParticipants(accountId: string, afterSeq: number, limit: number): Outcome<participants.Page<Participant>> {
    return participants.list(this.core, accountId, afterSeq, limit);
  }
  getParticipant(accountId: string, participantId: string): Outcome<Participant> {
    return participants.get(this.core, accountId, participantId);
  }
  removeParticipant(accountId: string, participantId: string): Outcome<null> {
    return participants.remove(this.core, accountId, participantId);
  }
  markRead(accountId: string, participantId: string, lastReadIndex: number): Outcome<Participant> {
    return participants.markRead(this.core, accountId, participantId, lastReadIndex);
  }

  // ---- messages ----------------------------------------------------------------------------

  /** `defaults`: the account's fallback order, which the Worker passes from its settings. */
  send(accountId: string, input: SendMessage, idem?: Idempotency, defaults?: delivery.SendDefaults): Outcome<Message> {
    return messages.send(this.core, accountId, input, idem, undefined, defaults);
  }
  listMessages(accountId: string, q: messages.MessageQuery): Outcome<participants.Page<Message>> {
    return messages.list(this.core, accountId, q);
  }
  getMessage(accountId: string, messageId: string): Outcome<Message> {
    return messages.get(this.core, accountId, messageId);
  }
  /** Makes the message (by index or id) a tombstone; `accountHold` as for `destroy`. */
  deleteMessage(accountId: string, ref: deletion.MessageRef, accountHold: boolean): Outcome<Message> {
    return deletion.deleteMessage(this.core, accountId, ref, accountHold);
  }
  /** Carries again what a projection that never reached D1 had carried (the dead-letter consumer). */
  reproject(accountId: string, lost: Lost): Outcome<null> {
    return reprojectLost(this.core, accountId, lost);
  }
  /** A customer's message from a provider webhook (the Worker verified its signature). */
  ingest(accountId: string, message: InboundMessage): Outcome<inbound.Ingested> {
    return inbound.ingest(this.core, accountId, message);
  }

  // ---- delivery (the DELIVERY queue's consumer and the provider receipts) -----------------

  claimDelivery(accountId: string, index: number, participantId: string, step: number, graceMs?: number): Outcome<delivery.DeliveryClaim> {
    return delivery.claim(this.core, accountId, index, participantId, step, graceMs);
  }
  deliveryTimeout(accountId: string, index: number, participantId: string, step: number): Outcome<Message | null> {
    return delivery.timeout(this.core, accountId, index, participantId, step);
  }
  reportDelivery(accountId: string, index: number, participantId: string, attempt: AttemptReport): Outcome<Message | null> {
    return delivery.report(this.core, accountId, index, participantId, attempt);
  }
  applyReceipt(accountId: string, index: number, participantId: string, receipt: ReceiptReport): Outcome<Message | null> {
    return delivery.receipt(this.core, accountId, index, participantId, receipt);
  }

  // ---- AI drafts and handoff (the DRAFTS queue's consumer, /v1/drafts, …/handoff) -----------

  draftContext(accountId: string, index: number): Outcome<drafts.DraftContext> {
    return drafts.context(this.core, accountId, index);
  }
  recordDraft(accountId: string, proposal: drafts.Proposal, policy: drafts.DraftPolicy): Outcome<Draft> {
    return drafts.record(this.core, accountId, proposal, policy);
  }
  getDraft(accountId: string, draftId: string): Outcome<Draft> {
    return drafts.get(this.core, accountId, draftId);
  }
  approveDraft(accountId: string, draftId: string, input: ApproveDraft, defaults: delivery.SendDefaults): Outcome<Draft> {
    return drafts.approve(this.core, accountId, draftId, input, defaults);
  }
  rejectDraft(accountId: string, draftId: string, input: RejectDraft): Outcome<Draft> {
    return drafts.rejectDraft(this.core, accountId, draftId, input);
  }
  handoff(accountId: string): Outcome<Handoff> {
    return handoff.view(this.core, accountId);
  }
  requestHandoff(accountId: string): Outcome<Handoff> {
    return handoff.request(this.core, accountId);
  }
  draftFailed(accountId: string, index: number): Outcome<Handoff> {
    return handoff.draftFailed(this.core, accountId, index);
  }
  acceptHandoff(accountId: string, agent: string): Outcome<Handoff> {
    return handoff.accept(this.core, accountId, agent);
  }
  setAi(accountId: string, enabled: boolean | null): Outcome<Handoff> {
    return handoff.setAi(this.core, accountId, enabled);
  }

  // ---- runtime entry points ----------------------------------------------------------------

  override async alarm(): Promise<void> {
    if (this.core.created) await this.core.timers.fire();
  }
  /** WebSocket upgrades, forwarded by the Worker after it authenticated the caller (sockets/upgrade.ts). */
  override async fetch(request: Request): Promise<Response> {
    return upgrade(this.core, this.live, request);
  }
  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
    handleClientFrame(this.core, this.live, this.env, ws, data);
  }
  override webSocketClose(ws: WebSocket, code: number): void {
    this.live.gone(ws, code);
  }
  override webSocketError(ws: WebSocket): void {
    this.live.gone(ws, 1006);
  }
}
