/**
 * The provider APIs Parley sends through, as src/channels/providers/send-*.ts calls them: Twilio's
 * Messages.json, the Graph API's /{id}/messages (WhatsApp Cloud API and Messenger Send API) and
 * Mailgun's /v3/{domain}/messages. Each checks auth against the channels it was told about,
 * answers in the provider's own success and error bodies, and then posts the status callbacks the
 * provider would, signed the way it signs them. And the files simulated customers sent, served
 * the way each provider serves a customer's media (the end of this file).
 */
import { magicOf, WHATSAPP_UNDELIVERABLE } from "./magic";
import { cdnUrl, messengerReceipt, mid, randomHex, twilioSid, twilioStatus, wamid, whatsAppStatus, type SignedPost, type SimChannel } from "./payloads";
import type { LogEntry, SimState } from "./state";

export interface Sim {
  state: DurableObjectStub<SimState>;
  channels: SimChannel[];
  /** Posts to Parley and logs the exchange with Parley's HTTP status. */
  post(post: SignedPost, entry: Omit<LogEntry, "at" | "http">): Promise<number>;
  /** Runs after the answer has gone (waitUntil): the callbacks come asynchronously, as the providers' do. */
  later(task: () => Promise<void>): void;
  /** The gap before each status callback. */
  delayMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function basicAuth(request: Request): { user: string; password: string } | null {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Basic ")) return null;
  try {
    const decoded = atob(header.slice(6).trim());
    const colon = decoded.indexOf(":");
    return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return null;
  }
}

/** The flaky recipient fails its first two tries of every three: a 5xx the adapters call transient. */
async function flakyFails(sim: Sim, provider: string, to: string): Promise<boolean> {
  return magicOf(to) === "flaky" && (await sim.state.attempt(`${provider}:${to}`)) % 3 !== 0;
}

// --- Twilio -----------------------------------------------------------------------------------

/** Twilio's error body: {code, message, more_info, status}. */
function twilioError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, status, headers);
}

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace("GMT", "+0000");
const E164 = /^\+[1-9]\d{6,14}$/;

export async function twilioMessages(request: Request, accountSid: string, sim: Sim): Promise<Response> {
  const auth = basicAuth(request);
  const account = sim.channels.filter((c) => c.provider === "twilio" && c.credentials.account_sid === accountSid);
  const authToken = account[0]?.credentials.auth_token;
  if (!auth || auth.user !== accountSid || authToken === undefined || auth.password !== authToken) {
    return twilioError(401, 20003, "Authenticate", { "www-authenticate": 'Basic realm="Twilio API"' });
  }
  const form = new URLSearchParams(await request.text());
  const to = form.get("To") ?? "";
  const from = form.get("From") ?? "";
  const body = form.get("Body") ?? "";
  const media = form.getAll("MediaUrl");
  const callback = form.get("StatusCallback");
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!from && !form.get("MessagingServiceSid")) return twilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
  const bare = (a: string) => a.replace(/^whatsapp:/, "");
  if (!E164.test(bare(to))) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  const channel = account.find((c) => c.sender === bare(from));
  if (from && !channel) return twilioError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
  if (body === "" && media.length === 0) return twilioError(400, 21602, "Message body is required.");
  if (body.length > 1600) return twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
  if (media.length > 0 && magicOf(to) === "refusesMms") {
    return twilioError(400, 21612, `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via MMS.`);
  }
  if (await flakyFails(sim, "twilio", to)) return twilioError(500, 20500, "Internal Server Error");

  const sid = twilioSid("SM");
  const now = Date.now();
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  await sim.state.log({ at: now, kind: "send", channel: channel?.type ?? "sms", from, to, body, id: sid, http: 201, note: media.length ? `${media.length} media` : undefined });
  if (callback) {
    sim.later(async () => {
      const status = (s: string, errorCode?: string) => twilioStatus(callback, authToken, { sid, accountSid, from, to, status: s, errorCode });
      const entry = (s: string) => ({ kind: "receipt" as const, channel: channel?.type ?? "sms", to, id: sid, status: s });
      await sleep(sim.delayMs);
      await sim.post(await status("sent"), entry("sent"));
      const magic = magicOf(to);
      if (magic === "noReceipt") return;
      await sleep(sim.delayMs);
      if (magic === "undeliverable") await sim.post(await status("undelivered", "30003"), entry("undelivered"));
      else await sim.post(await status("delivered"), entry("delivered"));
    });
  }
  return json(
    {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body,
      date_created: rfc2822(now),
      date_sent: null,
      date_updated: rfc2822(now),
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: from || null,
      messaging_service_sid: form.get("MessagingServiceSid"),
      num_media: String(media.length),
      num_segments: "1",
      price: null,
      price_unit: "USD",
      sid,
      status: "queued",
      subresource_uris: { media: uri.replace(/\.json$/, "/Media.json") },
      to,
      uri,
    },
    201,
  );
}

// --- Graph (WhatsApp Cloud API, Messenger Send API) ---------------------------------------------

