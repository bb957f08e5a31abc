// The console's one door to Parley: the SDK (sdk/src), set up for the signed-in session, plus the
// routes the SDK has no resource for yet (AI drafts), called the same way by hand. Everything the
// views do to the server goes through here.
import { NotFoundError, Parley, type ConnectOptions, type Conversation, type InboxEntry, type Message, type Participant, type RealtimeAccount, type RealtimeConversation, type SearchResult, type UpdateConversationBody } from "../../sdk/src/index";
import type { Session } from "./session";

export type { Conversation, InboxEntry, Message, Participant, RealtimeConversation, SearchResult };
export type Channel = NonNullable<Message["channel"]>;
export type ConversationStatus = Conversation["status"];

/** A row of the inbox: the conversation, and where the signed-in agent stands in it (null: not a participant). */
export type InboxRow = Conversation & { participant_id: string | null; unread_count: number };

/** What the console shows of an AI draft (GET /v1/drafts, when the deployment has it). */
export type Draft = { id: string; conversation_id: string; message_index: number; status: string; body: string | null; confidence: number };

export type InboxFilter = { status?: ConversationStatus | undefined; channel?: Channel | undefined };

const PAGE = 100;

export class Client {
  readonly parley: Parley;
  /** Whether this session may see and change the whole account (an API key), or only its own conversations (a token). */
  readonly account: boolean;

  constructor(readonly session: Session) {
    this.parley = session.kind === "key" ? new Parley({ apiKey: session.key }) : new Parley({ token: session.token });
    this.account = session.kind === "key";
  }

  get identity(): string {
    return this.session.identity;
  }

  /**
   * The inbox, latest activity first. With a key: the account's conversations, with the agent's
   * unread counts where the agent takes part (and everything unread where it does not yet); with a
   * token: the identity's own inbox.
   */
  async inbox(filter: InboxFilter): Promise<InboxRow[]> {
    const mine = await this.parley.identities.conversations(this.identity, { limit: PAGE });
    const entries = new Map(mine.data.map((e: InboxEntry) => [e.id, e]));
    if (!this.account) return mine.data.filter((e) => matches(e, filter));
    const all = await this.parley.conversations.list({ limit: PAGE, ...(filter.status && { status: filter.status }), ...(filter.channel && { channel: filter.channel }) });
    return all.data.map((c: Conversation) => {
      const entry = entries.get(c.id);
      return { ...c, participant_id: entry?.participant_id ?? null, unread_count: entry ? entry.unread_count : c.message_count };
    });
  }

  /** The account stream (API key only): conversations created and changed, messages added, account-wide. */
  accountStream(): RealtimeAccount | null {
    return this.account ? this.parley.stream.connect() : null;
  }

  /** The conversation's stream, as the agent's identity (with a key) or the token's. */
  connect(conversationId: string, lastIndex: number): RealtimeConversation {
    const options: ConnectOptions = { lastIndex, ...(this.account && { identity: this.identity }) };
    return this.parley.conversations.connect(conversationId, options);
  }

  /** The latest messages, oldest first (a token reads history from its stream instead). */
  async history(conversationId: string, limit: number): Promise<Message[]> {
    const page = await this.parley.messages.list(conversationId, { order: "desc", limit });
    return [...page.data].reverse();
  }

  async participants(conversationId: string): Promise<Participant[]> {
    return (await this.parley.participants.list(conversationId)).data;
  }

  /** Adds the agent to a conversation it is not in yet (its first reply, typing and reading need a participant). */
  join(conversationId: string): Promise<Participant> {
    return this.parley.participants.add(conversationId, { kind: "agent", identity: this.identity });
  }

  /** A reply by REST as the agent, through `channels` in that fallback order when given. */
  send(conversationId: string, body: string, channels: Channel[] | undefined): Promise<Message> {
    return this.parley.messages.send(conversationId, { body, author: this.identity, ...(channels && { channels: channels as never }) });
  }

  update(conversationId: string, patch: UpdateConversationBody): Promise<Conversation> {
    return this.parley.conversations.update(conversationId, patch);
  }

  async search(q: string): Promise<SearchResult[]> {
    return (await this.parley.search.messages({ q, limit: 20 })).data;
  }

  /** The conversation's drafts waiting for review; null when this deployment has no drafts (404). */
  async drafts(conversationId: string): Promise<Draft[] | null> {
    const res = await this.raw("GET", `/v1/drafts?status=pending&conversation_id=${encodeURIComponent(conversationId)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET /v1/drafts answered ${res.status}`);
    return ((await res.json()) as { data: Draft[] }).data.filter((d) => d.conversation_id === conversationId);
  }

  async reviewDraft(draft: Draft, verdict: "approve" | "reject", body?: string): Promise<void> {
    const res = await this.raw("POST", `/v1/drafts/${encodeURIComponent(draft.id)}/${verdict}`, { agent: this.identity, ...(body !== undefined && { body }) });
    if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { detail?: string } | null)?.detail ?? `the draft could not be ${verdict}d (${res.status})`);
  }

  /** The drafts routes, by hand: the SDK has no resource for them yet. */
  private raw(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
    const secret = this.session.kind === "key" ? this.session.key : this.session.token;
    const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(`${this.parley.baseUrl}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  }
}

function matches(c: Conversation, filter: InboxFilter): boolean {
  return (!filter.status || c.status === filter.status) && (!filter.channel || c.channel === filter.channel);
}

export const isNotFound = (e: unknown): boolean => e instanceof NotFoundError;
