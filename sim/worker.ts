/**
 * The local provider simulator: the Twilio, Graph and Mailgun APIs Parley's development channels
 * point their base_url at, plus a page and a route to write to Parley as a customer. See
 * sim/README.md. Routes of its own are under /_sim/ so they cannot clash with a provider's.
 */
import { MAGIC } from "./magic";
import { page } from "./page";
import { customerMessageWithMedia, randomHex, twilioSid, type SignedPost, type SignedUpload, type SimChannel, type SimMedia } from "./payloads";
import { cdnFile, graphMediaLookup, graphMessages, mailgunMessages, twilioMedia, twilioMessages, whatsAppMediaBytes, type Sim } from "./providers";
import { SimState, type LogEntry } from "./state";

export { SimState };

interface Env {
  STATE: DurableObjectNamespace<SimState>;
  RECEIPT_DELAY_MS?: string;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body, null, 2), { status, headers: { "content-type": "application/json" } });
const notFound = () =>
  json(
    {
      error: "not a route the simulator serves",
      routes: [
        "/",
        "/_sim/channels",
        "/_sim/say",
        "/_sim/log",
        "/_sim/cdn/{id}",
        "/2010-04-01/Accounts/{sid}/Messages.json",
        "/2010-04-01/Accounts/{sid}/Messages/{sid}/Media/{sid}",
        "/{version}/{id}/messages",
        "/{version}/{media-id}",
        "/whatsapp_business/attachments/?mid={media-id}",
        "/v3/{domain}/messages",
      ],
    },
    404,
  );

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

    async function post(signed: SignedPost | SignedUpload, entry: Omit<LogEntry, "at" | "http">): Promise<{ http: number; answer: string }> {
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
    if (request.method === "GET") {
      // The files simulated customers sent, as each provider serves a customer's media.
      const media = { state, channels: await state.channels() };
      const cdn = path.match(/^\/_sim\/cdn\/([\w-]+)$/);
      if (cdn) return cdnFile(cdn[1]!, media);
      const twilio = path.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/[^/]+\/Media\/([\w-]+)$/);
      if (twilio) return twilioMedia(request, decodeURIComponent(twilio[1]!), twilio[2]!, url.origin, media);
      const lookup = path.match(/^\/v\d+\.\d+\/(\d+)$/);
      if (lookup) return graphMediaLookup(request, lookup[1]!, url.origin, media);
      if (path === "/whatsapp_business/attachments/") return whatsAppMediaBytes(request, url.searchParams.get("mid") ?? "", media);
    }
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
      if (path === "/_sim/say") return say(body ?? {}, await state.channels(), post, state, url.origin);
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

/** What /_sim/say takes per file: at most this many, each at most this big (they are kept in the simulator's Durable Object). */
const SAY_FILES = 4;
const SAY_FILE_BYTES = 1024 * 1024;

/**
 * `media` of /_sim/say, `[{content_type, data (base64), filename?}]`, as files named the way the
 * channel's provider names them: a WhatsApp media id, a Twilio ME sid, a CDN name otherwise. An
 * error sentence for a bad one.
 */
function sayMedia(raw: unknown, channel: SimChannel): SimMedia[] | string {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > SAY_FILES) return `media must be a list of at most ${SAY_FILES} files`;
  const files: SimMedia[] = [];
  for (const item of raw as Record<string, unknown>[]) {
    const { content_type, data, filename } = item ?? {};
    if (typeof content_type !== "string" || !/^[\w.+-]+\/[\w.+-]+$/.test(content_type)) return "each file needs a content_type such as image/png";
    if (typeof data !== "string") return "each file needs its bytes as base64 in data";
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    } catch {
      return "data must be base64";
    }
    if (bytes.byteLength === 0 || bytes.byteLength > SAY_FILE_BYTES) return `each file must be 1 to ${SAY_FILE_BYTES} bytes`;
    const id =
      channel.provider === "twilio" ? twilioSid("ME") : channel.type === "whatsapp" ? String(1e15 + Math.floor(Math.random() * 9e15)) : randomHex(32);
    files.push({ id, content_type, bytes, ...(typeof filename === "string" && filename !== "" ? { filename } : {}) });
  }
  return files;
}

/**
 * POST /_sim/say {channel, from, text, subject?, channel_id?, media?}: the customer's message,
 * posted to the channel's inbound URL as its provider would post it, with files the simulator then
 * serves as the provider would. Answers with Parley's answer.
 */
async function say(
  body: Record<string, unknown>,
  channels: SimChannel[],
  post: (signed: SignedPost | SignedUpload, entry: Omit<LogEntry, "at" | "http">) => Promise<{ http: number; answer: string }>,
  state: DurableObjectStub<SimState>,
  origin: string,
): Promise<Response> {
  const { channel: type, channel_id, from, subject } = body;
  const text = typeof body.text === "string" ? body.text : "";
  const hasMedia = Array.isArray(body.media) && body.media.length > 0;
  if (typeof from !== "string" || from === "" || (text === "" && !hasMedia)) return json({ error: "from, and text or media, are required" }, 400);
  const channel = channels.find((c) => (channel_id ? c.id === channel_id : c.type === type));
  if (!channel) {
    const known = channels.map((c) => c.type).join(", ") || "none: is npm start running?";
    return json({ error: `no ${channel_id ?? type} channel; the simulator knows ${known}` }, 404);
  }
  const media = sayMedia(body.media, channel);
  if (typeof media === "string") return json({ error: media }, 400);
  for (const m of media) await state.putFile(m.id, { content_type: m.content_type, bytes: m.bytes, ...(m.filename ? { filename: m.filename } : {}) });
  const signed = await customerMessageWithMedia(channel, from, text, typeof subject === "string" ? subject : undefined, media, origin);
  const note = media.length > 0 ? `${media.length} file${media.length > 1 ? "s" : ""}` : undefined;
  const { http, answer } = await post(signed, { kind: "customer", channel: channel.type, from, to: channel.sender, body: text, note });
  let parley: unknown = answer;
  try {
    parley = JSON.parse(answer);
  } catch {
    // Twilio's webhooks are answered with TwiML or nothing: keep the text
  }
  return json(
    { channel: { id: channel.id, type: channel.type, provider: channel.provider }, inbound_url: channel.inbound_url, media: media.map((m) => m.id), parley: { status: http, body: parley } },
    http >= 200 && http < 300 ? 200 : 502,
  );
}
