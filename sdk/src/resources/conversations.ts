import type { PagePromise } from "../pagination";
import { RealtimeConversation, type ConnectOptions } from "../realtime/conversation";
import type { ReconnectOptions } from "../realtime/socket";
import type { BodyOf, Conversation, CreatedConversation, ListParams, Message, Participant, RequestOptions } from "../types";
import { Resource, seg, type Context } from "./base";
import type { ListMessagesParams, Messages, SendMessageBody } from "./messages";
import type { Participants } from "./participants";

type List = "/v1/conversations";
type One = "/v1/conversations/{conversation_id}";
export type CreateConversationBody = BodyOf<List, "post">;
export type UpdateConversationBody = BodyOf<One, "patch">;
export type ListConversationsParams = ListParams<List>;

export type ParticipantMethods = {
  add(body: BodyOf<"/v1/conversations/{conversation_id}/participants", "post">, opts?: RequestOptions): Promise<Participant>;
  list(opts?: RequestOptions): PagePromise<Participant>;
  remove(participantId: string, opts?: RequestOptions): Promise<void>;
};

/** What a handle adds to a conversation's fields: its messages, participants and stream, bound to its id. */
export type ConversationMethods = {
  messages: {
    send(body: SendMessageBody, opts?: RequestOptions): Promise<Message>;
    list(params?: ListMessagesParams, opts?: RequestOptions): PagePromise<Message>;
    get(messageId: string, opts?: RequestOptions): Promise<Message>;
  };
  participants: ParticipantMethods;
  update(patch: UpdateConversationBody, opts?: RequestOptions): Promise<ConversationHandle>;
  delete(opts?: RequestOptions): Promise<void>;
  connect(options?: ConnectOptions): RealtimeConversation;
  onMessage(listener: (message: Message) => void, options?: ConnectOptions): () => void;
};

/**
 * A conversation's fields (as the API answered them) with methods bound to it. The methods are not
 * enumerable, so it serialises as the plain resource. A create's answer lists its participants:
 * there `participants` is that array, with the participant methods on it as well.
 */
export type ConversationHandle<C extends Conversation = Conversation> = Omit<C, "participants"> &
  Omit<ConversationMethods, "participants"> & { participants: (C extends { participants: infer P } ? P : unknown) & ParticipantMethods };

export class Conversations extends Resource {
  constructor(
    ctx: Context,
    private readonly messages: Messages,
    private readonly participants: Participants,
    private readonly reconnect: ReconnectOptions | undefined = undefined,
  ) {
    super(ctx);
  }

  /** Creates a conversation, with participants and a first message if given (Idempotency-Key generated once, reused by retries). */
  async create(body: CreateConversationBody, opts?: RequestOptions): Promise<ConversationHandle<CreatedConversation>> {
    return this.handle(await this.ctx.http.request<CreatedConversation>({ method: "POST", path: "/v1/conversations", body, idempotencyKey: true }, opts));
  }

  async get(conversationId: string, opts?: RequestOptions): Promise<ConversationHandle> {
    return this.handle(await this.ctx.http.request<Conversation>({ method: "GET", path: `/v1/conversations/${seg(conversationId)}` }, opts));
  }

  /** Latest activity first; `for await` goes through every page. Fed from D1, so a change takes a moment to show. */
  list(params?: ListConversationsParams, opts?: RequestOptions): PagePromise<Conversation> {
    return this.paginate("/v1/conversations", params, opts);
  }

  async update(conversationId: string, patch: UpdateConversationBody, opts?: RequestOptions): Promise<ConversationHandle> {
    const path = `/v1/conversations/${seg(conversationId)}`;
    return this.handle(await this.ctx.http.request<Conversation>({ method: "PATCH", path, body: patch, idempotencyKey: true }, opts));
  }

  delete(conversationId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/conversations/${seg(conversationId)}` }, opts);
  }

  /** Opens the conversation's stream: reconnects by itself and resumes from the last index seen. */
  connect(conversationId: string, options?: ConnectOptions): RealtimeConversation {
    return new RealtimeConversation(conversationId, this.ctx.sockets(), { ...this.reconnect, ...options });
  }

  /** Calls `listener` with every new message, exactly once and in order, until the returned function is called. */
  onMessage(conversationId: string, listener: (message: Message) => void, options?: ConnectOptions): () => void {
    const stream = this.connect(conversationId, options);
    stream.onMessage(listener);
    return () => stream.close();
  }

  /** The resource with its methods bound to its id. */
  handle<C extends Conversation>(conversation: C): ConversationHandle<C> {
    const id = conversation.id;
    const participants: ParticipantMethods = {
      add: (body, opts) => this.participants.add(id, body, opts),
      list: (opts) => this.participants.list(id, undefined, opts),
      remove: (participantId, opts) => this.participants.remove(id, participantId, opts),
    };
    const methods: Omit<ConversationMethods, "participants"> = {
      messages: {
        send: (body, opts) => this.messages.send(id, body, opts),
        list: (params, opts) => this.messages.list(id, params, opts),
        get: (messageId, opts) => this.messages.get(id, messageId, opts),
      },
      update: (patch, opts) => this.update(id, patch, opts),
      delete: (opts) => this.delete(id, opts),
      connect: (options) => this.connect(id, options),
      onMessage: (listener, options) => this.onMessage(id, listener, options),
    };
    const handle: Record<string, unknown> = { ...conversation };
    for (const [name, value] of Object.entries(methods)) Object.defineProperty(handle, name, { value, enumerable: false });
    const listed = (conversation as { participants?: unknown }).participants;
    if (Array.isArray(listed)) {
      const array = [...listed];
      for (const [name, value] of Object.entries(participants)) Object.defineProperty(array, name, { value, enumerable: false });
      handle.participants = array;
    } else {
      Object.defineProperty(handle, "participants", { value: participants, enumerable: false });
    }
    return handle as ConversationHandle<C>;
  }
}
