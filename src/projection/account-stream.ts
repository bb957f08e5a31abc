import type { AccountFrame } from "../contract/frames";
import type { Env } from "../env";
import type { ProjectionPayload } from "./payload";

const PREVIEW_CHARS = 160;

/**
 * The account stream (`GET /v1/stream`) is fed from the projection, once D1 has committed it: a
 * console that reacts to an event by listing sees the row, and one queue batch becomes one publish
 * per account rather than one per conversation per pass. It is a live feed, best effort: consoles
 * that were away catch up by listing, so a hub that fails is logged, not retried, and a redelivered
 * payload may repeat an event.
 */
export async function publishToAccounts(env: Pick<Env, "ACCOUNT_HUB">, payloads: ProjectionPayload[]): Promise<void> {
  const byAccount = new Map<string, AccountFrame[]>();
  for (const payload of payloads) {
    const frames = framesOf(payload);
    if (frames.length === 0) continue;
    const list = byAccount.get(payload.account_id) ?? [];
    list.push(...frames);
    byAccount.set(payload.account_id, list);
  }
  await Promise.all(
    [...byAccount].map(async ([accountId, frames]) => {
      try {
        await env.ACCOUNT_HUB.get(env.ACCOUNT_HUB.idFromName(accountId)).publish(frames);
      } catch (error) {
        console.error(`account stream publish to ${accountId} failed:`, error);
      }
    }),
  );
}

function framesOf(payload: ProjectionPayload): AccountFrame[] {
  if (payload.deleted) return [{ type: "conversation.deleted", conversation_id: payload.conversation_id }];
  const frames: AccountFrame[] = [];
  if (payload.announce && payload.conversation) {
    frames.push({ type: payload.announce === "created" ? "conversation.created" : "conversation.updated", conversation: payload.conversation.resource });
  }
  for (const { resource } of payload.messages) {
    const { id, index, author, author_kind, body, created_at } = resource;
    frames.push({ type: "message.added", conversation_id: payload.conversation_id, message: { id, index, author, author_kind, body: body.slice(0, PREVIEW_CHARS), created_at } });
  }
  return frames;
}
