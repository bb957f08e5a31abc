import type { Env } from "../../env";
import { ok } from "../../lib/problem";
import { closeQuietly } from "../../lib/websocket";
import type { ConversationCore } from "../core";
import { moveReadHorizon } from "../commands/participants";
import type { Live } from "./live";
import { socketSend } from "./socket-send";

/**
 * One frame from a client socket: size and rate checks, parsing, then what it asks for. Whatever a
 * frame makes throw is caught and logged here: one bad frame must not take the socket (or, through
 * an escaping exception, the object's other work) down with it.
 */
export function handleClientFrame(core: ConversationCore, live: Live, env: Env, ws: WebSocket, data: string | ArrayBuffer): void {
  const room = core.room;
  try {
    const now = Date.now();
    if (!room.fits(ws, data)) return;
    const frame = live.parse(ws, data);
    if (!frame) return;
    // Messages are counted apart from other frames (room.ts), and every refused one is answered.
    const allowed = frame.type === "message.send" ? room.allow(ws, now, "messages", frame.client_id) : room.allow(ws, now);
    if (!allowed) return;
    const who = room.who(ws);
    const conv = core.store.conversation();
    if (!conv || conv.deleted_at !== null) return closeQuietly(ws, 4004, "the conversation was deleted");
    switch (frame.type) {
      case "message.send":
        if (!who.participantId) {
          return room.send(ws, { type: "error", code: "forbidden", client_id: frame.client_id, message: "observers cannot send messages; connect as a participant" });
        }
        return socketSend(core, room, env, ws, conv.account_id, who.participantId, frame);
      case "resume":
        return live.replay(ws, frame.last_index, who.connectIndex);
      case "typing":
        if (!who.participantId) return room.send(ws, { type: "error", code: "forbidden", message: "observers cannot type" });
        return room.typing(who.participantId, frame.state, now);
      case "read": {
        const participantId = who.participantId;
        if (!participantId) return room.send(ws, { type: "error", code: "forbidden", message: "observers have no read horizon" });
        const outcome = core.mutate(conv.account_id, undefined, (current, tx) => {
          moveReadHorizon(core, tx, current, participantId, frame.last_read_index, "last_read_index");
          return ok(null);
        });
        if (!outcome.ok) room.send(ws, { type: "error", code: "invalid", message: outcome.problem.detail });
        return;
      }
    }
  } catch (error) {
    console.error("a client frame failed:", error);
    room.send(ws, { type: "error", code: "invalid", message: "the frame could not be processed" });
  }
}
