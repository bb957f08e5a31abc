import { receiveEmail } from "./api/inbound/email";
import { buildApp } from "./app";
import { consumeDrafts, failDeadDrafts, isDeadDrafts, isDrafts } from "./ai/consumer";
import type { DraftJob } from "./ai/job";
import { consumeDeliveries, failDeadDeliveries, isDeadDeliveries, isDeliveries } from "./delivery/consumer";
import type { DeliveryJob } from "./delivery/job";
import type { Env } from "./env";
import { consumeExports, failDeadExports, isDeadExports, isExports } from "./export/consumer";
import type { ExportStepJob } from "./export/job";
import { consumeProjections, isDeadLetters, isProjections, reprojectDeadLetters } from "./projection/consumer";
import type { ProjectionPayload } from "./projection/payload";
import { RETENTION_CRON, runRetention } from "./retention/job";
import { consumeWebhooks, failDeadWebhooks, isDeadWebhooks, isWebhooks } from "./webhooks/consumer";
import type { WebhookJob } from "./webhooks/job";

export { AccountHubDO } from "./accounts/hub-do";
export { ConversationDO } from "./conversation/conversation-do";
export { RoutingDO } from "./routing/routing-do";

const app = buildApp();

export default {
  fetch: app.fetch,
  // Signed webhooks and their dead letters; outbound deliveries; the projection queue, and its dead letters, which are carried again from their conversations.
  queue: (batch, env) => {
    if (isWebhooks(batch.queue)) return consumeWebhooks(batch as MessageBatch<WebhookJob>, env);
    if (isDeadWebhooks(batch.queue)) return failDeadWebhooks(batch as MessageBatch<WebhookJob>, env);
    if (isDeliveries(batch.queue)) return consumeDeliveries(batch as MessageBatch<DeliveryJob>, env);
    if (isDeadDeliveries(batch.queue)) return failDeadDeliveries(batch as MessageBatch<DeliveryJob>, env);
    if (isProjections(batch.queue)) return consumeProjections(batch as MessageBatch<ProjectionPayload>, env);
    if (isDeadLetters(batch.queue)) return reprojectDeadLetters(batch as MessageBatch<ProjectionPayload>, env);
    if (isExports(batch.queue)) return consumeExports(batch as MessageBatch<ExportStepJob>, env);
    if (isDeadExports(batch.queue)) return failDeadExports(batch as MessageBatch<ExportStepJob>, env);
    if (isDrafts(batch.queue)) return consumeDrafts(batch as MessageBatch<DraftJob>, env);
    if (isDeadDrafts(batch.queue)) return failDeadDrafts(batch as MessageBatch<DraftJob>, env);
    // A queue this Worker was bound to consume but does not know: its messages must not be taken
    // for another queue's (they are retried, and dead-lettered if configured, until a deploy knows it).
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
  // Cron Triggers, by expression (wrangler.toml [triggers]): the retention job, hourly.
  scheduled: async (controller, env) => {
    if (controller.cron === RETENTION_CRON) {
      const report = await runRetention(env, controller.scheduledTime);
      if (report) console.log(`retention: ${JSON.stringify(report)}`);
      return;
    }
    throw new Error(`no job for cron ${controller.cron}`);
  },
  // Mail that Email Routing sends to this Worker, for the account's `cloudflare` email channels.
  email: (message, env) => receiveEmail(message, env),
} satisfies ExportedHandler<Env>;
