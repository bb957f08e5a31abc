import type { AccountHubDO } from "./accounts/hub-do";
import type { ConversationDO } from "./conversation/conversation-do";
import type { ProjectionPayload } from "./projection/payload";

export interface Env {
  DB: D1Database;
  CONVERSATION: DurableObjectNamespace<ConversationDO>;
  ACCOUNT_HUB: DurableObjectNamespace<AccountHubDO>;
  /** D1 projections from each conversation's outbox, written to D1 in batches across conversations. */
  PROJECTION: Queue<ProjectionPayload>;
  /** Guards account and key administration. A Worker secret; `.dev.vars` locally. */
  ADMIN_TOKEN?: string;
  /** Signs participant tokens (JWT, HS256). A Worker secret; derived from ADMIN_TOKEN when unset. */
  TOKEN_SECRET?: string;
  ENVIRONMENT?: string;
}

/** What the auth middleware puts on the Hono context. */
export interface AppVariables {
  accountId: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
