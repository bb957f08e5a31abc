// Types for sim/start.mjs, so the end-to-end tests are checked.
export interface Simulator {
  /** e.g. http://127.0.0.1:8788 */
  url: string;
  port: number;
  /** Stops wrangler and its workerd; resolves once they have exited. */
  stop(): Promise<void>;
  /** Sends the stop signal and returns at once (for a process `exit` handler). */
  stopNow(): void;
  /** What wrangler wrote to the log file so far. */
  output(): string;
}

export declare function startSimulator(options: { port?: number; persistTo: string; logFile: string; vars?: Record<string, string> }): Promise<Simulator>;
