import { describe, expect, it } from "vitest";
import { ADMIN, call, env, errorPaths, newAccount, problemOf } from "./helpers";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("accounts and API keys", () => {
  it("requires the admin token: none or a wrong one is a 401 problem", async () => {
    const none = await call("POST", "/v1/accounts", { body: { name: "x" } });
    problemOf(none, 401);
    const wrong = await call("POST", "/v1/accounts", { key: "not-the-admin-token", body: { name: "x" } });
    problemOf(wrong, 401);
    // An account's own API key is not the admin token either.
    const { id, key } = await newAccount("owner");
    problemOf(await call("POST", "/v1/accounts", { key, body: { name: "x" } }), 401);
    problemOf(await call("GET", `/v1/accounts/${id}/keys`, { key }), 401);
    problemOf(await call("GET", `/v1/accounts/${id}/keys`), 401);
    problemOf(await call("POST", `/v1/accounts/${id}/keys`, { body: { name: "k" } }), 401);
  });

  it("creates an account with a key sk_… that is shown once and works", async () => {
    const res = await call("POST", "/v1/accounts", { key: ADMIN, body: { name: "Acme" } });
    expect(res.status).toBe(201);
    expect(res.json.account).toMatchObject({ name: "Acme" });
    expect(res.json.account.id).toMatch(/^acct_[0-9A-HJKMNP-TV-Z]{26}$/);
    const key: string = res.json.api_key.key;
    expect(key).toMatch(/^sk_[0-9A-Za-z]{40}$/);
    expect(key.startsWith(res.json.api_key.prefix)).toBe(true);
    expect(res.json.api_key.prefix.length).toBeLessThan(key.length);

    // The key works for the API.
    const list = await call("GET", "/v1/conversations", { key });
    expect(list.status).toBe(200);
    expect(list.json).toEqual({ data: [], next_cursor: null });

    // Shown once: listing the keys never gives the secret back.
    const keys = await call("GET", `/v1/accounts/${res.json.account.id}/keys`, { key: ADMIN });
    expect(keys.status).toBe(200);
    expect(keys.json.data).toHaveLength(1);
    expect(JSON.stringify(keys.json)).not.toContain(key);
    expect(keys.json.data[0]).not.toHaveProperty("key");
    expect(keys.json.data[0]).not.toHaveProperty("hash");
  });

  it("stores only a hash of each key in D1", async () => {
    const { id, key } = await newAccount("hashing");
    const second = await call("POST", `/v1/accounts/${id}/keys`, { key: ADMIN, body: { name: "ci" } });
    expect(second.status).toBe(201);
    const secondKey: string = second.json.key;
    expect(secondKey).toMatch(/^sk_[0-9A-Za-z]{40}$/);
    expect(secondKey).not.toBe(key);

    const { results } = await env.DB.prepare("SELECT * FROM api_keys WHERE account_id = ?").bind(id).all<Record<string, unknown>>();
    expect(results).toHaveLength(2);
    const dump = JSON.stringify(results);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(secondKey);
    // What is stored is the SHA-256 of the key.
    const hashes = results.map((r) => r.hash).sort();
    expect(hashes).toEqual([await sha256Hex(key), await sha256Hex(secondKey)].sort());
    // The raw key appears nowhere else in D1 either.
    const { results: everywhere } = await env.DB.prepare("SELECT * FROM accounts WHERE id = ?").bind(id).all();
    expect(JSON.stringify(everywhere)).not.toContain(key);
  });

  it("lists keys without their secrets", async () => {
    const { id, key } = await newAccount("listing");
    const issued = await call("POST", `/v1/accounts/${id}/keys`, { key: ADMIN, body: { name: "second" } });
    const res = await call("GET", `/v1/accounts/${id}/keys`, { key: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json.data.map((k: { name: string }) => k.name)).toEqual(["default", "second"]);
    for (const k of res.json.data) {
      expect(Object.keys(k).sort()).toEqual(["created_at", "id", "name", "prefix", "revoked_at"]);
      expect(k.revoked_at).toBeNull();
    }
    const text = JSON.stringify(res.json);
    expect(text).not.toContain(key);
    expect(text).not.toContain(issued.json.key);
  });

  it("a revoked key gets 401 at once, and the account's other keys keep working", async () => {
    const { id, key } = await newAccount("revoking");
    const other = await call("POST", `/v1/accounts/${id}/keys`, { key: ADMIN, body: { name: "other" } });
    // Use the key first, so any cache in front of D1 has seen it as valid.
    expect((await call("GET", "/v1/conversations", { key })).status).toBe(200);

    const keys = await call("GET", `/v1/accounts/${id}/keys`, { key: ADMIN });
    const defaultKey = keys.json.data.find((k: { name: string }) => k.name === "default");
    const revoked = await call("DELETE", `/v1/accounts/${id}/keys/${defaultKey.id}`, { key: ADMIN });
    expect(revoked.status).toBe(204);

    const denied = await call("GET", "/v1/conversations", { key });
    problemOf(denied, 401);
    problemOf(await call("POST", "/v1/conversations", { key, body: {} }), 401);
    expect((await call("GET", "/v1/conversations", { key: other.json.key })).status).toBe(200);

    const after = await call("GET", `/v1/accounts/${id}/keys`, { key: ADMIN });
    const row = after.json.data.find((k: { id: string }) => k.id === defaultKey.id);
    expect(typeof row.revoked_at).toBe("string");
    expect(Number.isNaN(Date.parse(row.revoked_at))).toBe(false);
  });

  it("a key that was never issued, or is malformed, gets 401", async () => {
    problemOf(await call("GET", "/v1/conversations", { key: `sk_${"A".repeat(40)}` }), 401);
    problemOf(await call("GET", "/v1/conversations", { key: "sk_short" }), 401);
    problemOf(await call("GET", "/v1/conversations"), 401);
  });

  it("an unknown account id is a 404 problem", async () => {
    const unknown = "acct_01JD5V7J3E9Q8M2K4N6P0R1S2T";
    problemOf(await call("GET", `/v1/accounts/${unknown}/keys`, { key: ADMIN }), 404);
    problemOf(await call("POST", `/v1/accounts/${unknown}/keys`, { key: ADMIN, body: { name: "k" } }), 404);
    problemOf(await call("GET", "/v1/accounts/not-an-id/keys", { key: ADMIN }), 404);
    // Nothing was written for the unknown account.
    const { results } = await env.DB.prepare("SELECT id FROM api_keys WHERE account_id = ?").bind(unknown).all();
    expect(results).toHaveLength(0);
  });

  it("revoking an unknown key, or another account's key, is a 404 and revokes nothing", async () => {
    const a = await newAccount("a");
    const b = await newAccount("b");
    const bKeys = await call("GET", `/v1/accounts/${b.id}/keys`, { key: ADMIN });
    const bKeyId = bKeys.json.data[0].id;
    problemOf(await call("DELETE", `/v1/accounts/${a.id}/keys/${bKeyId}`, { key: ADMIN }), 404);
    problemOf(await call("DELETE", `/v1/accounts/${a.id}/keys/key_01JD5V7J3E9Q8M2K4N6P0R1S2T`, { key: ADMIN }), 404);
    expect((await call("GET", "/v1/conversations", { key: b.key })).status).toBe(200);
  });

  it("account creation validates its body", async () => {
    const res = problemOf(await call("POST", "/v1/accounts", { key: ADMIN, body: { name: "" } }), 422);
    expect(errorPaths(res)).toContain("body.name");
    const missing = problemOf(await call("POST", "/v1/accounts", { key: ADMIN, body: {} }), 422);
    expect(errorPaths(missing)).toContain("body.name");
  });
});
