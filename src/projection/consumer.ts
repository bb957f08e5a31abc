import type { Env } from "../env";
import { publishToAccounts } from "./account-stream";
import { applyProjections } from "./apply";
import { envelopesOf } from "./events";
import type { ProjectionPayload } from "./payload";
import { projectionStats } from "./stats";
import { enqueueWebhooks } from "../webhooks/fanout";

type ProjectionEnv = Pick<Env, "DB" | "ACCOUNT_HUB" | "WEBHOOKS" | "WEBHOOKS_SLOW">;

/** Retry delays grow with each attempt (attempts start at 1): from 2 s to 5 minutes, or to an hour for dead letters. */
const retryDelaySeconds = (attempts: number, maxSeconds: number) => Math.min(maxSeconds, 2 ** Math.min(attempts, 12));

/** Which of the two queues a batch came from: the projection queue, or its dead letters. */
export const isProjections = (queue: string) => queue.endsWith("-projection");
export const isDeadLetters = (queue: string) => queue.endsWith("-projection-dlq");

/**
 * The PROJECTION queue's consumer: one D1 batch for everything in the queue batch, whichever
 * conversations it comes from, so D1 round trips grow with batches, not with messages.
 *
 * Should that batch fail, each payload is tried alone, so one payload D1 refuses (a bug) cannot
 * hold back the rest; what still fails is retried with backoff (about 8 hours of it over
 * max_retries) and then lands in the dead-letter queue (see `reprojectDeadLetters`).
 */
export async function consumeProjections(batch: MessageBatch<ProjectionPayload>, env: ProjectionEnv): Promise<void> {
  const messages = batch.messages;
  const maxDelay = 300;
  try {
    await project(env, messages.map((m) => m.body));
    batch.ackAll();
    return;
  } catch (error) {
    if (messages.length === 1) {
      console.error("projection failed; retrying:", error);
      messages[0]!.retry({ delaySeconds: retryDelaySeconds(messages[0]!.attempts, maxDelay) });
      return;
    }
    console.error(`projection batch of ${messages.length} failed; trying each payload alone:`, error);
  }
  for (const message of messages) {
    try {
      await project(env, [message.body]);
      message.ack();
    } catch (error) {
      console.error(`projection of ${message.body.conversation_id} failed; retrying:`, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, maxDelay) });
    }
  }
}

/** Writes payloads to D1 in one batch, then tells the accounts' consoles. */
export async function project(env: ProjectionEnv, payloads: ProjectionPayload[]): Promise<void> {
  const events = envelopesOf(payloads);
  const applied = await applyProjections(env.DB, payloads, events);
  count(payloads);
  // Webhooks only once their events are in D1 (their consumer reads them there). A failure to
  // queue them throws, so the payloads come back and queue them again: at least once.
  await Promise.all([publishToAccounts(env, payloads, applied), enqueueWebhooks(env, events)]);
}

function count(payloads: ProjectionPayload[]): void {
  projectionStats.batches++;
  projectionStats.payloads += payloads.length;
  projectionStats.conversations += new Set(payloads.map((p) => p.conversation_id)).size;
}

/**
 * The dead-letter queue's consumer. A dead payload is not applied again (it is old by now): the
 * conversation is asked to carry again what it named, which sends a fresh snapshot through the
 * projection queue. So nothing is lost for good, however long D1 was away: a new payload that
 * fails in turn comes back here, and the Durable Object keeps the truth meanwhile.
 */
export async function reprojectDeadLetters(batch: MessageBatch<ProjectionPayload>, env: Pick<Env, "CONVERSATION">): Promise<void> {
  for (const message of batch.messages) {
    const p = message.body;
    const lost = { messages: p.messages.map((m) => m.index), participants: [...p.participants.map((x) => x.id), ...p.removed_participants], deleted: p.deleted };
    try {
      await env.CONVERSATION.get(env.CONVERSATION.idFromName(p.conversation_id)).reproject(p.account_id, lost);
      message.ack();
    } catch (error) {
      console.error(`reprojecting ${p.conversation_id} failed; retrying:`, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, 3600) });
    }
  }
}
