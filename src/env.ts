import type { ConversationDO } from "./conversation/conversation-do";

export interface Env {
  DB: D1Database;
  CONVERSATION: DurableObjectNamespace<ConversationDO>;
  DELIVERY: Queue;
  EVENTS: Queue;
  /** Guards account and key administration. A Worker secret; `.dev.vars` locally. */
  ADMIN_TOKEN?: string;
  ENVIRONMENT?: string;
}

/** What the auth middleware puts on the Hono context. */
export interface AppVariables {
  accountId: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
