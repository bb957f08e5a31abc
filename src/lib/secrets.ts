import { z } from "zod";
import { base64ToBytes, bytesToBase64 } from "./crypto";
import { fail } from "./problem";

/**
 * Secrets sealed at rest: a JSON value encrypted with AES-256-GCM under a keyring that lives in a
 * Worker secret, never in the database. Each sealed value records the id of the key it was sealed
 * with, so keys can rotate: a new key becomes `current` for every later write, and older keys stay
 * in the ring to open what they sealed until those rows are sealed again.
 *
 * The keyring is JSON: `{"current": "k2", "keys": {"k1": "<base64 of 32 random bytes>", "k2": "…"}}`.
 *
 * The caller's `aad` (additional authenticated data) is bound into the ciphertext without being
 * stored in it: a ciphertext opens only with the same `aad`, so one copied to another row (another
 * record's id, another tenant) does not open there.
 */

export interface Keyring {
  readonly current: string;
  readonly keys: ReadonlyMap<string, CryptoKey>;
}

/** What a sealed value is stored as: the key id beside the ciphertext (base64 of IV ‖ ciphertext ‖ tag). */
export interface Sealed {
  keyId: string;
  ciphertext: string;
}

/** The keyring itself is unusable. The message says why and never carries key material. */
export class KeyringError extends Error {}

/** A sealed value does not open: unknown key id, damaged ciphertext, or another `aad`. */
export class UnsealError extends Error {}

const KEY_BYTES = 32;
/** 96-bit random IVs: safe for about 2^32 seals under one key, far beyond credential writes. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

const KeyId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const KeyringJson = z.object({ current: KeyId, keys: z.record(KeyId, z.string()) });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Parses and imports a keyring from its JSON text. */
export async function parseKeyring(text: string): Promise<Keyring> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyringError("the keyring is not JSON");
  }
  const parsed = KeyringJson.safeParse(json);
  if (!parsed.success) throw new KeyringError('the keyring must look like {"current": "<key id>", "keys": {"<key id>": "<base64 of 32 bytes>"}}');
  const { current, keys } = parsed.data;
  if (!Object.hasOwn(keys, current)) throw new KeyringError(`the current key "${current}" is not in keys`);
  const imported = new Map<string, CryptoKey>();
  for (const [id, encoded] of Object.entries(keys)) {
    let raw: Uint8Array;
    try {
      raw = base64ToBytes(encoded);
    } catch {
      throw new KeyringError(`key "${id}" is not base64`);
    }
    if (raw.byteLength !== KEY_BYTES) throw new KeyringError(`key "${id}" is ${raw.byteLength} bytes; AES-256 needs ${KEY_BYTES}`);
    imported.set(id, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  return { current, keys: imported };
}

/** The last keyring parsed, by its text: the secret does not change within an isolate's life. */
let cached: { text: string; keyring: Promise<Keyring> } | undefined;

/** `parseKeyring`, imported once per isolate for the same text. */
export function keyringFrom(text: string): Promise<Keyring> {
  if (cached?.text !== text) cached = { text, keyring: parseKeyring(text) };
  return cached.keyring;
}

/** Seals `value` (as JSON) under the keyring's current key, bound to `aad`. */
export async function sealJson(keyring: Keyring, value: unknown, aad: string): Promise<Sealed> {
  const key = keyring.keys.get(keyring.current);
  if (!key) throw new KeyringError(`the current key "${keyring.current}" is not in keys`);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(aad) }, key, encoder.encode(JSON.stringify(value)));
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return { keyId: keyring.current, ciphertext: bytesToBase64(out) };
}

/** Opens what `sealJson` sealed, with the key it names and the same `aad`. */
export async function openJson(keyring: Keyring, sealed: Sealed, aad: string): Promise<unknown> {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new UnsealError(`key "${sealed.keyId}" is not in the keyring`);
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(sealed.ciphertext);
  } catch {
    throw new UnsealError("the ciphertext is not base64");
  }
  if (bytes.byteLength < IV_BYTES + TAG_BYTES) throw new UnsealError("the ciphertext is too short");
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(aad) }, key, bytes.subarray(IV_BYTES));
  } catch {
    // GCM says only that authentication failed: a changed byte, another key or another aad look alike.
    throw new UnsealError(`the ciphertext does not open under key "${sealed.keyId}" for this record (damaged, or sealed for another)`);
  }
  return JSON.parse(decoder.decode(plain));
}

/**
 * The deployment's keyring (the CREDENTIALS_KEYS secret), or a 503 problem saying `unavailable`
 * when there is none or it is broken. Checked at the first use, not at startup: a deployment
 * that seals nothing keeps serving everything else. `what` names what could not be sealed, in
 * the log only.
 */
export async function deploymentKeyring(env: { CREDENTIALS_KEYS?: string }, what: string, unavailable: string): Promise<Keyring> {
  if (!env.CREDENTIALS_KEYS) {
    console.error(`CREDENTIALS_KEYS is not set: ${what} can be neither sealed nor opened (see README, Deploying)`);
    throw fail.unavailable(unavailable);
  }
  try {
    return await keyringFrom(env.CREDENTIALS_KEYS);
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    console.error(`CREDENTIALS_KEYS is unusable: ${error.message}`);
    throw fail.unavailable(unavailable);
  }
}
