import type { AgentFrame } from "../contract/agent";
import { LIMITS } from "../lib/limits";

/**
 * Agents' presence: an agent is online while it holds a live socket on
 * `GET /v1/agents/{identity}/stream`, accepted here with the Hibernation API and tagged with the
 * identity. Live means open and heard from (an auto-answered `ping`, or the connect itself) within
 * LIMITS.agentPresenceStaleMs: a closed tab can leave a hibernated socket looking open (workerd#1187),
 * so a close event alone is not trusted. Checked when a decision is made, so presence needs no alarm.
 *
 * Why a socket of its own: the account stream is opened with the account's API key and carries no
 * identity, so it cannot say which agent is there; a conversation's socket says so only for that
 * conversation, and an agent waiting for work has none.
 */
type Attachment = { identity: string; connectedAt: number };

export class Presence {
  /** Attachments read once per socket while the object is in memory (every decision reads them all). */
  private readonly attachments = new WeakMap<WebSocket, Attachment | null>();

  constructor(private readonly ctx: DurableObjectState) {}

  accept(ws: WebSocket, identity: string, now: number): void {
    this.ctx.acceptWebSocket(ws, [identity]);
    const at: Attachment = { identity, connectedAt: now };
    ws.serializeAttachment(at);
    this.attachments.set(ws, at);
  }

  private attachment(ws: WebSocket): Attachment | null {
    if (!this.attachments.has(ws)) this.attachments.set(ws, ws.deserializeAttachment() as Attachment | null);
    return this.attachments.get(ws)!;
  }

  private live(ws: WebSocket, now: number): boolean {
    if (ws.readyState !== WebSocket.OPEN) return false;
    const heard = Math.max(this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0, this.attachment(ws)?.connectedAt ?? 0);
    return now - heard < LIMITS.agentPresenceStaleMs;
  }

  isOnline(identity: string, now: number): boolean {
    return this.ctx.getWebSockets(identity).some((ws) => this.live(ws, now));
  }

  /** Identities with a live socket: read once per decision pass. */
  online(now: number): Set<string> {
    const out = new Set<string>();
    for (const ws of this.ctx.getWebSockets()) {
      if (!this.live(ws, now)) continue;
      const at = this.attachment(ws);
      if (at) out.add(at.identity);
    }
    return out;
  }

  send(identity: string, frame: AgentFrame): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets(identity)) {
      try {
        ws.send(text);
      } catch {
        // closed under us
      }
    }
  }

  /** A deleted agent's sockets: nothing more will come on them. */
  closeAll(identity: string): void {
    for (const ws of this.ctx.getWebSockets(identity)) {
      try {
        ws.close(4004, "the agent was deleted");
      } catch {
        // already closed
      }
    }
  }
}
