import type { AccountHubDO } from "./accounts/hub-do";
import type { DraftJob } from "./ai/job";
import type { ConversationDO } from "./conversation/conversation-do";
import type { DeliveryJob } from "./delivery/job";
import type { ExportStepJob } from "./export/job";
import type { ProjectionPayload } from "./projection/payload";
import type { RoutingDO } from "./routing/routing-do";
import type { WebhookJob } from "./webhooks/job";

export interface Env {
  DB: D1Database;
  CONVERSATION: DurableObjectNamespace<ConversationDO>;
  ACCOUNT_HUB: DurableObjectNamespace<AccountHubDO>;
  /** One per account: its agents, the queue of conversations waiting for one, and who holds which seat (src/routing). */
  ROUTING: DurableObjectNamespace<RoutingDO>;
  /** D1 projections from each conversation's outbox, written to D1 in batches across conversations. */
  PROJECTION: Queue<ProjectionPayload>;
  /** Outbound deliveries, one per recipient, from each conversation's delivery sink (src/delivery). */
  DELIVERY: Queue<DeliveryJob>;
  /** Signed webhook deliveries, one per (endpoint, event), fanned out once events are in D1 (src/webhooks). */
  WEBHOOKS: Queue<WebhookJob>;
  /** The webhooks' slow lane: retries, and endpoints that are failing (src/webhooks/consumer.ts). */
  WEBHOOKS_SLOW: Queue<WebhookJob>;
  /** Bulk exports (POST /v1/exports), one message per bounded step of one export, each queuing the next (src/export). */
  EXPORTS: Queue<ExportStepJob>;
  /** AI drafts and handoffs to route, from each conversation's assist sink (src/ai/consumer.ts). */
  DRAFTS: Queue<DraftJob>;
  /** Workers AI, for the `workers_ai` draft engine: bound in production only (wrangler.toml [env.production]); absent, that engine drafts offline. */
  AI?: Ai;
  /** Media: uploads (POST /v1/media) and what customers send, served by signed URL; bulk exports' files under exports/. */
  MEDIA: R2Bucket;
  /**
   * Outbound mail for `cloudflare` email channels, through Cloudflare Email Service (the
   * `send_email` binding, unrestricted: any recipient, from a domain onboarded to Email Service).
   * Locally it is simulated: nothing is sent, the mail is kept for inspection (docs/architecture.md).
   */
  SEND_EMAIL: SendEmail;
  /** Guards account and key administration. A Worker secret; `.dev.vars` locally. */
  ADMIN_TOKEN?: string;
  /** Signs participant tokens (JWT, HS256). A Worker secret; derived from ADMIN_TOKEN when unset. */
  TOKEN_SECRET?: string;
  /**
   * The keyring that seals channel credentials at rest (src/lib/secrets.ts), a Worker secret:
   * `{"current": "<key id>", "keys": {"<key id>": "<base64 of 32 random bytes>", …}}`. Unset, channels
   * that carry credentials answer 503 and the rest of the API works.
   */
  CREDENTIALS_KEYS?: string;
  /** The deployment's public origin, which providers call back (inbound URLs, Twilio's signed URL); else the request's origin. */
  PUBLIC_BASE_URL?: string;
  ENVIRONMENT?: string;
}

/** What the auth middleware puts on the Hono context. */
export interface AppVariables {
  accountId: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
