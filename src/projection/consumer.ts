import type { Env } from "../env";
import { applyProjections } from "./apply";
import type { ProjectionPayload } from "./payload";
import { projectionStats } from "./stats";

/** Retry delays grow with each attempt, from 1 s to 5 minutes. */
const retryDelaySeconds = (attempts: number) => Math.min(300, 2 ** Math.min(attempts, 9));

/**
 * The PROJECTION queue's consumer: one D1 batch for everything in the queue batch, whichever
 * conversations it comes from, so D1 round trips grow with batches, not with messages.
 *
 * Should that batch fail, each payload is tried alone, so one payload D1 refuses (a bug) cannot
 * hold back the rest; what still fails is retried with backoff and, after max_retries, lands in the
 * dead-letter queue. Nothing is lost by that: the conversation's Durable Object keeps the truth,
 * and its next change projects a complete new snapshot of the conversation row.
 */
export async function consumeProjections(batch: MessageBatch<ProjectionPayload>, env: Pick<Env, "DB">): Promise<void> {
  const messages = batch.messages;
  try {
    await applyProjections(env.DB, messages.map((m) => m.body));
    count(messages.map((m) => m.body));
    batch.ackAll();
    return;
  } catch (error) {
    if (messages.length === 1) {
      console.error("projection failed; retrying:", error);
      messages[0]!.retry({ delaySeconds: retryDelaySeconds(messages[0]!.attempts) });
      return;
    }
    console.error(`projection batch of ${messages.length} failed; trying each payload alone:`, error);
  }
  for (const message of messages) {
    try {
      await applyProjections(env.DB, [message.body]);
      count([message.body]);
      message.ack();
    } catch (error) {
      console.error(`projection of ${message.body.conversation_id} failed; retrying:`, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

function count(payloads: ProjectionPayload[]): void {
  projectionStats.batches++;
  projectionStats.payloads += payloads.length;
  projectionStats.conversations += new Set(payloads.map((p) => p.conversation_id)).size;
}
