// End to end with the provider simulator: Parley and sim/ each in a real `wrangler dev`, started
// together, with the development channels `npm start` connects (sim/channels.mjs). A customer
// written as from the simulator lands in Parley's thread; the simulator's APIs check auth and
// answer in the providers' formats, and its signed receipts are accepted by Parley.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server.mjs";
import { ensureDevChannels, tellSimulator, type DevChannel } from "../../sim/channels.mjs";
import { startSimulator, type Simulator } from "../../sim/start.mjs";

// Node modules, untyped in this Workers-typed repository (as in local.ts), narrowed to what is used.
type NodeFs = { mkdtemp(prefix: string): Promise<string>; rm(path: string, o: { recursive: boolean; force: boolean }): Promise<void> };
type ExecFile = (file: string, args: string[], cb: (error: Error | null, stdout: string, stderr: string) => void) => void;

// useLocalServer takes no vars, and channels with credentials need a CREDENTIALS_KEYS keyring.
const ADMIN_TOKEN = `sim-${crypto.randomUUID()}`;
const CREDENTIALS_KEYS = JSON.stringify({ current: "e2e", keys: { e2e: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) } });

let server: LocalServer | undefined;
let sim: Simulator | undefined;
let stateDir = "";
let fs: NodeFs;
let key = "";
let channels: DevChannel[] = [];

beforeAll(async () => {
  fs = (await import("node:fs/promises" as string)) as NodeFs;
  const os = (await import("node:os" as string)) as { tmpdir(): string };
  stateDir = await fs.mkdtemp(`${os.tmpdir()}/parley-sim-`);
  // Both at once: each takes a few seconds to start.
  [server, sim] = await Promise.all([
    startLocalServer({ persistTo: `${stateDir}/parley`, vars: { ADMIN_TOKEN, CREDENTIALS_KEYS } }),
    startSimulator({ persistTo: `${stateDir}/sim`, logFile: `${stateDir}/sim.log`, vars: { RECEIPT_DELAY_MS: "50" } }),
  ]);
  const account = await post(`${server.url}/v1/accounts`, { name: "Development" }, { authorization: `Bearer ${ADMIN_TOKEN}` });
  key = (account.body as { api_key: { key: string } }).api_key.key;
  channels = await ensureDevChannels({ parley: server.url, key, simUrl: sim.url, file: `${stateDir}/channels.json` });
  await tellSimulator(sim.url, channels);
});

