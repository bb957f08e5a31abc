// The shared fixture of the real-time suites: a fresh account with one conversation in which two
// chat identities take part, ada (agent, connecting with the account's API key and ?identity=ada)
// and bob (customer, connecting with a participant token for that conversation).
import { call, newAccount, newConversation } from "./helpers";
import { open, type Client } from "./ws";

type Participant = { id: string; identity: string | null };

/** Mints a participant token for `identity` (for one conversation, if given); insists on a 201. */
export async function mint(key: string, identity: string, conversationId?: string): Promise<string> {
  const res = await call("POST", "/v1/tokens", { key, body: { identity, ...(conversationId && { conversation_id: conversationId }) } });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.token as string;
}

/** How a socket is opened: `query` is appended to the stream path; `ready` waits for (and consumes) the ready frame. */
type OpenOptions = { query?: string; ready?: boolean };

export type TwoParticipants = Awaited<ReturnType<typeof twoParticipants>>;

/**
 * An account, a conversation with ada (agent) and bob (customer), bob's token for it, and openers
 * for each one's socket. `extra` goes into the conversation's create body.
 */
export async function twoParticipants(extra: Record<string, unknown> = {}) {
  const account = await newAccount();
  const key = account.key;
  const conv = await newConversation(key, {
    participants: [
      { kind: "agent", identity: "ada" },
      { kind: "customer", identity: "bob" },
    ],
    ...extra,
  });
  const convId = conv.id as string;
  const byIdentity = (identity: string) => (conv.participants as Participant[]).find((p) => p.identity === identity)!.id;
  const stream = `/v1/conversations/${convId}/stream`;
  const bobToken = await mint(key, "bob", convId);

  const opener = (path: (query: string) => string, init: { key?: string; token?: string }) => async ({ query = "", ready = false }: OpenOptions = {}): Promise<Client> => {
    const client = await open(path(query), init);
    if (ready) await client.next("ready");
    return client;
  };
  const withQuery = (query: string, sep: string) => (query ? `${sep}${query}` : "");
  const openAda = opener((q) => `${stream}?identity=ada${withQuery(q, "&")}`, { key });
  const openBob = opener((q) => `${stream}${withQuery(q, "?")}`, { token: bobToken });

  return {
    key,
    accountId: account.id,
    conv: conv as { id: string; participants: Participant[] },
    convId,
    stream,
    adaId: byIdentity("ada"),
    bobId: byIdentity("bob"),
    /** bob's participant token, restricted to this conversation. */
    bobToken,
    /** A participant token of this account (see `mint`). */
    mint: (identity: string, conversationId?: string) => mint(key, identity, conversationId),
    /** ada's socket: the API key with ?identity=ada. */
    openAda,
    /** bob's socket: his token. */
    openBob,
    /** ada's socket, then bob's; returned once each has had (and consumed) its ready frame. */
    async openBoth(): Promise<{ ada: Client; bob: Client }> {
      const ada = await openAda();
      const bob = await openBob();
      await ada.next("ready");
      await bob.next("ready");
      return { ada, bob };
    },
    /** An observer's socket: the API key without an identity. */
    openObserver: opener((q) => `${stream}${withQuery(q, "?")}`, { key }),
  };
}
