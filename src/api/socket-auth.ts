import type { Context } from "hono";
import type { AppEnv } from "../env";
import { bearer } from "./caller";

/** The subprotocol every Parley socket speaks; a client offers it beside (or instead of) a credential. */
export const SOCKET_PROTOCOL = "parley.v1";

/**
 * A socket upgrade's credential (API key or participant token). Browsers cannot set headers on a
 * WebSocket, so it may come as the Authorization header, `?token=`, or a subprotocol other than
 * parley.v1; `protocol` is parley.v1 when offered (the upgrade must answer it), else null.
 */
export function socketCredential(c: Context<AppEnv>): { value: string | undefined; protocol: string | null } {
  const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  return {
    value: bearer(c) ?? c.req.query("token") ?? offered.find((p) => p !== SOCKET_PROTOCOL),
    protocol: offered.includes(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : null,
  };
}
