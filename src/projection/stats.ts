/**
 * Counters of this isolate's projection consumer, for `npm run bench` (which reads them through a
 * bench-only route) and for logs. Per isolate and reset on restart: a gauge, not a ledger.
 */
export const projectionStats = {
  /** D1 batches the consumer wrote. */
  batches: 0,
  /** Projection payloads (queue messages) those batches carried. */
  payloads: 0,
  /** Distinct conversations those batches touched, summed per batch. */
  conversations: 0,
};
