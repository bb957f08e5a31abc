/**
 * Meta (the WhatsApp Cloud API and Messenger): X-Hub-Signature-256, the GET verification
 * handshake, and the two webhook parsers (in meta-whatsapp.ts and meta-messenger.ts).
 */
import { bytesToHex as hex, secretsEqual } from "../../lib/crypto";
import { hmac, type Bytes } from "./hmac";

export { parseWhatsAppWebhook } from "./meta-whatsapp";
export { parseMessengerWebhook } from "./meta-messenger";

const PREFIX = "sha256=";

/** The X-Hub-Signature-256 value Meta sends for `rawBody` (null for an empty secret); also for the simulator. */
export async function metaSignature(rawBody: Bytes | string, appSecret: string): Promise<string | null> {
  const digest = await hmac("SHA-256", appSecret, rawBody);
  return digest && PREFIX + hex(digest);
}

/**
 * True when `header` (X-Hub-Signature-256) is `sha256=` and the HMAC-SHA256 of the body's bytes
 * under the app secret. The bytes as received: a body parsed and serialized again no longer matches.
 */
export async function verifyMetaSignature(rawBody: Bytes, header: string | null, appSecret: string): Promise<boolean> {
  if (!header?.startsWith(PREFIX)) return false;
  const expected = await metaSignature(rawBody, appSecret);
  return expected !== null && secretsEqual(expected, PREFIX + header.slice(PREFIX.length).toLowerCase());
}

/**
 * Meta's subscription check (GET with hub.mode, hub.verify_token, hub.challenge): the challenge to
 * echo as the 200 body when the token is the channel's, else null (the route answers 403).
 */
export function verifyHandshake(query: URLSearchParams, verifyToken: string): string | null {
  const challenge = query.get("hub.challenge");
  const token = query.get("hub.verify_token");
  if (query.get("hub.mode") !== "subscribe" || !challenge || token === null || verifyToken === "") return null;
  return secretsEqual(token, verifyToken) ? challenge : null;
}
