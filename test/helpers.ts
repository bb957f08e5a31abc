import { exports } from "cloudflare:workers";

/** Drives the Worker's own fetch handler, as a client over HTTP would. */
export async function call(method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const response = await exports.default.fetch(`http://parley.test${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as any) : null;
  return { status: response.status, headers: response.headers, json };
}

export const ADMIN = "test-admin-token";

/** A fresh account with its own key: each test gets its own tenant, so tests never share rows. */
export async function newAccount(name = "test") {
  const res = await call("POST", "/v1/accounts", { key: ADMIN, body: { name } });
  if (res.status !== 201) throw new Error(`account creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { id: res.json.account.id as string, key: res.json.api_key.key as string };
}

export async function newConversation(key: string, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/conversations", { key, body });
  if (res.status !== 201) throw new Error(`conversation creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}
