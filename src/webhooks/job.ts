/**
 * One queue message on WEBHOOKS: deliver one event to one endpoint. It names them and carries
 * nothing else: the consumer reads the event from D1 (`events`) and the endpoint (its URL, whether
 * it is still enabled, its current secrets) when it sends, so a disabled or rotated endpoint is
 * honoured by every retry. `replay` marks a delivery asked for by `…/replay`.
 */
export interface WebhookJob {
  v: 1;
  account_id: string;
  webhook_id: string;
  event_id: string;
  replay?: boolean;
  /** Attempts made before this job reached its lane (a job handed to the slow lane after a failure carries 1). */
  attempts_before?: number;
}
