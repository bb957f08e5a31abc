import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { DO_HEADERS } from "../lib/do-headers";
import { answerClose } from "../lib/websocket";
import type { AccountFrame } from "../contract/frames";

/**
 * One per account: fans the account's conversation events out to agent consoles on `GET /v1/stream`.
 * The projection consumer publishes here once D1 has a batch (one RPC per account per queue
 * batch, whatever the number of conversations in it: src/projection/account-stream.ts), so this
 * object sees each account's event rate in batches; past what one object can fan out it would be
 * sharded (by conversation id hash), with consoles holding one socket per shard.
 */
export class AccountHubDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const accountId = request.headers.get(DO_HEADERS.account) ?? "";
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].send(JSON.stringify({ type: "ready", account_id: accountId } satisfies AccountFrame));
    // A browser that offered subprotocols fails the handshake unless one is selected.
    const protocol = request.headers.get(DO_HEADERS.protocol);
    return new Response(null, { status: 101, webSocket: pair[0], headers: protocol ? { "sec-websocket-protocol": protocol } : {} });
  }

  publish(frames: AccountFrame[]): void {
    const sockets = this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
    if (sockets.length === 0) return;
    for (const frame of frames) {
      const text = JSON.stringify(frame);
      for (const ws of sockets) {
        try {
          ws.send(text);
        } catch {
          // closed under us
        }
      }
    }
  }

  override webSocketMessage(ws: WebSocket): void {
    ws.send(JSON.stringify({ type: "error", code: "bad_frame", message: "this stream is read-only" }));
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    answerClose(ws, code);
  }
}
