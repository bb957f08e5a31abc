/**
 * Headers the Worker sets on a WebSocket upgrade it forwards to a Durable Object, after it has
 * authenticated the caller. The Worker is the only client of its Durable Objects, so these are
 * trusted there; the Worker strips any a client sent (see api/streams).
 */
export const DO_HEADERS = {
  account: "x-parley-account",
  identity: "x-parley-identity",
  lastIndex: "x-parley-last-index",
  protocol: "x-parley-protocol",
} as const;