afterAll(async () => {
  await Promise.all([server?.stop(), sim?.stop()]);
  if (stateDir) await fs?.rm(stateDir, { recursive: true, force: true });
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}, type = "application/json") {
  const res = await fetch(url, { method: "POST", headers: { "content-type": type, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body: parsed as any };
}

async function get(path: string): Promise<any> {
  const res = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return res.json();
}

/** Listings are fed through a queue: poll until `found` gives something, for a few seconds at most. */
async function eventually<T>(read: () => Promise<T | undefined>, polls = 50): Promise<T> {
  for (let i = 0; i < polls; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("not found in time");
}

const channel = (type: string) => channels.find((c) => c.type === type)!;

describe("npm start's development channels", () => {
  it("point at the simulator, one per provider, and setting them up again changes nothing", async () => {
    expect(channels.map((c) => `${c.type}/${c.provider}`)).toEqual(["sms/twilio", "whatsapp/meta", "messenger/meta", "email/mailgun"]);
    expect(channel("whatsapp").base_url).toBe(`${sim!.url}/v21.0`);
    const again = await ensureDevChannels({ parley: server!.url, key, simUrl: sim!.url, file: `${stateDir}/channels.json` });
    expect(again.map((c) => [c.id, c.credentials])).toEqual(channels.map((c) => [c.id, c.credentials]));
    expect((await get("/v1/channels")).data).toHaveLength(4);
  });
});

describe("writing as a customer", () => {
  const from = "+14155550123";

  it("an SMS said through the simulator lands in the person's conversation, and the CLI's follows it", async () => {
    const said = await post(`${sim!.url}/_sim/say`, { channel: "sms", from, text: "My parcel has not arrived" });
    expect(said.status).toBe(200);
    expect(said.body.parley.status).toBe(200);

    const contact = await eventually(async () => (await get(`/v1/contacts?address=${encodeURIComponent(from)}`)).data[0]);
    expect(contact.addresses).toEqual([expect.objectContaining({ channel: "sms", address: from })]);
    const conversation = await eventually(async () => (await get(`/v1/conversations?address=${encodeURIComponent(from)}`)).data[0]);
    // The conversation's own history is immediately consistent, unlike the listing.
    const [first] = (await get(`/v1/conversations/${conversation.id}/messages`)).data;
    expect(first).toMatchObject({ author: from, body: "My parcel has not arrived" });

    // The CLI, as a person would run it, into the same thread.
    const { execFile } = (await import("node:child_process" as string)) as { execFile: ExecFile };
    const node = (globalThis as unknown as { process: { execPath: string } }).process.execPath;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(node, ["sim/say.mjs", "--sim", sim!.url, "--channel", "sms", "--from", from, "Any news?"], (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
    );
    expect(stdout).toContain("Parley answered 200");
    const messages = (await get(`/v1/conversations/${conversation.id}/messages`)).data;
    expect(messages.map((m: { body: string }) => m.body)).toEqual(["My parcel has not arrived", "Any news?"]);
  });

  it("WhatsApp, Messenger and email are taken by Parley too (signed as Meta and Mailgun sign)", async () => {
    for (const [type, address] of [["whatsapp", "+14155550199"], ["messenger", "5678901234"], ["email", "pat@example.com"]]) {
      const said = await post(`${sim!.url}/_sim/say`, { channel: type, from: address, text: `hello on ${type}` });
      expect([type, said.body.parley.status]).toEqual([type, 200]);
    }
  });
});

describe("the simulator's provider APIs", () => {
  const twilio = () => channel("sms");
  const messagesUrl = () => `${sim!.url}/2010-04-01/Accounts/${twilio().credentials.account_sid}/Messages.json`;
  const basic = (user: string, password: string) => ({ authorization: `Basic ${btoa(`${user}:${password}`)}` });
  const FORM = "application/x-www-form-urlencoded";

  it("Twilio: wrong basic auth is a 401 in Twilio's error format", async () => {
    const form = new URLSearchParams({ To: "+14155550123", From: twilio().sender, Body: "hi" }).toString();
    const res = await post(messagesUrl(), form, basic(twilio().credentials.account_sid!, "not-the-token"), FORM);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 });
  });

  it("Twilio: a good send is queued with an SM sid, and its signed status callbacks are accepted by Parley", async () => {
    const { account_sid, auth_token } = twilio().credentials;
    const form = new URLSearchParams({ To: "+14155550123", From: twilio().sender, Body: "We are on it", StatusCallback: twilio().inbound_url }).toString();
    const res = await post(messagesUrl(), form, basic(account_sid!, auth_token!), FORM);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: "queued", account_sid, to: "+14155550123" });
    const receipts = await eventually(async () => {
      const log = (await (await fetch(`${sim!.url}/_sim/log`)).json()) as { kind: string; id: string; status: string; http: number }[];
      const mine = log.filter((e) => e.kind === "receipt" && e.id === res.body.sid);
      return mine.length === 2 ? mine : undefined;
    });
    expect(receipts.map((e) => [e.status, e.http])).toEqual([["sent", 200], ["delivered", 200]]);
  });

  it("magic recipients: flaky fails twice with a 5xx, the MMS refuser gives 21612, the undeliverable WhatsApp number a signed 131026", async () => {
    const { account_sid, auth_token } = twilio().credentials;
    const send = (fields: Record<string, string>) => post(messagesUrl(), new URLSearchParams({ From: twilio().sender, ...fields }).toString(), basic(account_sid!, auth_token!), FORM);
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push((await send({ To: "+15550100003", Body: "retry me" })).status);
    expect(tries).toEqual([500, 500, 201]);
    const mms = await send({ To: "+15550100002", Body: "a photo", MediaUrl: "https://example.com/a.jpg" });
    expect([mms.status, mms.body.code]).toEqual([400, 21612]);

    const wa = channel("whatsapp");
    const sent = await post(`${sim!.url}/v21.0/${wa.sender}/messages`, { messaging_product: "whatsapp", recipient_type: "individual", to: "15550100001", type: "text", text: { body: "x", preview_url: false } }, { authorization: `Bearer ${wa.credentials.access_token}` });
    expect(sent.status).toBe(200);
    const id = sent.body.messages[0].id as string;
    expect(id).toMatch(/^wamid\./);
    const receipt = await eventually(async () => {
      const log = (await (await fetch(`${sim!.url}/_sim/log`)).json()) as { kind: string; id: string; status: string; http: number }[];
      return log.find((e) => e.kind === "receipt" && e.id === id);
    });
    expect([receipt.status, receipt.http]).toEqual(["failed 131026", 200]);
  });

  it("Graph: a wrong token is a 401 in Graph's error envelope (code 190)", async () => {
    const res = await post(`${sim!.url}/v21.0/${channel("whatsapp").sender}/messages`, { messaging_product: "whatsapp", to: "14155550123", type: "text", text: { body: "x" } }, { authorization: "Bearer nope" });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 190, type: "OAuthException" });
  });
});

