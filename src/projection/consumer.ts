import type { Env } from "../env";
import { publishToAccounts } from "./account-stream";
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
export async function consumeProjections(batch: MessageBatch<ProjectionPayload>, env: Pick<Env, "DB" | "ACCOUNT_HUB">): Promise<void> {
  const messages = batch.messages;
  try {
    await project(env, messages.map((m) => m.body));
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
      await project(env, [message.body]);
      message.ack();
    } catch (error) {
      console.error(`projection of ${message.body.conversation_id} failed; retrying:`, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** Writes payloads to D1 in one batch, then tells the accounts' consoles. */
export async function project(env: Pick<Env, "DB" | "ACCOUNT_HUB">, payloads: ProjectionPayload[]): Promise<void> {
  await applyProjections(env.DB, payloads);
  count(payloads);
  await publishToAccounts(env, payloads);
}

function count(payloads: ProjectionPayload[]): void {
  projectionStats.batches++;
  projectionStats.payloads += payloads.length;
  projectionStats.conversations += new Set(payloads.map((p) => p.conversation_id)).size;
}
