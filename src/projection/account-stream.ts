import type { AccountFrame } from "../contract/frames";
import type { Env } from "../env";
import type { Applied } from "./apply";
import type { ProjectionPayload } from "./payload";

const PREVIEW_CHARS = 160;

/**
 * The account stream (`GET /v1/stream`) is fed from the projection, once D1 has committed it: a
 * console that reacts to an event by listing sees the row, and one queue batch becomes one publish
 * per account rather than one per conversation per pass. Only what the batch wrote is announced, so
 * a late, older snapshot cannot make a console step back. It is a live feed, best effort: consoles
 * that were away catch up by listing, so a hub that fails is logged, not retried.
 */
export async function publishToAccounts(env: Pick<Env, "ACCOUNT_HUB">, payloads: ProjectionPayload[], applied: Applied): Promise<void> {
  const byAccount = new Map<string, AccountFrame[]>();
  for (const payload of payloads) {
    const frames = framesOf(payload, applied);
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

/** Only what this batch wrote: a stale or repeated payload wrote nothing, and says nothing. */
function framesOf(payload: ProjectionPayload, applied: Applied): AccountFrame[] {
  if (payload.deleted) return applied.deleted.has(payload.conversation_id) ? [{ type: "conversation.deleted", conversation_id: payload.conversation_id }] : [];
  const frames: AccountFrame[] = [];
  if (payload.announce && payload.conversation && applied.listings.has(`${payload.conversation_id}@${payload.version}`)) {
    frames.push({ type: payload.announce === "created" ? "conversation.created" : "conversation.updated", conversation: payload.conversation.resource });
  }
  for (const { resource } of payload.messages) {
    if (!applied.messages.has(resource.id)) continue;
    const { id, index, author, author_kind, body, created_at } = resource;
    if (resource.deleted_at) {
      frames.push({ type: "message.deleted", conversation_id: payload.conversation_id, message: { id, index } });
      continue;
    }
    frames.push({ type: "message.added", conversation_id: payload.conversation_id, message: { id, index, author, author_kind, body: body.slice(0, PREVIEW_CHARS), created_at } });
  }
  return frames;
}
