import { receiveEmail } from "./api/inbound/email";
import { buildApp } from "./app";
import { consumeDeliveries, failDeadDeliveries, isDeadDeliveries, isDeliveries } from "./delivery/consumer";
import type { DeliveryJob } from "./delivery/job";
import type { Env } from "./env";
import { consumeProjections, isDeadLetters, reprojectDeadLetters } from "./projection/consumer";
import type { ProjectionPayload } from "./projection/payload";
import { consumeWebhooks, failDeadWebhooks, isDeadWebhooks, isWebhooks } from "./webhooks/consumer";
import type { WebhookJob } from "./webhooks/job";

export { AccountHubDO } from "./accounts/hub-do";
export { ConversationDO } from "./conversation/conversation-do";

const app = buildApp();

export default {
  fetch: app.fetch,
  // Signed webhooks and their dead letters; outbound deliveries; the projection queue, and its dead letters, which are carried again from their conversations.
  queue: (batch, env) => {
    if (isWebhooks(batch.queue)) return consumeWebhooks(batch as MessageBatch<WebhookJob>, env);
    if (isDeadWebhooks(batch.queue)) return failDeadWebhooks(batch as MessageBatch<WebhookJob>, env);
    if (isDeliveries(batch.queue)) return consumeDeliveries(batch as MessageBatch<DeliveryJob>, env);
    if (isDeadDeliveries(batch.queue)) return failDeadDeliveries(batch as MessageBatch<DeliveryJob>, env);
    return isDeadLetters(batch.queue)
      ? reprojectDeadLetters(batch as MessageBatch<ProjectionPayload>, env)
      : consumeProjections(batch as MessageBatch<ProjectionPayload>, env);
  },
  // Mail that Email Routing sends to this Worker, for the account's `cloudflare` email channels.
  email: (message, env) => receiveEmail(message, env),
} satisfies ExportedHandler<Env>;
