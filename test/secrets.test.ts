import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64 } from "../src/lib/crypto";
import { KeyringError, keyringFrom, openJson, parseKeyring, sealJson, UnsealError } from "../src/lib/secrets";

const randomKey = () => bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
const K1 = randomKey();
const K2 = randomKey();
const ring = (current: string, keys: Record<string, string>) => parseKeyring(JSON.stringify({ current, keys }));

const SECRET = { auth_token: "f00dfeedf00dfeedf00dfeedf00dfeed", note: "ünïcode ✓" };
const AAD = "test/v1 acct_A chan_A";

describe("sealJson / openJson", () => {
  it("round-trips a JSON value, and the ciphertext shows nothing of it", async () => {
    const keyring = await ring("k1", { k1: K1 });
    const sealed = await sealJson(keyring, SECRET, AAD);
    expect(sealed.keyId).toBe("k1");
    expect(sealed.ciphertext).not.toContain("f00d");
    expect(atob(sealed.ciphertext)).not.toContain("f00d");
    expect(await openJson(keyring, sealed, AAD)).toEqual(SECRET);
  });

  it("seals the same value differently each time (a fresh IV)", async () => {
    const keyring = await ring("k1", { k1: K1 });
    const [a, b] = await Promise.all([sealJson(keyring, SECRET, AAD), sealJson(keyring, SECRET, AAD)]);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it("refuses a key id the keyring does not have", async () => {
    const sealed = await sealJson(await ring("k1", { k1: K1 }), SECRET, AAD);
    const other = await ring("k2", { k2: K2 });
    await expect(openJson(other, sealed, AAD)).rejects.toThrow(UnsealError);
    await expect(openJson(other, sealed, AAD)).rejects.toThrow('key "k1" is not in the keyring');
  });

  it("refuses a ciphertext labelled with the wrong key id", async () => {
    const keyring = await ring("k1", { k1: K1, k2: K2 });
    const sealed = await sealJson(keyring, SECRET, AAD);
    await expect(openJson(keyring, { ...sealed, keyId: "k2" }, AAD)).rejects.toThrow(UnsealError);
  });

  it("refuses a tampered ciphertext: any flipped bit, a truncation, garbage", async () => {
    const keyring = await ring("k1", { k1: K1 });
    const sealed = await sealJson(keyring, SECRET, AAD);
    const bytes = base64ToBytes(sealed.ciphertext);
    for (const at of [0, 12, bytes.length - 1]) {
      const flipped = bytes.slice();
      flipped[at] = flipped[at]! ^ 1;
      await expect(openJson(keyring, { ...sealed, ciphertext: bytesToBase64(flipped) }, AAD), `byte ${at}`).rejects.toThrow(UnsealError);
    }
    await expect(openJson(keyring, { ...sealed, ciphertext: bytesToBase64(bytes.slice(0, 20)) }, AAD)).rejects.toThrow(UnsealError);
    await expect(openJson(keyring, { ...sealed, ciphertext: "not base64 at all!" }, AAD)).rejects.toThrow(UnsealError);
  });

  it("refuses another aad: a ciphertext moved to another record does not open there", async () => {
    const keyring = await ring("k1", { k1: K1 });
    const sealed = await sealJson(keyring, SECRET, AAD);
    await expect(openJson(keyring, sealed, "test/v1 acct_A chan_B")).rejects.toThrow(UnsealError);
    await expect(openJson(keyring, sealed, "test/v1 acct_B chan_A")).rejects.toThrow(UnsealError);
    await expect(openJson(keyring, sealed, "")).rejects.toThrow(UnsealError);
  });
});

describe("key rotation", () => {
  it("opens old rows with the old key while new writes use the current one", async () => {
    const before = await ring("k1", { k1: K1 });
    const old = await sealJson(before, SECRET, AAD);

    // Rotation: k2 is added and made current; k1 stays to open what it sealed.
    const after = await ring("k2", { k1: K1, k2: K2 });
    expect(await openJson(after, old, AAD)).toEqual(SECRET);
    const fresh = await sealJson(after, { auth_token: "new" }, AAD);
    expect(fresh.keyId).toBe("k2");
    expect(await openJson(after, fresh, AAD)).toEqual({ auth_token: "new" });

    // Once k1 is retired, only what was sealed again under k2 still opens.
    const retired = await ring("k2", { k2: K2 });
    await expect(openJson(retired, old, AAD)).rejects.toThrow(UnsealError);
    expect(await openJson(retired, fresh, AAD)).toEqual({ auth_token: "new" });
  });
});

describe("parseKeyring", () => {
  it("refuses a keyring that cannot work, saying why without showing key material", async () => {
    const cases: [string, string][] = [
      ["not json", "not JSON"],
      [JSON.stringify({ keys: { k1: K1 } }), "must look like"],
      [JSON.stringify({ current: "k9", keys: { k1: K1 } }), 'current key "k9" is not in keys'],
      [JSON.stringify({ current: "k1", keys: { k1: bytesToBase64(new Uint8Array(16)) } }), 'key "k1" is 16 bytes'],
      [JSON.stringify({ current: "k1", keys: { k1: "%%%%" } }), 'key "k1" is not base64'],
      [JSON.stringify({ current: "bad id!", keys: { "bad id!": K1 } }), "must look like"],
    ];
    for (const [text, message] of cases) {
      const error = await parseKeyring(text).catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(KeyringError);
      expect((error as Error).message, text).toContain(message);
      expect((error as Error).message).not.toContain(K1);
    }
  });

  it("accepts URL-safe base64 without padding, and keyringFrom imports a text once", async () => {
    const urlSafe = K1.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const a = await ring("k1", { k1: K1 });
    const b = await ring("k1", { k1: urlSafe });
    expect(await openJson(b, await sealJson(a, SECRET, AAD), AAD)).toEqual(SECRET);
    const text = JSON.stringify({ current: "k1", keys: { k1: K1 } });
    expect(await keyringFrom(text)).toBe(await keyringFrom(text));
  });
});
