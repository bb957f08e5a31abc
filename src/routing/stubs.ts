import type { ConversationDO } from "../conversation/conversation-do";
import type { Env } from "../env";
import type { RoutingDO } from "./routing-do";

/**
 * A Durable Object's RPC surface with each method's own return type. Its methods return plain data
 * (structured-cloned), so this is exact; the runtime's generic stub type wraps each result in a
 * union that no longer narrows on `ok` (the same reasoning as api/http.ts's ConversationRpc).
 */
export type Rpc<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

export const conversationRpc = (env: Pick<Env, "CONVERSATION">, id: string) => env.CONVERSATION.get(env.CONVERSATION.idFromName(id)) as unknown as Rpc<ConversationDO>;

/** The account's RoutingDO (one per account, named by its id). */
export const routingRpc = (env: Pick<Env, "ROUTING">, accountId: string) => env.ROUTING.get(env.ROUTING.idFromName(accountId)) as unknown as Rpc<RoutingDO>;

/** The same object as a stub, for WebSocket upgrades (`fetch`). */
export const routingStub = (env: Pick<Env, "ROUTING">, accountId: string) => env.ROUTING.get(env.ROUTING.idFromName(accountId)) as unknown as DurableObjectStub;
