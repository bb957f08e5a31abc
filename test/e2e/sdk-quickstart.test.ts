// The quick start that opens sdk/README.md, run as written against a real `wrangler dev` with the
// provider simulator: the README's first code block is read from the file and executed with
// PARLEY_API_KEY set, so the README cannot drift from what works. The account has the development
// WhatsApp channel (pointing at the simulator) and a template, which WhatsApp needs for a customer
// who has not written in 24 hours.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server.mjs";
import { ensureDevChannels, tellSimulator } from "../../sim/channels.mjs";
import { startSimulator, type Simulator } from "../../sim/start.mjs";
import { Parley, type ConversationHandle, type CreatedConversation, type ParleyOptions } from "../../sdk/src/index";
import { CREDENTIALS_KEYS, until } from "./sdk-fixtures";

type NodeFs = {
  mkdtemp(prefix: string): Promise<string>;
  readFile(path: string, enc: string): Promise<string>;
  rm(path: string, o: { recursive: boolean; force: boolean }): Promise<void>;
};

const ADMIN_TOKEN = `quickstart-${crypto.randomUUID()}`;
let server: LocalServer | undefined;
let sim: Simulator | undefined;
let stateDir = "";
let fs: NodeFs;
let key = "";

beforeAll(async () => {
  fs = (await import("node:fs/promises" as string)) as NodeFs;
  const os = (await import("node:os" as string)) as { tmpdir(): string };
  stateDir = await fs.mkdtemp(`${os.tmpdir()}/parley-quickstart-`);
  [server, sim] = await Promise.all([
    startLocalServer({ persistTo: `${stateDir}/parley`, vars: { ADMIN_TOKEN, CREDENTIALS_KEYS: CREDENTIALS_KEYS() } }),
    startSimulator({ persistTo: `${stateDir}/sim`, logFile: `${stateDir}/sim.log`, vars: { RECEIPT_DELAY_MS: "50" } }),
  ]);
  const { api_key } = await new Parley({ apiKey: ADMIN_TOKEN, baseUrl: server.url }).accounts.create({ name: "Quick start" });
  key = api_key.key;
  await tellSimulator(sim.url, await ensureDevChannels({ parley: server.url, key, simUrl: sim.url, file: `${stateDir}/channels.json` }));
  await new Parley({ apiKey: key, baseUrl: server.url }).settings.update({ whatsapp_template: { name: "order_update", language: "en" } });
});

afterAll(async () => {
  await Promise.all([server?.stop(), sim?.stop()]);
  if (stateDir) await fs?.rm(stateDir, { recursive: true, force: true });
});

/** The README's first ```ts block, without import lines. */
async function quickStart(): Promise<string> {
  const readme = await fs.readFile(new URL("../../sdk/README.md", import.meta.url).pathname, "utf8");
  const block = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error("sdk/README.md opens with no ```ts block");
  return block.replace(/^import .*$/gm, "");
}

it("runs the README's quick start as written: the conversation, the agent's WhatsApp message delivered, and the customer's reply heard", async () => {
  const logged: string[] = [];
  const stops: (() => void)[] = [];
  const baseUrl = server!.url;
  // `new Parley({ apiKey })` as the README writes it, pointed at this server (the default is :8787),
  // keeping each listener's unsubscribe so the test can close its socket.
  class LocalParley extends Parley {
    constructor(options: ParleyOptions) {
      super({ ...options, baseUrl });
      const onMessage = this.conversations.onMessage.bind(this.conversations);
      this.conversations.onMessage = (...args) => {
        const stop = onMessage(...args);
        stops.push(stop);
        return stop;
      };
    }
  }
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<{ conversation: ConversationHandle<CreatedConversation> }>;
  const run = new AsyncFunction("Parley", "process", "console", `${await quickStart()}\nreturn { conversation };`);
  const { conversation } = await run(LocalParley, { env: { PARLEY_API_KEY: key } }, { log: (...args: unknown[]) => logged.push(args.join(" ")) });

  expect(conversation).toMatchObject({ friendly_name: "Order Support #4821" });
  const customer = conversation.participants.find((p) => p.kind === "customer")!;
  expect(customer).toMatchObject({ channel: "whatsapp", address: "+255712345678" });

  // The agent's message went out through the simulator's Cloud API (as the template) and its receipts came back.
  const parley = new Parley({ apiKey: key, baseUrl });
  const [first] = await parley.messages.list(conversation.id).toArray();
  expect(first).toMatchObject({ body: "Hi! What is your order number?", author: "agent-ada" });
  await until(async () => ["delivered", "read"].includes((await parley.messages.get(conversation.id, first!.id)).delivery?.status ?? ""), "the WhatsApp message delivered");

  // The customer answers; the listener the quick start left running prints it. (Until its socket is up a reply is history, not news: answer until it is heard.)
  await until(async () => {
    await conversation.messages.send({ author: "+255712345678", body: "It is 4821" });
    await new Promise((r) => setTimeout(r, 200));
    return logged.includes("It is 4821");
  }, "the reply printed");
  for (const stop of stops) stop();
  expect(stops).toHaveLength(1);
});
