/**
 * Closing hibernatable WebSockets, shared by both Durable Objects.
 *
 * The runtime reports 1005 (no code given) and 1006 (abnormal: the transport dropped without a
 * close frame) to `webSocketClose`; neither may be sent back, and after a 1006 there is nobody to
 * send a close frame to, so it is skipped rather than sent (partyserver does the same). Any other
 * close from the client is answered with its own code, completing the handshake.
 */
export function answerClose(ws: WebSocket, code: number): void {
  if (code === 1005 || code === 1006) return;
  // The socket is CLOSING here (the client started it), so closeQuietly's check does not apply.
  try {
    ws.close(code, "closed");
  } catch {
    // already closed
  }
}

/** Closes a socket that may already be closing or closed; a dead transport is not an error. */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
  try {
    ws.close(code, reason);
  } catch {
    // the transport went away between the check and the close
  }
}
