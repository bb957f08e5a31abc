/**
 * The local provider simulator: the Twilio, Graph and Mailgun APIs Parley's development channels
 * point their base_url at, plus a page and a route to write to Parley as a customer. See
 * sim/README.md. Routes of its own are under /_sim/ so they cannot clash with a provider's.
 */
import { MAGIC } from "./magic";
import { page } from "./page";
import { customerMessage, type SignedPost, type SimChannel } from "./payloads";
import { graphMessages, mailgunMessages, twilioMessages, type Sim } from "./providers";
import { SimState, type LogEntry } from "./state";

export { SimState };

interface Env {
  STATE: DurableObjectNamespace<SimState>;
  RECEIPT_DELAY_MS?: string;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body, null, 2), { status, headers: { "content-type": "application/json" } });
const notFound = () => json({ error: "not a route the simulator serves", routes: ["/", "/_sim/channels", "/_sim/say", "/_sim/log", "/2010-04-01/Accounts/{sid}/Messages.json", "/{version}/{id}/messages", "/v3/{domain}/messages"] }, 404);

/**
 * Its own routes take JSON only: a browser page elsewhere cannot post JSON cross-origin without a
 * preflight the simulator never grants, so no other site can write to Parley through it.
 */
const isJson = (request: Request) => request.headers.get("content-type")?.split(";")[0]?.trim() === "application/json";

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const state = env.STATE.get(env.STATE.idFromName("simulator"));

    async function post(signed: SignedPost, entry: Omit<LogEntry, "at" | "http">): Promise<{ http: number; answer: string }> {
      let http = 0;
      let answer = "";
      try {
        const res = await fetch(signed.url, { method: "POST", headers: signed.headers, body: signed.body });
        http = res.status;
        answer = await res.text();
      } catch (error) {
        answer = `could not reach Parley: ${error instanceof Error ? error.message : String(error)}`;
      }
      await state.log({ ...entry, at: Date.now(), http, note: http >= 200 && http < 300 ? entry.note : answer.slice(0, 300) });
      return { http, answer };
    }

    if (request.method === "GET" && path === "/") return new Response(page(MAGIC), { headers: { "content-type": "text/html; charset=utf-8" } });
    if (request.method === "GET" && path === "/health") return new Response("ok");
    if (path.startsWith("/_sim/")) {
      if (request.method === "GET" && path === "/_sim/log") return json(await state.recent());
      if (request.method === "GET" && path === "/_sim/channels") {
        // The page needs what to write to; secrets stay in the simulator.
        return json((await state.channels()).map(({ credentials: _, ...rest }) => rest));
      }
      if (request.method !== "POST") return notFound();
      if (!isJson(request)) return json({ error: "send Content-Type: application/json" }, 415);
      const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
      if (path === "/_sim/channels") {
        const channels = body?.channels;
        if (!Array.isArray(channels)) return json({ error: "expected {channels: [...]}" }, 400);
        await state.setChannels(channels as SimChannel[]);
        return json({ channels: channels.length });
      }
      if (path === "/_sim/say") return say(body ?? {}, await state.channels(), post);
      return notFound();
    }

    if (request.method === "POST") {
      const sim: Sim = {
        state,
        channels: await state.channels(),
        post: async (signed, entry) => (await post(signed, entry)).http,
        later: (task) => ctx.waitUntil(task().catch((e) => console.error("status callback failed", e))),
        delayMs: Number(env.RECEIPT_DELAY_MS ?? 300),
      };
      const twilio = path.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (twilio) return twilioMessages(request, decodeURIComponent(twilio[1]!), sim);
      const mailgun = path.match(/^\/v3\/([^/]+)\/messages$/);
      if (mailgun) return mailgunMessages(request, decodeURIComponent(mailgun[1]!), sim);
      const graph = path.match(/^\/v\d+\.\d+\/(\d+)\/messages$/);
      if (graph) return graphMessages(request, graph[1]!, sim);
    }
    return notFound();
  },
} satisfies ExportedHandler<Env>;

/**
 * POST /_sim/say {channel, from, text, subject?, channel_id?}: the customer's message, posted to
 * the channel's inbound URL as its provider would post it. Answers with Parley's answer.
 */
async function say(
  body: Record<string, unknown>,
  channels: SimChannel[],
  post: (signed: SignedPost, entry: Omit<LogEntry, "at" | "http">) => Promise<{ http: number; answer: string }>,
): Promise<Response> {
  const { channel: type, channel_id, from, text, subject } = body;
  if (typeof from !== "string" || from === "" || typeof text !== "string" || text === "") return json({ error: "from and text are required" }, 400);
  const channel = channels.find((c) => (channel_id ? c.id === channel_id : c.type === type));
  if (!channel) {
    const known = channels.map((c) => c.type).join(", ") || "none: is npm start running?";
    return json({ error: `no ${channel_id ?? type} channel; the simulator knows ${known}` }, 404);
  }
  const signed = await customerMessage(channel, from, text, typeof subject === "string" ? subject : undefined);
  const { http, answer } = await post(signed, { kind: "customer", channel: channel.type, from, to: channel.sender, body: text });
  let parley: unknown = answer;
  try {
    parley = JSON.parse(answer);
  } catch {
    // Twilio's webhooks are answered with TwiML or nothing: keep the text
  }
  return json({ channel: { id: channel.id, type: channel.type, provider: channel.provider }, inbound_url: channel.inbound_url, parley: { status: http, body: parley } }, http >= 200 && http < 300 ? 200 : 502);
}
