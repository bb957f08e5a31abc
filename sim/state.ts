/**
 * The simulator's memory, one Durable Object: the channels `npm start` told it about, the
 * conversation log the page shows, the attempt counters of the flaky recipient, and the files
 * simulated customers sent (kept until the state is wiped). A Durable
 * Object rather than module globals so a reload of the simulator's code (wrangler dev watches it)
 * keeps the channels: `npm start` tells them only once.
 */
import { DurableObject } from "cloudflare:workers";
import type { SimChannel } from "./payloads";

export interface LogEntry {
  at: number;
  /** customer: a customer's message posted to Parley; send: a send Parley made; receipt: a status callback posted to Parley. */
  kind: "customer" | "send" | "receipt";
  channel: string;
  from?: string;
  to?: string;
  body?: string;
  /** The provider message id (SM…, wamid.…, m_…, <…@domain>). */
  id?: string;
  /** receipts: the status reported. */
  status?: string;
  /** The HTTP status of the exchange: Parley's answer to a post, or the simulator's to a send. */
  http: number;
  note?: string;
}

const LOG_SIZE = 200;

/** A file a simulated customer sent, served back to Parley as the provider would serve it. */
export interface SimFile {
  content_type: string;
  filename?: string;
  bytes: Uint8Array;
}

export class SimState extends DurableObject {
  async setChannels(channels: SimChannel[]): Promise<void> {
    await this.ctx.storage.put("channels", channels);
  }

  async channels(): Promise<SimChannel[]> {
    return (await this.ctx.storage.get<SimChannel[]>("channels")) ?? [];
  }

  /** 1 for the first request under `key`, then 2, 3, …: the storage's input gate makes this atomic. */
  async attempt(key: string): Promise<number> {
    const n = ((await this.ctx.storage.get<number>(`attempt:${key}`)) ?? 0) + 1;
    await this.ctx.storage.put(`attempt:${key}`, n);
    return n;
  }

  async log(entry: LogEntry): Promise<void> {
    const log = (await this.ctx.storage.get<LogEntry[]>("log")) ?? [];
    log.push(entry);
    await this.ctx.storage.put("log", log.slice(-LOG_SIZE));
  }

  /** Keeps a customer's file under the provider's id for it (a WhatsApp media id, a Twilio ME sid, a CDN name). */
  async putFile(id: string, file: SimFile): Promise<void> {
    await this.ctx.storage.put(`file:${id}`, file);
  }

  async file(id: string): Promise<SimFile | undefined> {
    return this.ctx.storage.get<SimFile>(`file:${id}`);
  }

  /** The log, oldest first. */
  async recent(): Promise<LogEntry[]> {
    return (await this.ctx.storage.get<LogEntry[]>("log")) ?? [];
  }
}
