import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Cursor, Limit, Timestamp } from "./common";
import { EventType } from "./events";

/**
 * Webhook endpoints: where an account's events (the catalog in ./events) are POSTed, signed with
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL rules that
 * depend on the deployment (https only and public hosts in production) are checked by the server,
 * which knows which deployment it is.
 */

/** The families of the catalog (`message`, `conversation`, …): what a `family.*` wildcard may name. */
export const EVENT_FAMILIES = [...new Set(EventType.options.map((type) => type.slice(0, type.indexOf("."))))];

/** One entry of a filter: an event name from the catalog, `family.*`, or `*` (every event). */
export const EventFilter = z
  .string()
  .refine((value) => value === "*" || (EventType.options as readonly string[]).includes(value) || (value.endsWith(".*") && EVENT_FAMILIES.includes(value.slice(0, -2))), {
    error: (iss) => `"${String(iss.input)}" is not an event name of the catalog, a family wildcard (${EVENT_FAMILIES.map((f) => `${f}.*`).join(", ")}) or *`,
  })
  .openapi({ example: "message.*" });

const EventFilters = z
  .array(EventFilter)
  .min(1)
  .max(LIMITS.webhookEventFilters)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((entry, i) => {
      if (seen.has(entry)) ctx.addIssue({ code: "custom", path: [i], message: `"${entry}" is listed twice` });
      seen.add(entry);
    });
  })
  .openapi({ description: `1–${LIMITS.webhookEventFilters} entries: event names (\`message.added\`), family wildcards (\`message.*\`) or \`*\` for every event.`, example: ["message.*", "conversation.closed"] });

/** Parsed here only as an http(s) URL without credentials; the deployment's own rules come after. */
export const WebhookUrl = z
  .string()
  .max(LIMITS.webhookUrlChars)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "url is not an absolute URL" });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") ctx.addIssue({ code: "custom", message: `url must be https (http only in development), not ${url.protocol}` });
    // A password in the URL would be sent with every delivery and shown to everyone who can list endpoints.
    if (url.username || url.password) ctx.addIssue({ code: "custom", message: "url must not carry credentials (user:password@); authenticate deliveries by their signature" });
  })
  .openapi({ example: "https://crm.example.com/hooks/parley", description: "https in production, to a public host (no loopback, private or link-local address); redirects are not followed." });

const Description = z.string().max(LIMITS.webhookDescriptionChars);

export const CreateWebhook = z
  .object({
    url: WebhookUrl,
    events: EventFilters,
    enabled: z.boolean().default(true),
    description: Description.optional(),
  })
  .openapi("CreateWebhook");
export type CreateWebhook = z.infer<typeof CreateWebhook>;

export const UpdateWebhook = z
  .object({
    url: WebhookUrl.optional(),
    events: EventFilters.optional(),
    enabled: z.boolean().optional().openapi({ description: "true enables it again after Parley disabled it (clearing `disabled_reason`)." }),
    description: Description.nullable().optional(),
  })
  .openapi("UpdateWebhook");
export type UpdateWebhook = z.infer<typeof UpdateWebhook>;

export const Webhook = z
  .object({
    id: z.string().openapi({ example: "wh_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    description: z.string().nullable(),
    disabled_reason: z.string().nullable().openapi({ description: "Why Parley disabled the endpoint (failing for 3 days); null otherwise." }),
    failing_since: Timestamp.nullable().openapi({ description: "The first failed delivery since the last successful one; null while healthy." }),
    previous_secret_expires_at: Timestamp.nullable().openapi({ description: "Until then the secret replaced by the last rotation still signs too." }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("Webhook");
export type Webhook = z.infer<typeof Webhook>;

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().openapi({
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    description: "The signing secret (Standard Webhooks: `whsec_` and base64). Shown only in this answer.",
  }),
}).openapi("WebhookWithSecret");
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const ListWebhooksQuery = z.object({ limit: Limit, cursor: Cursor });
export type ListWebhooksQuery = z.infer<typeof ListWebhooksQuery>;

export const DeliveryOutcome = z.enum(["delivered", "retrying", "failed"]).openapi("WebhookDeliveryOutcome");

export const WebhookDelivery = z
  .object({
    id: z.string().openapi({ example: "whd_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    webhook_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    attempt: z.number().int().openapi({ description: "1 for the first send of the event (or of a replay), 2 for its first retry, …" }),
    replay: z.boolean(),
    outcome: DeliveryOutcome,
    status_code: z.number().int().nullable().openapi({ description: "The endpoint's HTTP status; null when none came (network error, timeout)." }),
    latency_ms: z.number().int().nullable().openapi({ description: "From the request to the response headers (or to the failure)." }),
    response_excerpt: z.string().nullable().openapi({ description: `The first ${LIMITS.webhookResponseExcerptChars} characters of the answer.` }),
    error: z.string().nullable(),
    next_retry_at: Timestamp.nullable(),
    created_at: Timestamp,
  })
  .openapi("WebhookDelivery");
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListDeliveriesQuery = z.object({ limit: Limit, cursor: Cursor });
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuery>;

export const ReplayRange = z
  .object({
    from: z.iso.datetime({ offset: true }).openapi({ description: "The first instant (inclusive) of events' `occurred_at`." }),
    to: z.iso.datetime({ offset: true }).openapi({ description: "The end (exclusive)." }),
  })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { path: ["to"], message: "to must be after from" })
  .openapi("WebhookReplayRange");
export type ReplayRange = z.infer<typeof ReplayRange>;

export const ReplayQueued = z
  .object({
    queued: z.number().int().openapi({ description: "Deliveries queued, each marked `replay`." }),
    truncated: z.boolean().openapi({ description: `More events matched than one replay queues (${LIMITS.webhookReplayEvents}).` }),
    next_from: Timestamp.nullable().openapi({ description: "When truncated: replay again from here for the rest (events at that very millisecond may come twice)." }),
  })
  .openapi("WebhookReplayQueued");
export type ReplayQueued = z.infer<typeof ReplayQueued>;

const Id = (example: string) => z.string().openapi({ example });
export const WebhookParams = z.object({ webhook_id: Id("wh_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const DeliveryParams = WebhookParams.extend({ delivery_id: Id("whd_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
