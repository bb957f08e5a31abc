export type IdempotencyRow = { fingerprint: string; status: number; response: string; created_at: number };

/** The Idempotency-Keys a conversation has answered, each with the answer it replays for LIMITS.idempotencyWindowMs. */
export class IdempotencyStore {
  constructor(private readonly sql: SqlStorage) {}

  find(key: string): IdempotencyRow | undefined {
    return this.sql.exec<IdempotencyRow>("SELECT fingerprint, status, response, created_at FROM idempotency WHERE key = ?", key).toArray()[0];
  }

  record(key: string, fingerprint: string, status: number, response: string, now: number): void {
    this.sql.exec(
      "INSERT INTO idempotency (key, fingerprint, status, response, created_at) VALUES (?, ?, ?, ?, ?)",
      key, fingerprint, status, response, now,
    );
  }

  /** When the oldest remembered Idempotency-Key was recorded, if any is. */
  oldestAt(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT min(created_at) AS at FROM idempotency").one().at;
  }

  forgetBefore(cutoff: number): void {
    this.sql.exec("DELETE FROM idempotency WHERE created_at < ?", cutoff);
  }

  erase(): void {
    this.sql.exec("DELETE FROM idempotency");
  }
}