/** The Graph error envelope {error: {message, type, code, error_subcode?, fbtrace_id}}. */
function graphError(status: number, code: number, message: string, extra: Record<string, unknown> = {}): Response {
  return json({ error: { message, type: "OAuthException", code, ...extra, fbtrace_id: `A${randomHex(22)}` } }, status);
}

export async function graphMessages(request: Request, objectId: string, sim: Sim): Promise<Response> {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Bearer ")) return graphError(400, 104, "An access token is required to request this resource.");
  const channel = sim.channels.find((c) => c.provider === "meta" && c.sender === objectId);
  if (!channel) {
    return graphError(400, 100, `Unsupported post request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { error_subcode: 33 });
  }
  if (header.slice(7).trim() !== channel.credentials.access_token) return graphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
  let body: Record<string, any>;
  try {
    body = (await request.json()) as Record<string, any>;
  } catch {
    return graphError(400, 100, "(#100) The request body is not valid JSON.");
  }
  return channel.type === "messenger" ? messengerSend(channel, body, sim) : whatsAppSend(channel, body, sim);
}

async function whatsAppSend(channel: SimChannel, body: Record<string, any>, sim: Sim): Promise<Response> {
  if (body.messaging_product !== "whatsapp") return graphError(400, 100, "(#100) The parameter messaging_product is required.");
  const to = typeof body.to === "string" ? body.to : "";
  if (!/^\+?\d{7,15}$/.test(to)) return graphError(400, 100, "(#100) Invalid parameter", { error_data: { messaging_product: "whatsapp", details: "Invalid 'to' parameter" } });
  const type = body.type ?? "text";
  if (type === "text" && typeof body.text?.body !== "string") return graphError(400, 100, "(#100) The parameter text['body'] is required.");
  if (await flakyFails(sim, "whatsapp", to)) return graphError(503, 2, "Service temporarily unavailable", { is_transient: true });

  const id = wamid();
  const digits = to.replace(/^\+/, "");
  const text = type === "text" ? body.text.body : type === "template" ? `template ${body.template?.name}` : (body[type]?.caption ?? `[${type}]`);
  await sim.state.log({ at: Date.now(), kind: "send", channel: "whatsapp", from: channel.sender, to: `+${digits}`, body: text, id, http: 200 });
  sim.later(async () => {
    const entry = (s: string) => ({ kind: "receipt" as const, channel: "whatsapp", to: `+${digits}`, id, status: s });
    await sleep(sim.delayMs);
    const magic = magicOf(digits);
    if (magic === "undeliverable") {
      await sim.post(await whatsAppStatus(channel, { id, to: digits, status: "failed", error: WHATSAPP_UNDELIVERABLE }), entry("failed 131026"));
      return;
    }
    await sim.post(await whatsAppStatus(channel, { id, to: digits, status: "sent" }), entry("sent"));
    if (magic === "noReceipt") return;
    await sleep(sim.delayMs);
    await sim.post(await whatsAppStatus(channel, { id, to: digits, status: "delivered" }), entry("delivered"));
  });
  return json({ messaging_product: "whatsapp", contacts: [{ input: to, wa_id: digits }], messages: [{ id }] }, 200);
}

async function messengerSend(channel: SimChannel, body: Record<string, any>, sim: Sim): Promise<Response> {
  const psid = body.recipient?.id;
  if (typeof psid !== "string" || psid === "") return graphError(400, 100, "(#100) The parameter recipient is required");
  if (!body.message) return graphError(400, 100, "(#100) Must send either message or sender action");
  if (body.messaging_type !== "RESPONSE" && body.messaging_type !== "UPDATE" && body.messaging_type !== "MESSAGE_TAG") {
    return graphError(400, 100, "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}");
  }
  if (body.messaging_type === "MESSAGE_TAG" && !body.tag) return graphError(400, 100, "(#100) Param tag is required for messaging_type MESSAGE_TAG");
  if (await flakyFails(sim, "messenger", psid)) return graphError(500, 1200, "Temporary send message failure. Please try again later", { is_transient: true });

  const id = mid();
  const text = body.message.text ?? `[${body.message.attachment?.type ?? "attachment"}]`;
  await sim.state.log({ at: Date.now(), kind: "send", channel: "messenger", from: channel.sender, to: psid, body: text, id, http: 200 });
  if (magicOf(psid) !== "noReceipt") {
    sim.later(async () => {
      await sleep(sim.delayMs);
      await sim.post(await messengerReceipt(channel, psid, "delivery", [id]), { kind: "receipt", channel: "messenger", to: psid, id, status: "delivered" });
    });
  }
  return json({ recipient_id: psid, message_id: id }, 200);
}

// --- Mailgun ------------------------------------------------------------------------------------

const domainOf = (sender: string) => sender.slice(sender.lastIndexOf("@") + 1);

export async function mailgunMessages(request: Request, domain: string, sim: Sim): Promise<Response> {
  const auth = basicAuth(request);
  const keys = sim.channels.filter((c) => c.provider === "mailgun");
  // Mailgun answers a wrong key with a bare 401 "Forbidden", before it looks at the domain.
  if (!auth || auth.user !== "api" || !keys.some((c) => c.credentials.api_key === auth.password)) return new Response("Forbidden", { status: 401 });
  const channel = keys.find((c) => domainOf(c.sender) === domain.toLowerCase() && c.credentials.api_key === auth.password);
  if (!channel) return json({ message: `Domain not found: ${domain}` }, 404);
  const form = new URLSearchParams(await request.text());
  const [from, to, text] = [form.get("from"), form.get("to"), form.get("text") ?? form.get("html")];
  if (!from) return json({ message: "from parameter is missing" }, 400);
  if (!to) return json({ message: "to parameter is missing" }, 400);
  if (!text && !form.get("template")) return json({ message: "Need at least one of 'text', 'html' or 'template' parameters specified" }, 400);
  if (await flakyFails(sim, "mailgun", to)) return json({ message: "Service Unavailable" }, 503);

  const id = `<${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}.${randomHex(16)}@${domain}>`;
  const subject = form.get("subject") ?? "";
  await sim.state.log({ at: Date.now(), kind: "send", channel: "email", from, to, body: subject ? `${subject}: ${text}` : (text ?? ""), id, http: 200 });
  return json({ id, message: "Queued. Thank you." }, 200);
}

// --- Media: the files simulated customers sent, served back as each provider serves them --------

type MediaSim = Pick<Sim, "state" | "channels">;

const fileResponse = (file: { content_type: string; bytes: Uint8Array }) =>
  new Response(file.bytes, { headers: { "content-type": file.content_type, "content-length": String(file.bytes.byteLength) } });

/**
 * GET /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{MediaSid}: a MediaUrl of an
 * inbound MMS. Basic auth with the account's SID and token (Twilio's "HTTP auth on media"), then a
 * 307 to the CDN, which takes no credentials, as Twilio's redirect to its media CDN.
 */
export async function twilioMedia(request: Request, accountSid: string, mediaSid: string, origin: string, sim: MediaSim): Promise<Response> {
  const auth = basicAuth(request);
  const token = sim.channels.find((c) => c.provider === "twilio" && c.credentials.account_sid === accountSid)?.credentials.auth_token;
  if (!auth || auth.user !== accountSid || token === undefined || auth.password !== token) {
    return twilioError(401, 20003, "Authenticate", { "www-authenticate": 'Basic realm="Twilio API"' });
  }
  if (!(await sim.state.file(mediaSid))) return twilioError(404, 20404, `The requested resource /2010-04-01/Accounts/${accountSid}/Media/${mediaSid} was not found`);
  return new Response(null, { status: 307, headers: { location: cdnUrl(origin, mediaSid) } });
}

/** A meta channel whose access token this Bearer header carries, or the Graph's error for it. */
function graphCaller(request: Request, sim: MediaSim): Response | undefined {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Bearer ")) return graphError(400, 104, "An access token is required to request this resource.");
  const token = header.slice(7).trim();
  if (!sim.channels.some((c) => c.provider === "meta" && c.credentials.access_token === token)) return graphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
  return undefined;
}

const sha256Base64 = async (bytes: Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));

/**
 * GET /v{N.N}/{media-id}: the Cloud API's media lookup, `{messaging_product, url, mime_type,
 * sha256, file_size, id}`; the url (Meta's lookaside host, here the simulator) takes the same token.
 */
export async function graphMediaLookup(request: Request, mediaId: string, origin: string, sim: MediaSim): Promise<Response> {
  const refused = graphCaller(request, sim);
  if (refused) return refused;
  const file = await sim.state.file(mediaId);
  if (!file) {
    return graphError(400, 100, `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { error_subcode: 33 });
  }
  const url = `${origin}/whatsapp_business/attachments/?mid=${mediaId}&ext=${Math.floor(Date.now() / 1000)}&hash=ATs${randomHex(12)}`;
  return json({ messaging_product: "whatsapp", url, mime_type: file.content_type, sha256: await sha256Base64(file.bytes), file_size: file.bytes.byteLength, id: mediaId }, 200);
}

/** GET /whatsapp_business/attachments/?mid=…: the bytes behind a media lookup's url, with the access token. */
export async function whatsAppMediaBytes(request: Request, mediaId: string, sim: MediaSim): Promise<Response> {
  const refused = graphCaller(request, sim);
  if (refused) return refused;
  const file = await sim.state.file(mediaId);
  return file ? fileResponse(file) : new Response("Not Found", { status: 404 });
}

/** GET /_sim/cdn/{id}: a provider's CDN (Twilio's redirect target, Messenger's attachment URLs): no credentials. */
export async function cdnFile(id: string, sim: MediaSim): Promise<Response> {
  const file = await sim.state.file(id);
  return file ? fileResponse(file) : new Response("Not Found", { status: 404 });
}
