// Types for sim/channels.mjs, so the end-to-end tests are checked.
export interface DevChannel {
  id: string;
  type: "sms" | "whatsapp" | "messenger" | "email";
  provider: "twilio" | "meta" | "mailgun";
  sender: string;
  inbound_url: string;
  base_url: string;
  credentials: Record<string, string>;
}

export declare const DEV_CHANNELS: readonly { type: string; provider: string; sender: string; path: string }[];

/** Connects (or updates) the development channels pointing at `simUrl`; saves them in `file`. */
export declare function ensureDevChannels(options: { parley: string; key: string; simUrl: string; file: string }): Promise<DevChannel[]>;

/** POSTs the channels to the simulator's /_sim/channels. */
export declare function tellSimulator(simUrl: string, channels: DevChannel[]): Promise<void>;
