import { createRoute, z } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { EventEnvelope } from "../../contract/events";
import {
  CreateWebhook,
  DeliveryParams,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  ReplayQueued,
  ReplayRange,
  UpdateWebhook,
  Webhook,
  WebhookDelivery,
  WebhookParams,
  WebhookWithSecret,
} from "../../contract/webhook";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Webhooks"];
const security = [{ ApiKey: [] }];
const SIGNED =
  "Each delivery is a POST of the event envelope (`Event`) signed with Standard Webhooks: `webhook-id` (the event id, the same on retries and replays), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64>`; two space-separated entries while a rotated-out secret still signs). Verify with any Standard Webhooks library and the secret.";
const UNAVAILABLE = "503 when the deployment has no CREDENTIALS_KEYS keyring to seal secrets with.";

export const create = createRoute({
  method: "post",
  path: "/v1/webhooks",
  tags,
  security,
  summary: "Subscribe an endpoint to events",
  description: `The answer carries the signing \`secret\`, shown this once (it is stored encrypted). ${SIGNED} Outside development the URL must be https to a public host (no loopback, private or link-local literal, no \`localhost\`); no credentials in it: a 422 naming \`body.url\`. At most ${LIMITS.webhooksPerAccount} endpoints per account (409). ${UNAVAILABLE}`,
  request: { body: jsonBody(CreateWebhook) },
  responses: { 201: jsonResponse(WebhookWithSecret, "Created, with its secret"), ...problemResponses(400, 401, 409, 413, 422, 503) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/webhooks",
  tags,
  security,
  summary: "List endpoints, in the order they were created",
  request: { query: ListWebhooksQuery },
  responses: { 200: jsonResponse(page(Webhook), "A page of endpoints"), ...problemResponses(400, 401) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/webhooks/{webhook_id}",
  tags,
  security,
  summary: "Get an endpoint (never its secret)",
  request: { params: WebhookParams },
  responses: { 200: jsonResponse(Webhook, "The endpoint"), ...problemResponses(401, 404) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/webhooks/{webhook_id}",
  tags,
  security,
  summary: "Change an endpoint's url, events, description, or enable or disable it",
  description: "Enabling an endpoint Parley disabled (failing for 3 days) clears `disabled_reason` and `failing_since`. Deliveries already queued use what the endpoint is when they are sent.",
  request: { params: WebhookParams, body: jsonBody(UpdateWebhook) },
  responses: { 200: jsonResponse(Webhook, "Updated"), ...problemResponses(400, 401, 404, 413, 422) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/webhooks/{webhook_id}",
  tags,
  security,
  summary: "Delete an endpoint and its delivery log",
  description: "Deliveries still queued for it are dropped.",
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 404) },
});

export const rotate = createRoute({
  method: "post",
  path: "/v1/webhooks/{webhook_id}/rotate-secret",
  tags,
  security,
  summary: "Issue a new signing secret; the old one keeps signing for 24 hours",
  description: `The answer carries the new \`secret\`, shown this once. Until \`previous_secret_expires_at\` (24 h) every delivery carries both signatures, so receivers can switch over at their pace. Rotating again within the overlap retires the older secret at once. ${UNAVAILABLE}`,
  request: { params: WebhookParams },
  responses: { 200: jsonResponse(WebhookWithSecret, "Rotated, with the new secret"), ...problemResponses(401, 404, 409, 503) },
});

export const deliveries = createRoute({
  method: "get",
  path: "/v1/webhooks/{webhook_id}/deliveries",
  tags,
  security,
  summary: "The endpoint's delivery log, newest first",
  description: "One entry per attempt: its outcome, the endpoint's status code (null on a network error or timeout), latency, attempt number, the next retry, and the start of the answer. Retries back off from 30 s, doubling, to 2 h, for about 26 hours in all; then the delivery is `failed`.",
  request: { params: WebhookParams, query: ListDeliveriesQuery },
  responses: { 200: jsonResponse(page(WebhookDelivery), "A page of attempts"), ...problemResponses(400, 401, 404) },
});

export const replayDelivery = createRoute({
  method: "post",
  path: "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
  tags,
  security,
  summary: "Send a delivery's event again",
  description: "Queues the same event (the same `webhook-id`) to the endpoint, signed afresh, as a new delivery marked `replay`. A disabled endpoint is a 409: enable it first.",
  request: { params: DeliveryParams },
  responses: { 202: jsonResponse(ReplayQueued, "Queued"), ...problemResponses(401, 404, 409) },
});

export const replayRange = createRoute({
  method: "post",
  path: "/v1/webhooks/{webhook_id}/replay",
  tags,
  security,
  summary: "Send again every event of a time range that the endpoint's filter takes",
  description: `The account's events with \`from\` ≤ \`occurred_at\` < \`to\`, oldest first, at most ${LIMITS.webhookReplayEvents} per request: \`truncated\` and \`next_from\` say where the rest start. A disabled endpoint is a 409.`,
  request: { params: WebhookParams, body: jsonBody(ReplayRange) },
  responses: { 202: jsonResponse(ReplayQueued, "Queued"), ...problemResponses(401, 404, 409, 413, 422) },
});

/**
 * What an endpoint receives, in the document's `webhooks` (OpenAPI 3.1): the event envelope as the
 * body and the three Standard Webhooks headers; the catalog is the envelope's `type`.
 */
export const eventDelivery = {
  method: "post" as const,
  path: "event",
  tags,
  summary: "An event, POSTed to each endpoint whose filter takes its type",
  description: `${SIGNED} Retried with backoff (30 s doubling to 2 h, about 26 h in all) until a 2xx; the same event may arrive more than once: deduplicate by \`webhook-id\` (or order by \`sequence\` per conversation).`,
  request: {
    headers: z.object({
      "webhook-id": z.string().openapi({ description: "The event id." }),
      "webhook-timestamp": z.string().openapi({ description: "Unix seconds when this attempt was signed; refuse ones more than 5 minutes off." }),
      "webhook-signature": z.string().openapi({ description: "Space-separated `v1,<base64 HMAC-SHA256>` entries over `id.timestamp.body`; any one matching is enough." }),
    }),
    body: jsonBody(EventEnvelope),
  },
  responses: { 200: { description: "Any 2xx: delivered. Anything else (a redirect included) or no answer within 10 s: retried." } },
};
