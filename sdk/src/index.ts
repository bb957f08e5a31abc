// Parley's TypeScript SDK: REST resources typed from /openapi.json, `for await` pagination, retries
// with one Idempotency-Key per call, typed errors, and conversation streams that resume without
// gaps or duplicates. No Node-only imports: Node 20+, browsers and Workers.
import { Http, type Credential } from "./http";
import { RealtimeAccount } from "./realtime/account";
import type { ConversationSocketConfig } from "./realtime/conversation";
import { webSocketConstructor, type ReconnectOptions, type SocketConstructor } from "./realtime/socket";
import { Resource, type Context } from "./resources/base";
import { Accounts, Identities, MediaFiles, Search, SettingsResource, Tokens } from "./resources/account";
import { Drafts, Handoffs, Knowledge } from "./resources/assist";
import { Exports } from "./resources/exports";
import { Agents, RoutingResource } from "./resources/routing";
import { Channels } from "./resources/channels";
import { Contacts } from "./resources/contacts";
import { Conversations } from "./resources/conversations";
import { Messages } from "./resources/messages";
import { Participants } from "./resources/participants";
import { Webhooks } from "./resources/webhooks";

export type ParleyOptions = {
  /** Server side: the account's API key (`sk_…`), sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Browsers and apps: a participant token, or a function that fetches a fresh one (asked before each request and each connect). */
  token?: Credential;
  /** Default: the page's origin in a browser, else http://127.0.0.1:8787 (`npm start`). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Node 20 has no global WebSocket: pass one (`ws`'s, undici's). */
  WebSocket?: SocketConstructor;
  /** Per try. Default 30 s. */
  timeoutMs?: number;
  /** Retries on 408, 429, 5xx and network errors (honouring Retry-After). Default 2. */
  maxRetries?: number;
  /** Backoff and keep-alive of the streams. */
  realtime?: ReconnectOptions;
};

function defaultBaseUrl(): string {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return origin && /^https?:/.test(origin) ? origin : "http://127.0.0.1:8787";
}

class Stream extends Resource {
  constructor(
    ctx: Context,
    private readonly reconnect: ReconnectOptions | undefined,
  ) {
    super(ctx);
  }

  /** The account-wide stream (API key): conversation.created|updated|deleted and message.added summaries. */
  connect(options?: ReconnectOptions): RealtimeAccount {
    return new RealtimeAccount(this.ctx.sockets(), { ...this.reconnect, ...options });
  }
}

export class Parley {
  readonly conversations: Conversations;
  readonly participants: Participants;
  readonly messages: Messages;
  readonly contacts: Contacts;
  readonly channels: Channels;
  readonly webhooks: Webhooks;
  readonly tokens: Tokens;
  readonly settings: SettingsResource;
  readonly search: Search;
  readonly media: MediaFiles;
  readonly identities: Identities;
  readonly accounts: Accounts;
  readonly drafts: Drafts;
  readonly knowledge: Knowledge;
  readonly handoffs: Handoffs;
  readonly agents: Agents;
  readonly routing: RoutingResource;
  readonly exports: Exports;
  readonly stream: Stream;
  readonly baseUrl: string;

  constructor(options: ParleyOptions = {}) {
    if (options.apiKey !== undefined && options.token !== undefined) throw new TypeError("pass apiKey or token, not both");
    this.baseUrl = (options.baseUrl ?? defaultBaseUrl()).replace(/\/+$/, "");
    const credential = options.apiKey ?? options.token;
    const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    const http = new Http({ baseUrl: this.baseUrl, credential, fetch: fetchImpl, timeoutMs: options.timeoutMs ?? 30_000, maxRetries: options.maxRetries ?? 2 });
    let sockets: ConversationSocketConfig | undefined;
    const ctx: Context = {
      http,
      sockets: () => (sockets ??= { baseUrl: this.baseUrl, credential, WebSocket: webSocketConstructor(options.WebSocket) }),
    };
    this.messages = new Messages(ctx);
    this.participants = new Participants(ctx);
    this.conversations = new Conversations(ctx, this.messages, this.participants, options.realtime);
    this.contacts = new Contacts(ctx);
    this.channels = new Channels(ctx);
    this.webhooks = new Webhooks(ctx);
    this.tokens = new Tokens(ctx);
    this.settings = new SettingsResource(ctx);
    this.search = new Search(ctx);
    this.media = new MediaFiles(ctx);
    this.identities = new Identities(ctx);
    this.accounts = new Accounts(ctx);
    this.drafts = new Drafts(ctx);
    this.knowledge = new Knowledge(ctx);
    this.handoffs = new Handoffs(ctx);
    this.agents = new Agents(ctx);
    this.routing = new RoutingResource(ctx);
    this.exports = new Exports(ctx);
    this.stream = new Stream(ctx, options.realtime);
  }
}

export default Parley;
export * from "./errors";
export type * from "./types";
export { Page, PagePromise } from "./pagination";
export { RealtimeConversation, type ConnectOptions, type ConversationEvents, type SocketSend } from "./realtime/conversation";
export { RealtimeAccount, RealtimeAgent, RealtimeFeed, type AccountEvents, type AgentEvents, type FeedEvents } from "./realtime/account";
export { PING_INTERVAL_MS, type ReconnectOptions, type SocketConstructor, type SocketLike } from "./realtime/socket";
export type { ConversationHandle, ConversationMethods, ParticipantMethods, CreateConversationBody, UpdateConversationBody, ListConversationsParams } from "./resources/conversations";
export type { SendMessageBody, ListMessagesParams } from "./resources/messages";
export type { Upload } from "./resources/account";
export type { Draft, Handoff, KnowledgeDocument, KnowledgePassage } from "./resources/assist";
export type { Agent, Routing } from "./resources/routing";
export type { Export, TranscriptLine } from "./resources/exports";
export { retryAfterMs } from "./retry";