describe("one thread across channels, both ways (the README's session)", () => {
  const from = "+14155550177";

  /** A socket on the conversation as the agent, recording every frame. */
  async function watch(conversationId: string, identity: string) {
    const token = await post(`${server!.url}/v1/tokens`, { identity, conversation_id: conversationId }, { authorization: `Bearer ${key}` });
    expect(token.status).toBe(201);
    const frames: any[] = [];
    const ws = new WebSocket(`${server!.url.replace(/^http/, "ws")}/v1/conversations/${conversationId}/stream`, ["parley.v1", token.body.token]);
    ws.addEventListener("message", (e) => frames.push(JSON.parse(String(e.data))));
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve);
      ws.addEventListener("error", () => reject(new Error("socket failed")));
    });
    return { ws, frames };
  }

  async function message(conversationId: string, id: string) {
    return get(`/v1/conversations/${conversationId}/messages/${id}`);
  }

  it("a customer writes on WhatsApp, an agent replies, the receipts come back to the message and the socket, and the customer's SMS joins the thread", async () => {
    expect((await post(`${sim!.url}/_sim/say`, { channel: "whatsapp", from, text: "Hi, has my order shipped?" })).body.parley.status).toBe(200);
    const conversation = await eventually(async () => (await get(`/v1/conversations?address=${encodeURIComponent(from)}`)).data[0]);
    const agent = await post(`${server!.url}/v1/conversations/${conversation.id}/participants`, { kind: "agent", identity: "agent-ada" }, { authorization: `Bearer ${key}` });
    expect(agent.status).toBe(201);
    const socket = await watch(conversation.id, "agent-ada");

    const reply = await post(`${server!.url}/v1/conversations/${conversation.id}/messages`, { author: "agent-ada", body: "It ships *today*." }, { authorization: `Bearer ${key}` });
    expect(reply.status).toBe(201);
    expect(reply.body.delivery).toMatchObject({ status: "queued", channel: "whatsapp" });

    // The simulator got it in the Cloud API's format, and its signed statuses moved the message on.
    const delivered = await eventually(async () => {
      const m = await message(conversation.id, reply.body.id);
      return m.delivery.status === "delivered" ? m : undefined;
    });
    expect(delivered.delivery.recipients[0]).toMatchObject({ channel: "whatsapp", address: from, status: "delivered", provider_message_id: expect.stringMatching(/^wamid\./) });
    const log = (await (await fetch(`${sim!.url}/_sim/log`)).json()) as { kind: string; id: string; status: string; http: number; text?: string }[];
    expect(log.find((e) => e.kind === "send" && e.id === delivered.delivery.recipients[0].provider_message_id)).toBeDefined();
    const updates = await eventually(async () => {
      const seen = socket.frames.filter((f) => f.type === "message.updated" && f.message.id === reply.body.id).map((f) => f.message.delivery.status);
      return seen.includes("delivered") ? seen : undefined;
    });
    expect(updates).toEqual(["sent", "delivered"]);

    // The same person, now by SMS from the same number: the same conversation.
    expect((await post(`${sim!.url}/_sim/say`, { channel: "sms", from, text: "Thanks! What time?" })).body.parley.status).toBe(200);
    const bodies = await eventually(async () => {
      const data = (await get(`/v1/conversations/${conversation.id}/messages`)).data as { body: string; channel: string }[];
      return data.length === 3 ? data : undefined;
    });
    expect(bodies.map((m) => [m.channel, m.body])).toEqual([
      ["whatsapp", "Hi, has my order shipped?"],
      ["whatsapp", "It ships *today*."],
      ["sms", "Thanks! What time?"],
    ]);
    // And the answer goes back on the channel the person last wrote on, through Twilio this time.
    const second = await post(`${server!.url}/v1/conversations/${conversation.id}/messages`, { author: "agent-ada", body: "Before noon." }, { authorization: `Bearer ${key}` });
    expect(second.body.delivery.recipients[0]).toMatchObject({ channel: "sms", address: from });
    const bySms = await eventually(async () => {
      const m = await message(conversation.id, second.body.id);
      return m.delivery.status === "delivered" ? m : undefined;
    });
    expect(bySms.delivery.recipients[0].provider_message_id).toMatch(/^SM[0-9a-f]{32}$/);
    socket.ws.close();
  });

  it("the magic undeliverable number: Meta's 131026 on WhatsApp falls back to SMS, where Twilio reports it undelivered; the flaky SMS number is retried until it is sent", async () => {
    // The person writes first, so WhatsApp's 24-hour window is open.
    expect((await post(`${sim!.url}/_sim/say`, { channel: "whatsapp", from: "+15550100001", text: "hi" })).body.parley.status).toBe(200);
    const thread = await eventually(async () => (await get(`/v1/conversations?address=${encodeURIComponent("+15550100001")}`)).data[0]);
    const sent = await post(`${server!.url}/v1/conversations/${thread.id}/messages`, { body: "Your code is 1234", channels: ["whatsapp", "sms"] }, { authorization: `Bearer ${key}` });
    expect(sent.status).toBe(201);
    const ended = await eventually(async () => {
      const m = await message(thread.id, sent.body.id);
      return m.delivery.status === "undelivered" ? m : undefined;
    }, 200);
    expect(ended.delivery.recipients[0]).toMatchObject({ step: 1, channel: "sms", status: "undelivered", error_code: "30003" });
    expect(ended.delivery.attempts.map((a: any) => [a.channel, a.outcome, a.error_code, a.moved_on])).toEqual([
      ["whatsapp", "accepted", null, false],
      ["whatsapp", "failed", "131026", true],
      ["sms", "accepted", null, false],
      ["sms", "failed", "30003", false],
    ]);

    const flaky = await post(`${server!.url}/v1/conversations`, { participants: [{ kind: "customer", channel: "sms", address: "+15550100003" }] }, { authorization: `Bearer ${key}` });
    const retried = await post(`${server!.url}/v1/conversations/${flaky.body.id}/messages`, { body: "Your code is 5678" }, { authorization: `Bearer ${key}` });
    const settled = await eventually(async () => {
      const m = await message(flaky.body.id, retried.body.id);
      return m.delivery.recipients[0].status !== "queued" ? m : undefined;
    }, 200);
    expect(["sent", "delivered"]).toContain(settled.delivery.recipients[0].status);
    expect(settled.delivery.attempts.map((a: any) => a.outcome)).toEqual(["retrying", "retrying", "accepted"]);
  });

});

