import { Webhook as StandardWebhook } from "standardwebhooks";
import { WebhookVerificationError } from "../errors";
import type { PagePromise } from "../pagination";
import type { BodyOf, ListParams, RequestOptions, ResponseOf, Webhook, WebhookDelivery, WebhookEvent, WebhookWithSecret } from "../types";
import { Resource, seg } from "./base";

type List = "/v1/webhooks";
type One = "/v1/webhooks/{webhook_id}";
type Deliveries = "/v1/webhooks/{webhook_id}/deliveries";
type Replay = "/v1/webhooks/{webhook_id}/replay";

const path = (webhookId: string) => `/v1/webhooks/${seg(webhookId)}`;

/** Standard Webhooks' headers, read from a Headers or a plain object in any case. */
function signatureHeaders(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string> {
  const get = (name: string): string => {
    if (headers instanceof Headers) return headers.get(name) ?? "";
    const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
    return Array.isArray(entry) ? entry.join(" ") : (entry ?? "");
  };
  return { "webhook-id": get("webhook-id"), "webhook-timestamp": get("webhook-timestamp"), "webhook-signature": get("webhook-signature") };
}

export class Webhooks extends Resource {
  /** Subscribes an endpoint; the answer carries its signing `secret`, this once. */
  create(body: BodyOf<List, "post">, opts?: RequestOptions): Promise<WebhookWithSecret> {
    return this.ctx.http.request({ method: "POST", path: "/v1/webhooks", body }, opts);
  }

  get(webhookId: string, opts?: RequestOptions): Promise<Webhook> {
    return this.ctx.http.request({ method: "GET", path: path(webhookId) }, opts);
  }

  list(params?: ListParams<List>, opts?: RequestOptions): PagePromise<Webhook> {
    return this.paginate("/v1/webhooks", params, opts);
  }

  update(webhookId: string, patch: BodyOf<One, "patch">, opts?: RequestOptions): Promise<Webhook> {
    return this.ctx.http.request({ method: "PATCH", path: path(webhookId), body: patch }, opts);
  }

  delete(webhookId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: path(webhookId) }, opts);
  }

  /** A new secret (shown once); the old one keeps signing beside it for 24 h. */
  rotateSecret(webhookId: string, opts?: RequestOptions): Promise<WebhookWithSecret> {
    return this.ctx.http.request({ method: "POST", path: `${path(webhookId)}/rotate-secret`, body: {} }, opts);
  }

  /** Every attempt, newest first. */
  deliveries(webhookId: string, params?: ListParams<Deliveries>, opts?: RequestOptions): PagePromise<WebhookDelivery> {
    return this.paginate(`${path(webhookId)}/deliveries`, params, opts);
  }

  replayDelivery(webhookId: string, deliveryId: string, opts?: RequestOptions): Promise<ResponseOf<"/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", "post">> {
    return this.ctx.http.request({ method: "POST", path: `${path(webhookId)}/deliveries/${seg(deliveryId)}/replay`, body: {} }, opts);
  }

  /** Sends again the account's events in `{ from, to }` that the endpoint's filter takes. */
  replay(webhookId: string, range: BodyOf<Replay, "post">, opts?: RequestOptions): Promise<ResponseOf<Replay, "post">> {
    return this.ctx.http.request({ method: "POST", path: `${path(webhookId)}/replay`, body: range }, opts);
  }

  /**
   * Checks a delivery's Standard Webhooks signature over the raw body as received (never
   * re-serialised) and its timestamp (within 5 minutes); answers the event, or throws
   * WebhookVerificationError. Works with both signatures of a rotation.
   */
  async verify(payload: string, headers: Headers | Record<string, string | string[] | undefined>, secret: string): Promise<WebhookEvent> {
    try {
      return new StandardWebhook(secret).verify(payload, signatureHeaders(headers)) as WebhookEvent;
    } catch (error) {
      throw new WebhookVerificationError((error as Error)?.message ?? "invalid signature");
    }
  }
}
