import { Webhook } from "standardwebhooks";
import type { Env } from "../env";
import { bytesToBase64 } from "../lib/crypto";
import { LIMITS } from "../lib/limits";
import { deploymentKeyring, openJson, sealJson, type Sealed } from "../lib/secrets";

/**
 * Webhook signing secrets: made here, sealed at rest under the CREDENTIALS_KEYS keyring (the one
 * channel credentials use; src/lib/secrets.ts), and used to sign with the `standardwebhooks`
 * library, so what receivers verify with that library (or any Standard Webhooks one) is exactly
 * what was signed. Secrets are never logged.
 */

/** What one endpoint's sealed value holds: the secret that signs, and the one a rotation replaced (until it expires). */
export interface WebhookSecrets {
  current: string;
  previous: string | null;
}

/** A fresh secret in the Standard Webhooks format: `whsec_` and the base64 of random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${bytesToBase64(crypto.getRandomValues(new Uint8Array(LIMITS.webhookSecretBytes)))}`;
}

export const NOT_CONFIGURED = "webhook secrets cannot be sealed: CREDENTIALS_KEYS is not configured on this deployment";

const keyring = (env: Env) => deploymentKeyring(env, "webhook secrets", NOT_CONFIGURED);

/** Binds a ciphertext to its endpoint: copied to another row or account, it does not open. */
const aad = (accountId: string, webhookId: string) => `parley/webhook-secrets/v1 ${accountId} ${webhookId}`;

export async function sealSecrets(env: Env, accountId: string, webhookId: string, secrets: WebhookSecrets): Promise<Sealed> {
  return sealJson(await keyring(env), secrets, aad(accountId, webhookId));
}

/** Throws UnsealError when the row's ciphertext does not open (its key gone from the ring, or not this row's). */
export async function openSecrets(env: Env, row: { accountId: string; id: string; keyId: string; ciphertext: string }): Promise<WebhookSecrets> {
  const value = (await openJson(await keyring(env), { keyId: row.keyId, ciphertext: row.ciphertext }, aad(row.accountId, row.id))) as WebhookSecrets;
  return { current: value.current, previous: value.previous ?? null };
}

/** The secrets that sign at `now`: the current one first, then the replaced one while its overlap lasts. */
export function signingSecrets(secrets: WebhookSecrets, previousExpiresAt: number | null, now: number): string[] {
  return secrets.previous !== null && previousExpiresAt !== null && now < previousExpiresAt ? [secrets.current, secrets.previous] : [secrets.current];
}

/**
 * The `webhook-signature` header: one `v1,<base64>` entry per secret, space-separated, each made by
 * the library over `id.timestamp.payload`. The payload is the exact string sent as the body
 * (the library signs a string as given; an object would be re-serialized).
 */
export function signatureHeader(secrets: readonly string[], webhookId: string, timestamp: Date, payload: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(webhookId, timestamp, payload)).join(" ");
}