describe("a customer's files through the simulator (inbound media into R2)", () => {
  it("a WhatsApp photo and an MMS are fetched from the simulator the providers' way and served by Parley's signed URL", async () => {
    const png = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + 3) & 0xff);
    const data = btoa(String.fromCharCode(...png));
    for (const [type, from, as] of [["whatsapp", "+14155550188", "whatsapp"], ["sms", "+14155550189", "mms"]] as const) {
      const said = await post(`${sim!.url}/_sim/say`, { channel: type, from, text: `photo by ${type}`, media: [{ content_type: "image/png", data, filename: "parcel.png" }] });
      expect([type, said.status, said.body.parley.status]).toEqual([type, 200, 200]);
      const conversation = await eventually(async () => (await get(`/v1/conversations?address=${encodeURIComponent(from)}`)).data[0]);
      const [message] = (await get(`/v1/conversations/${conversation.id}/messages`)).data;
      expect(message).toMatchObject({ channel: as, body: `photo by ${type}`, media: [{ content_type: "image/png", media_id: expect.stringMatching(/^med_/) }] });
      expect(message.media[0].url.startsWith(`${server!.url}/media/${message.media[0].media_id}?`)).toBe(true);
      const file = await fetch(message.media[0].url);
      expect(file.status).toBe(200);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
    }
  });
});
