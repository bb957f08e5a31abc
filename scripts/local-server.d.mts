// Types for scripts/local-server.mjs, so TypeScript callers (the end-to-end tests) are checked.

/** The repository root. */
export declare const root: string;

/** A free TCP port on loopback. */
export declare function freePort(): Promise<number>;

export interface LocalServerOptions {
  port?: number;
  /** wrangler config, relative to the repo root (default wrangler.toml) */
  config?: string;
  /** directory for local D1/DO state */
  persistTo: string;
  /** extra vars/secrets, e.g. ADMIN_TOKEN */
  vars?: Record<string, string>;
  /** show wrangler's output instead of buffering it */
  inherit?: boolean;
}

export interface LocalServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** Stops wrangler and its workerd; resolves once they have exited. */
  stop(): Promise<void>;
  /** What wrangler printed so far (empty when `inherit` was set). */
  output(): string;
}

/** Applies the D1 migrations to `persistTo`, starts `wrangler dev` and waits until /health answers. */
export declare function startLocalServer(options: LocalServerOptions): Promise<LocalServer>;
