import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../src/app";
import type { Env } from "../src/env";
import { LIMITS } from "../src/lib/limits";
import { consumeWebhooks } from "../src/webhooks/consumer";
import { newWebhookSecret, signatureHeader } from "../src/webhooks/secrets";
import { webhookUrlRefusal } from "../src/webhooks/url";
import vectors from "./vectors/standard_webhooks.json";
import { call, env, errorPaths, newAccount, problemOf } from "./helpers";
import { fakeBatch, insertEvent } from "./webhook-fixtures";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const app = buildApp();
/** The app with some bindings changed, as a deployment configured that way would answer. */
async function callWith(overrides: Partial<Env>, method: string, path: string, init: { key: string; body?: unknown }) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.key}` };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(`https://parley.example${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }, { ...env, ...overrides });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

async function createWebhook(key: string, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/webhooks", { key, body: { url: "https://hooks.example.com/parley", events: ["message.*"], ...body } });
  if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Every text value in every table of D1, to look for a secret in. */
async function everythingInD1(): Promise<string> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const dumps = await Promise.all(tables.results.map(async ({ name }) => JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results)));
  return dumps.join("\n");
}

describe("Standard Webhooks signatures (test/vectors/standard_webhooks.json)", () => {
  const [vector] = vectors.vectors;
  const { secret, msgId, timestamp, payload } = vector!.inputs;

  it("are what the library signs with the published secret, as the consumer calls it", () => {
    expect(signatureHeader([secret], msgId, new Date(timestamp * 1000), payload)).toBe(vector!.expected["webhook-signature"]);
    // The same key without the prefix, and the derived unpadded secrets, sign alike.
    expect(new Webhook(secret.slice("whsec_".length)).sign(msgId, new Date(timestamp * 1000), payload)).toBe(vector!.expected["webhook-signature"]);
    for (const d of vectors.derivedVectors.items) expect(signatureHeader([d.secret], d.msgId, new Date(d.timestamp * 1000), d.payload)).toBe(d.computedSignature);
  });

  it("verify as the vectors say: any v1 entry may match, other versions are ignored, a wrong one fails, stale timestamps fail", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(timestamp * 1000 + 60_000);
    const wh = new Webhook(secret);
    const headers = (signature: string) => ({ "webhook-id": msgId, "webhook-timestamp": String(timestamp), "webhook-signature": signature });
    expect(wh.verify(payload, headers(vector!.expected["webhook-signature"]))).toEqual(JSON.parse(payload));
    for (const n of vectors.negativeVectors) {
      if (n.header === undefined || n.id === "spec_example_header_unverifiable") continue;
      const header = n.header.replace("<VALID v1 SIG>", vector!.expected["webhook-signature"]);
      if (n.expectValid) expect(() => wh.verify(payload, headers(header)), n.id).not.toThrow();
      else expect(() => wh.verify(payload, headers(header)), n.id).toThrow(WebhookVerificationError);
    }
    expect(() => new Webhook("whsec_")).toThrow();
    // More than 5 minutes off, either way.
    vi.setSystemTime(timestamp * 1000 + 301_000);
    expect(() => wh.verify(payload, headers(vector!.expected["webhook-signature"]))).toThrow(/too old/);
    vi.setSystemTime(timestamp * 1000 - 301_000);
    expect(() => wh.verify(payload, headers(vector!.expected["webhook-signature"]))).toThrow(/too new/);
  });

  it("secrets Parley makes are whsec_ and base64 of 32 random bytes, and the library takes them", () => {
    const made = newWebhookSecret();
    expect(made).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(made.slice(6)).length).toBe(LIMITS.webhookSecretBytes);
    expect(newWebhookSecret()).not.toBe(made);
    const signed = signatureHeader([made], "evt_1", new Date(), "{}");
    expect(new Webhook(made).verify("{}", { "webhook-id": "evt_1", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": signed })).toEqual({});
  });
});

describe("/v1/webhooks", () => {
  it("creates an endpoint, shows its secret once, and never again", async () => {
    const { key } = await newAccount();
    const created = await createWebhook(key, { events: ["message.added", "conversation.*"], description: "CRM" });
    expect(created).toMatchObject({ url: "https://hooks.example.com/parley", events: ["message.added", "conversation.*"], enabled: true, description: "CRM", disabled_reason: null, failing_since: null, previous_secret_expires_at: null });
    expect(created.id).toMatch(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.secret).toMatch(/^whsec_/);
    const { secret, ...shown } = created;
    const got = await call("GET", `/v1/webhooks/${created.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(shown);
    const listed = await call("GET", "/v1/webhooks", { key });
    expect(listed.json).toEqual({ data: [shown], next_cursor: null });
    const patched = await call("PATCH", `/v1/webhooks/${created.id}`, { key, body: { description: null, events: ["*"] } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ description: null, events: ["*"] });
    for (const res of [got, listed, patched]) expect(JSON.stringify(res.json)).not.toContain(secret.slice(6, 20));
  });

  it("stores the secret encrypted: the plain secret is nowhere in D1, and the sealed value is bound to its row", async () => {
    const { id: accountId, key } = await newAccount();
    const a = await createWebhook(key);
    const b = await createWebhook(key);
    const dump = await everythingInD1();
    for (const s of [a.secret, b.secret]) {
      expect(dump).not.toContain(s);
      expect(dump).not.toContain(s.slice("whsec_".length));
    }
    const row = (id: string) => env.DB.prepare("SELECT key_id, ciphertext FROM webhooks WHERE id = ?").bind(id).first<{ key_id: string; ciphertext: string }>();
    expect((await row(a.id))!.key_id).toBe("test2");
    // b's ciphertext copied onto a's row does not open there: a's deliveries fail rather than sign with b's secret.
    await env.DB.prepare("UPDATE webhooks SET ciphertext = ? WHERE id = ?").bind((await row(b.id))!.ciphertext, a.id).run();
    const event = await insertEvent(accountId);
    const sent = vi.fn(async () => new Response("ok"));
    const { batch, outcome } = fakeBatch([{ body: { v: 1, account_id: accountId, webhook_id: a.id, event_id: event.id } }]);
    await consumeWebhooks(batch, env, sent);
    expect(sent).not.toHaveBeenCalled();
    expect(outcome.retried).toEqual([{ id: "m0", delaySeconds: 30 }]);
    const log = (await call("GET", `/v1/webhooks/${a.id}/deliveries`, { key })).json.data;
    expect(log[0]).toMatchObject({ outcome: "retrying", status_code: null, error: expect.stringContaining("secret cannot be read") });
  });

  it("validates events against the catalog: exact names, family wildcards and *", async () => {
    const { key } = await newAccount();
    for (const events of [["*"], ["message.*", "delivery.updated"], ["conversation.closed"]]) expect((await call("POST", "/v1/webhooks", { key, body: { url: "https://h.example.com/", events } })).status).toBe(201);
    const cases: [unknown, string][] = [
      [["message.sent"], "body.events[0]"],
      [["messages.*"], "body.events[0]"],
      [["message.added", "mess*"], "body.events[1]"],
      [["message.added", "message.added"], "body.events[1]"],
      [[], "body.events"],
      ["message.*", "body.events"],
    ];
    for (const [events, path] of cases) {
      const p = problemOf(await call("POST", "/v1/webhooks", { key, body: { url: "https://h.example.com/", events } }), 422);
      expect(errorPaths(p), JSON.stringify(events)).toContain(path);
    }
    expect(problemOf(await call("POST", "/v1/webhooks", { key, body: { url: "https://h.example.com/", events: ["message.sent"] } }), 422).detail).toContain("message.*");
    problemOf(await call("POST", "/v1/webhooks", { key, body: { events: ["*"] } }), 422);
  });

  it("answers 404 for another account's endpoint, an unknown one and a malformed id, on every route", async () => {
    const { key } = await newAccount();
    const { key: other } = await newAccount();
    const theirs = await createWebhook(other);
    for (const id of [theirs.id, "wh_01JD5V7J3E9Q8M2K4N6P0R1S2T", "nope"]) {
      problemOf(await call("GET", `/v1/webhooks/${id}`, { key }), 404);
      problemOf(await call("PATCH", `/v1/webhooks/${id}`, { key, body: { enabled: false } }), 404);
      problemOf(await call("POST", `/v1/webhooks/${id}/rotate-secret`, { key, body: {} }), 404);
      problemOf(await call("GET", `/v1/webhooks/${id}/deliveries`, { key }), 404);
      problemOf(await call("POST", `/v1/webhooks/${id}/replay`, { key, body: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" } }), 404);
      problemOf(await call("POST", `/v1/webhooks/${id}/deliveries/whd_01JD5V7J3E9Q8M2K4N6P0R1S2T/replay`, { key, body: {} }), 404);
      problemOf(await call("DELETE", `/v1/webhooks/${id}`, { key }), 404);
    }
    // Theirs is untouched; without a key, nothing at all.
    expect((await call("GET", `/v1/webhooks/${theirs.id}`, { key: other })).json.enabled).toBe(true);
    problemOf(await call("GET", "/v1/webhooks"), 401);
    problemOf(await call("GET", `/v1/webhooks/${theirs.id}`), 401);
  });

  it("deletes an endpoint with its log, lists with a cursor, and bounds how many an account has", async () => {
    const { key } = await newAccount();
    const made = [];
    for (let i = 0; i < LIMITS.webhooksPerAccount; i++) made.push(await createWebhook(key, { description: `#${i}` }));
    expect(problemOf(await call("POST", "/v1/webhooks", { key, body: { url: "https://h.example.com/", events: ["*"] } }), 409).detail).toContain(String(LIMITS.webhooksPerAccount));
    const first = await call("GET", "/v1/webhooks?limit=15", { key });
    const second = await call("GET", `/v1/webhooks?limit=15&cursor=${first.json.next_cursor}`, { key });
    expect([...first.json.data, ...second.json.data].map((w: any) => w.id)).toEqual(made.map((w) => w.id));
    expect(second.json.next_cursor).toBeNull();
    expect((await call("DELETE", `/v1/webhooks/${made[0].id}`, { key })).status).toBe(204);
    problemOf(await call("GET", `/v1/webhooks/${made[0].id}`, { key }), 404);
    expect((await call("POST", "/v1/webhooks", { key, body: { url: "https://h.example.com/", events: ["*"] } })).status).toBe(201);
  });
});

describe("endpoint URLs", () => {
  const production = { ENVIRONMENT: "production" };
  it("in production: https to a public host only, as a 422 naming body.url, on create and on PATCH", async () => {
    const { key } = await newAccount();
    const refused = [
      "http://hooks.example.com/x",
      "https://localhost/x",
      "https://api.localhost/x",
      "https://127.0.0.1/x",
      "https://127.1/x", // the URL parser's 127.0.0.1
      "https://2130706433/x",
      "https://0x7f000001/x",
      "https://10.1.2.3/x",
      "https://172.16.0.1/x",
      "https://172.31.255.255/x",
      "https://192.168.1.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/x",
      "https://0.0.0.0/x",
      "https://[::1]/x",
      "https://[::]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://[::ffff:10.0.0.1]/x",
      "https://[fe80::1]/x",
      "https://[fc00::1]/x",
      "https://[fd12:3456::1]/x",
      "https://[64:ff9b::a00:1]/x",
      "https://intranet/x",
      "https://printer.local/x",
    ];
    for (const url of refused) {
      const p = problemOf(await callWith(production, "POST", "/v1/webhooks", { key, body: { url, events: ["*"] } }), 422);
      expect(errorPaths(p), url).toEqual(["body.url"]);
    }
    for (const url of ["https://hooks.example.com/x", "https://8.8.8.8/x", "https://[2606:4700::1111]/x", "https://[::ffff:8.8.8.8]/x", "https://172.32.0.1/x", "https://hooks.example.com:8443/x?token=abc"]) {
      expect((await callWith(production, "POST", "/v1/webhooks", { key, body: { url, events: ["*"] } })).status, url).toBe(201);
    }
    const hook = await createWebhook(key);
    expect(errorPaths(problemOf(await callWith(production, "PATCH", `/v1/webhooks/${hook.id}`, { key, body: { url: "https://192.168.0.10/" } }), 422))).toEqual(["body.url"]);
  });

  it("anywhere: no credentials in the URL, only http(s), and an absolute URL", async () => {
    const { key } = await newAccount();
    for (const url of ["https://user:pass@hooks.example.com/x", "https://user@hooks.example.com/x", "ftp://hooks.example.com/x", "/relative", "not a url"]) {
      const p = problemOf(await call("POST", "/v1/webhooks", { key, body: { url, events: ["*"] } }), 422);
      expect(errorPaths(p), url).toEqual(["body.url"]);
      problemOf(await callWith({ ENVIRONMENT: "production" }, "POST", "/v1/webhooks", { key, body: { url, events: ["*"] } }), 422);
    }
  });

  it("in development: http and loopback, for a receiver on this machine", async () => {
    const { key } = await newAccount();
    for (const url of ["http://127.0.0.1:9000/hook", "http://localhost:3000/hook", "http://[::1]:8080/"]) expect((await call("POST", "/v1/webhooks", { key, body: { url, events: ["*"] } })).status, url).toBe(201);
    // A deployment that set no ENVIRONMENT gets production's rules.
    expect(webhookUrlRefusal("http://127.0.0.1:9000/hook", {})).not.toBeNull();
    expect(webhookUrlRefusal("https://hooks.example.com/", {})).toBeNull();
  });
});

describe("rotate-secret", () => {
  it("returns a new secret once; for 24 h both sign (both verify), then only the new one", async () => {
    const { id: accountId, key } = await newAccount();
    const hook = await createWebhook(key, { url: "http://receiver.test/hook" });
    const old = hook.secret as string;
    const rotated = await call("POST", `/v1/webhooks/${hook.id}/rotate-secret`, { key, body: {} });
    expect(rotated.status).toBe(200);
    const fresh = rotated.json.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const expires = Date.parse(rotated.json.previous_secret_expires_at);
    expect(expires - Date.now()).toBeGreaterThan(LIMITS.webhookSecretOverlapMs - 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(LIMITS.webhookSecretOverlapMs);
    expect((await call("GET", `/v1/webhooks/${hook.id}`, { key })).json).not.toHaveProperty("secret");
    const dump = await everythingInD1();
    expect(dump).not.toContain(fresh.slice(6));
    expect(dump).not.toContain(old.slice(6));

    const event = await insertEvent(accountId);
    const deliverAt = async (now: number) => {
      const seen: { headers: Headers; body: string }[] = [];
      const fetch = async (_url: string, init: RequestInit) => {
        seen.push({ headers: new Headers(init.headers), body: String(init.body) });
        return new Response("ok");
      };
      const { batch } = fakeBatch([{ body: { v: 1, account_id: accountId, webhook_id: hook.id, event_id: event.id } }]);
      await consumeWebhooks(batch, env, fetch, { now: () => now });
      expect(seen).toHaveLength(1);
      return seen[0]!;
    };

    // Within the overlap: two v1 entries, the new secret's first, and each verifies on its own.
    const during = await deliverAt(Date.now());
    const entries = during.headers.get("webhook-signature")!.split(" ");
    expect(entries).toHaveLength(2);
    const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, during.headers.get(h)!]));
    expect(new Webhook(fresh).verify(during.body, headers)).toEqual(JSON.parse(event.payload));
    expect(new Webhook(old).verify(during.body, headers)).toEqual(JSON.parse(event.payload));
    expect(new Webhook(fresh).verify(during.body, { ...headers, "webhook-signature": entries[0]! })).toBeTruthy();
    expect(new Webhook(old).verify(during.body, { ...headers, "webhook-signature": entries[1]! })).toBeTruthy();

    // A minute after the overlap: the new secret's signature alone; the old one no longer verifies.
    const later = expires + 60_000;
    const after = await deliverAt(later);
    expect(after.headers.get("webhook-timestamp")).toBe(String(Math.floor(later / 1000)));
    expect(after.headers.get("webhook-signature")).toBe(new Webhook(fresh).sign(event.id, new Date(later), event.payload));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(later);
    const afterHeaders = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, after.headers.get(h)!]));
    expect(new Webhook(fresh).verify(after.body, afterHeaders)).toBeTruthy();
    expect(() => new Webhook(old).verify(after.body, afterHeaders)).toThrow(WebhookVerificationError);
  });

  it("rotating again within the overlap retires the older secret at once", async () => {
    const { id: accountId, key } = await newAccount();
    const hook = await createWebhook(key, { url: "http://receiver.test/hook" });
    const second = (await call("POST", `/v1/webhooks/${hook.id}/rotate-secret`, { key, body: {} })).json.secret;
    const third = (await call("POST", `/v1/webhooks/${hook.id}/rotate-secret`, { key, body: {} })).json.secret;
    const event = await insertEvent(accountId);
    let header = "";
    const { batch } = fakeBatch([{ body: { v: 1, account_id: accountId, webhook_id: hook.id, event_id: event.id } }]);
    const now = Date.now();
    await consumeWebhooks(batch, env, async (_u, init) => ((header = new Headers(init.headers).get("webhook-signature")!), new Response("")), { now: () => now });
    expect(header.split(" ")).toEqual([new Webhook(third).sign(event.id, new Date(now), event.payload), new Webhook(second).sign(event.id, new Date(now), event.payload)]);
    expect(header).not.toContain(new Webhook(hook.secret).sign(event.id, new Date(now), event.payload));
  });
});

describe("the OpenAPI document", () => {
  it("has the webhook routes, and what an endpoint receives (the Event envelope and its catalog) under webhooks", async () => {
    const doc = (await call("GET", "/openapi.json")).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/webhooks", "/v1/webhooks/{webhook_id}", "/v1/webhooks/{webhook_id}/rotate-secret", "/v1/webhooks/{webhook_id}/deliveries", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", "/v1/webhooks/{webhook_id}/replay"]),
    );
    expect(doc.paths["/v1/webhooks"].post.security).toEqual([{ ApiKey: [] }]);
    const [received] = Object.values(doc.webhooks as Record<string, any>);
    expect(JSON.stringify(received.post.requestBody)).toContain("#/components/schemas/Event");
    expect(received.post.parameters.map((p: any) => p.name)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
    expect(doc.components.schemas.EventType.enum).toContain("message.added");
  });
});
