import { expect } from "vitest";
import { call, env } from "./helpers";

/** Credential values the tests look for in every response and in D1: none may ever show up. */
export const SECRETS = {
  account_sid: "AC0123456789abcdef0123456789abcdef",
  auth_token: "twilio-auth-token-0f1e2d3c4b5a",
  access_token: "EAAmeta-access-token-9a8b7c6d",
  app_secret: "meta-app-secret-5e4d3c2b1a",
  verify_token: "meta-verify-token-1234",
  api_key: "mailgun-api-key-feedbeefcafe",
  signing_key: "mailgun-signing-key-abcdef99",
};

const twilioCredentials = { account_sid: SECRETS.account_sid, auth_token: SECRETS.auth_token };
const metaCredentials = { access_token: SECRETS.access_token, app_secret: SECRETS.app_secret, verify_token: SECRETS.verify_token };

/** A valid create body for each provider, with the sender given. */
export const bodies = {
  twilioSms: (sender = "+14155550100") => ({ type: "sms", provider: "twilio", sender, credentials: twilioCredentials }),
  twilioWhatsApp: (sender = "+14155550100") => ({ type: "whatsapp", provider: "twilio", sender, credentials: twilioCredentials }),
  metaWhatsApp: (sender = "106540352242922") => ({ type: "whatsapp", provider: "meta", sender, credentials: metaCredentials }),
  messenger: (sender = "1234567890123") => ({ type: "messenger", provider: "meta", sender, credentials: metaCredentials }),
  mailgun: (sender = "mg.example.com") => ({ type: "email", provider: "mailgun", sender, credentials: { api_key: SECRETS.api_key, signing_key: SECRETS.signing_key } }),
  // A fresh domain by default: an address (and its domain) takes mail for one account only, and the tests of a file share D1.
  cloudflare: (sender = `support@${crypto.randomUUID().slice(0, 8)}.example.com`) => ({ type: "email", provider: "cloudflare", sender }),
};

/** Connects a channel over HTTP and insists it was created. */
export async function connect(key: string, body: Record<string, unknown>) {
  const res = await call("POST", "/v1/channels", { key, body });
  if (res.status !== 201) throw new Error(`channel creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Asserts that no credential value appears anywhere in `text` (a response body, a D1 row). */
export function expectNoSecrets(text: string) {
  for (const [name, value] of Object.entries(SECRETS)) expect(text, name).not.toContain(value);
}

/** The conversation a contact's messages went to (the thread claimed in D1). */
export async function threadOf(accountId: string, channel: string, address: string): Promise<string | null> {
  const row = await env.DB.prepare(
    `SELECT t.conversation_id AS id FROM contact_threads t JOIN contact_addresses a ON a.contact_id = t.contact_id
     WHERE a.account_id = ? AND a.channel = ? AND a.address = ?`,
  )
    .bind(accountId, channel, address)
    .first<{ id: string }>();
  return row?.id ?? null;
}

type Stored = { body: string; author: string; author_kind: string; channel: string; media: { url: string; content_type: string; filename?: string }[] };

/** A conversation's messages, oldest first, with what the provider said under `attributes.inbound`. */
export async function history(key: string, conversationId: string) {
  return (await call("GET", `/v1/conversations/${conversationId}/messages?limit=100`, { key })).json.data as (Stored & { attributes: { inbound?: { provider_message_id: string; [field: string]: unknown } } })[];
}
