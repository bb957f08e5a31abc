import { DO_HEADERS } from "../../lib/do-headers";
import { err, problemResponse } from "../../lib/problem";
import type { ConversationCore } from "../core";
import type { Live } from "./live";

/** While sockets are connected, the alarm checks their liveness this often. */
export const SWEEP_EVERY_MS = 60_000;

/**
 * A WebSocket upgrade, forwarded by the Worker after it authenticated the caller. The Worker is the
 * only client of the object, so the headers it sets (DO_HEADERS) are trusted; nothing else is.
 * Another account's conversation, or an identity that is not a participant, is a 404 exactly as for
 * a conversation that does not exist.
 */
export function upgrade(core: ConversationCore, live: Live, request: Request): Response {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
  const conv = core.visible(request.headers.get(DO_HEADERS.account) ?? "");
  const identity = request.headers.get(DO_HEADERS.identity);
  const participant = conv && identity !== null ? core.store.participantByIdentity(identity) : undefined;
  if (!conv || (identity !== null && !participant)) return problemResponse(err(404, "conversation not found").problem);

  const pair = new WebSocketPair();
  const now = Date.now();
  const resumeFrom = request.headers.get(DO_HEADERS.lastIndex);
  const view = participant ? core.participantView(conv, participant) : null;
  live.welcome(pair[1], conv, participant, view, resumeFrom === null ? null : Number(resumeFrom), now);
  core.timers.schedule("liveness", now + SWEEP_EVERY_MS);
  const protocol = request.headers.get(DO_HEADERS.protocol);
  return new Response(null, { status: 101, webSocket: pair[0], headers: protocol ? { "sec-websocket-protocol": protocol } : {} });
}
