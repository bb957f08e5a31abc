// What the fallback cases need of WhatsApp: Meta's webhook signature (X-Hub-Signature-256), a
// signed inbound WhatsApp Cloud API message as Meta posts it (the customer writes first, which
// opens the 24-hour window), and a fallback account: a WhatsApp channel on Meta whose Graph
// base_url is a fake Graph API in this process (lib/fake-graph.mjs), an SMS channel on Twilio whose
// base_url is a fake Twilio (lib/fake-twilio.mjs), and conversations, each with a WhatsApp customer
// who wrote in and an agent who answers.
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_TOKEN, log, sleep } from "./config.mjs";
import { must, request, sideAgent, target } from "./http.mjs";
import { twilioSid } from "./channels.mjs";

/**
 * X-Hub-Signature-256: `sha256=` and the lowercase hex HMAC-SHA256 of the raw body, keyed by the
 * app secret as is (src/channels/providers/meta.ts `metaSignature`).
 */
export function metaSignature(appSecret, rawBody) {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

// Meta's captured vector (test/vectors/meta_x_hub_signature_256.json): a wrong signature would only
// show as 401s during the setup.
{
  const root = join(fileURLToPath(import.meta.url), "..", "..", "..");
  const [vector] = JSON.parse(readFileSync(join(root, "test", "vectors", "meta_x_hub_signature_256.json"), "utf8")).vectors;
  if (metaSignature(vector.inputs.appSecret, vector.inputs.rawBody) !== vector.expected["X-Hub-Signature-256"]) {
    throw new Error("bench/lib/whatsapp.mjs: metaSignature does not match Meta's vector");
  }
}

/** A wamid as Meta's look (base64 after `wamid.`), fresh each time. */
const wamid = () => `wamid.HBgL${randomBytes(30).toString("base64").replace(/=+$/, "")}`;

/**
 * An inbound WhatsApp text from `from` (E.164) to the channel's phone_number_id, as the Cloud API
 * posts it (sim/payloads.ts `whatsAppInbound`: the whatsapp_business_account envelope, contacts and
 * messages, digits without the `+`), signed with the channel's app secret over the exact bytes sent.
 */
export function whatsAppInbound(channel, from, text, now = Date.now()) {
  const wa = from.replace(/^\+/, "");
  const payload = {
    object: "whatsapp_business_account",
    entry: [
      {
        id: channel.wabaId,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: channel.sender },
              contacts: [{ profile: { name: "Bench Customer" }, wa_id: wa }],
              messages: [{ from: wa, id: wamid(), timestamp: String(Math.floor(now / 1000)), type: "text", text: { body: text } }],
            },
            field: "messages",
          },
        ],
      },
    ],
  };
  const body = JSON.stringify(payload);
  return {
    method: "POST",
    path: channel.inboundPath,
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-hub-signature-256": metaSignature(channel.credentials.app_secret, body) },
    body,
  };
}

/** Credentials for a Twilio SMS channel; pass the same to several accounts, and to fake.expect(). */
export const twilioCredentials = () => ({ account_sid: twilioSid("AC"), auth_token: randomBytes(16).toString("hex") });

/**
 * An account of its own with a WhatsApp channel (Meta, sender `phoneNumberId`, Graph at
 * `graph.url`, which answers its sends as `mode` says: "refuse" | "accept") and an SMS channel
 * (Twilio at `twilio.url`, with `twilioCreds`). `settings`, if given, is PATCHed to /v1/settings.
 * Returns { accountId, key, whatsapp, sms }.
 */
export async function fallbackAccount({ name, graph, mode, phoneNumberId, twilio, twilioCreds, settings }) {
  const { account, api_key } = await must("POST", "/v1/accounts", ADMIN_TOKEN, { name }, 201);
  const key = api_key.key;
  const credentials = { access_token: `EAAB${randomBytes(24).toString("hex")}`, app_secret: randomBytes(16).toString("hex"), verify_token: randomBytes(8).toString("hex") };
  graph.behave(phoneNumberId, credentials.access_token, mode);
  const wa = await must("POST", "/v1/channels", key, { type: "whatsapp", provider: "meta", sender: phoneNumberId, credentials, base_url: graph.url, friendly_name: `${name} WhatsApp` }, 201);
  const inbound = new URL(wa.inbound_url);
  if (inbound.port !== String(target.port)) throw new Error(`the channel's inbound_url ${wa.inbound_url} is not on the server's port ${target.port}: PUBLIC_BASE_URL is wrong`);
  const sms = await must("POST", "/v1/channels", key, { type: "sms", provider: "twilio", sender: "+15005550006", credentials: twilioCreds, base_url: twilio.url, friendly_name: `${name} SMS` }, 201);
  if (settings) await must("PATCH", "/v1/settings", key, settings, 200);
  const whatsapp = { id: wa.id, sender: phoneNumberId, wabaId: String(100000000000000 + Number(phoneNumberId.slice(-6))), inboundPath: inbound.pathname, credentials };
  return { accountId: account.id, key, whatsapp, sms: { id: sms.id } };
}

/** The conversation a customer's first message went to (from the listing, which takes a moment). */
async function conversationOf(key, address) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const page = await must("GET", `/v1/conversations?address=${encodeURIComponent(address)}`, key, undefined, 200);
    if (page.data.length > 0) return page.data[0].id;
    if (Date.now() > deadline) throw new Error(`no conversation listed for ${address} 15 s after its first WhatsApp message`);
    await sleep(100);
  }
}

/**
 * For each customer number: a signed WhatsApp message from them (which opens their 24-hour window
 * and starts their conversation), then `agent` joins that conversation. Ten at a time. Returns the
 * conversation ids, in the customers' order.
 */
export async function openWindows(account, customers, agent) {
  const ids = [];
  for (let i = 0; i < customers.length; i += 10) {
    const batch = customers.slice(i, i + 10).map(async (address) => {
      const hook = whatsAppInbound(account.whatsapp, address, `Hi, this is ${address}`);
      const res = await request(sideAgent, hook.method, hook.path, hook.headers, hook.body);
      if (res.status !== 200) throw new Error(`signed WhatsApp webhook from ${address}: expected 200, got ${res.status}: ${res.body.slice(0, 300)}`);
      const id = await conversationOf(account.key, address);
      await must("POST", `/v1/conversations/${id}/participants`, account.key, { kind: "agent", identity: agent }, 201);
      return id;
    });
    ids.push(...(await Promise.all(batch)));
  }
  log(`  ${ids.length} WhatsApp customers wrote in (signed Cloud API webhooks); an agent joined each conversation`);
  return ids;
}
