/**
 * The Web Crypto piece the providers' signature schemes share: each is an HMAC over some bytes,
 * spelled in hex or base64 (bytesToHex, bytesToBase64 in lib/crypto). The providers' SDKs use
 * node:crypto, which the Workers runtime lacks.
 */

const encoder = new TextEncoder();

export type Bytes = ArrayBuffer | Uint8Array;

function bytes(data: string | Bytes): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data instanceof Uint8Array ? data : new Uint8Array(data);
}

/**
 * HMAC of `data` under a UTF-8 `secret`, or null for an empty secret: Web Crypto refuses an empty
 * HMAC key, and a channel without its secret must verify nothing rather than throw.
 */
export async function hmac(hash: "SHA-1" | "SHA-256", secret: string, data: string | Bytes): Promise<Uint8Array | null> {
  if (secret === "") return null;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes(data)));
}
