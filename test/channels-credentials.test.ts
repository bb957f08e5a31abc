import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../src/app";
import { connectChannel, loadAccountChannel, loadChannel, NOT_CONFIGURED, UnreadableCredentials, updateChannel } from "../src/channels/connections";
import { accountChannel } from "../src/db/queries/channels";
import { CreateChannel } from "../src/contract/channel";
import type { Env } from "../src/env";
import { ProblemError } from "../src/lib/problem";
import { bodies, connect, expectNoSecrets, SECRETS } from "./channel-fixtures";
import { call, env, newAccount, problemOf } from "./helpers";

type Row = Record<string, string | number | null>;
const row = async (id: string) => (await env.DB.prepare("SELECT * FROM channels WHERE id = ?").bind(id).first<Row>())!;
const keys = () => (JSON.parse(env.CREDENTIALS_KEYS!) as { keys: Record<string, string> }).keys;

/** The app with some bindings changed, as a deployment configured that way would answer. */
const app = buildApp();
async function callWith(overrides: Partial<Env>, method: string, path: string, init: { key: string; body?: unknown }) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.key}` };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const res = await app.request(`https://parley.example${path}`, { method, headers, body }, { ...env, ...overrides });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

afterEach(() => vi.restoreAllMocks());

describe("credentials at rest", () => {
  it("are sealed in D1 under the current key: no credential value in the row", async () => {
    const { key } = await newAccount();
    for (const body of [bodies.twilioSms(), bodies.metaWhatsApp(), bodies.messenger(), bodies.mailgun()]) {
      const stored = await row((await connect(key, body)).id);
      expectNoSecrets(JSON.stringify(stored));
      expect(stored.key_id).toBe("test2");
      expect(typeof stored.ciphertext).toBe("string");
    }
    // A provider without credentials stores none, and needs no key.
    const email = await row((await connect(key, bodies.cloudflare())).id);
    expect([email.key_id, email.ciphertext]).toEqual([null, null]);
  });

  it("open through loadChannel (by id alone) and loadAccountChannel (the owner's only)", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, { ...bodies.metaWhatsApp(), base_url: "https://graph.example.com/v22.0" });
    const loaded = await loadChannel(env, channel.id);
    expect(loaded).toMatchObject({ id: channel.id, accountId, type: "whatsapp", provider: "meta", sender: "106540352242922", baseUrl: "https://graph.example.com/v22.0" });
    expect(loaded!.credentials).toEqual({ access_token: SECRETS.access_token, app_secret: SECRETS.app_secret, verify_token: SECRETS.verify_token });
    expect(await loadAccountChannel(env, accountId, channel.id)).toEqual(loaded);
    expect(await loadAccountChannel(env, (await newAccount()).id, channel.id)).toBeNull();
    expect(await loadChannel(env, "chan_01JD5V7J3E9Q8M2K4N6P0R1S2T")).toBeNull();
    expect(await loadChannel(env, "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T")).toBeNull();
    expect((await loadChannel(env, (await connect(key, bodies.twilioSms())).id))!.baseUrl).toBe("https://api.twilio.com");
  });

  it("rotate with PATCH: one field keeps the others, the whole object replaces them, each sealed afresh", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms());
    const before = await row(channel.id);
    expect((await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { credentials: { auth_token: "second-token" } } })).status).toBe(200);
    expect((await loadChannel(env, channel.id))!.credentials).toEqual({ account_sid: SECRETS.account_sid, auth_token: "second-token" });
    expect((await row(channel.id)).ciphertext).not.toBe(before.ciphertext);

    const whole = { account_sid: "ACffffffffffffffffffffffffffffffff", auth_token: "third-token" };
    expect((await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { credentials: whole } })).status).toBe(200);
    expect((await loadChannel(env, channel.id))!.credentials).toEqual(whole);
    expect(JSON.stringify(await row(channel.id))).not.toContain("third-token");
    // A one-field rotation merged from a copy read before another rotation landed is refused, not applied over it.
    const stale = (await accountChannel(env.DB, accountId, channel.id))!;
    await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { credentials: { auth_token: "fourth-token" } } });
    const lost = await updateChannel(env, stale, { credentials: { auth_token: "from-a-stale-copy" } }).catch((e: unknown) => e);
    expect((lost as ProblemError).problem).toMatchObject({ status: 409, errors: [{ path: "body.credentials" }] });
    expect((await loadChannel(env, channel.id))!.credentials).toMatchObject({ auth_token: "fourth-token" });
    // Renaming leaves the sealed credentials as they are.
    const sealed = (await row(channel.id)).ciphertext;
    await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { friendly_name: "Renamed" } });
    expect((await row(channel.id)).ciphertext).toBe(sealed);
  });

  it("moved to another channel's row do not open there; the channel shows credentials: null until they are sent again", async () => {
    const { key } = await newAccount();
    const a = await connect(key, bodies.twilioSms("+14155550100"));
    const b = await connect(key, bodies.twilioSms("+14155550101"));
    const c = await connect((await newAccount()).key, bodies.twilioSms("+14155550102"));
    const source = await row(a.id);
    for (const target of [b.id, c.id]) {
      await env.DB.prepare("UPDATE channels SET key_id = ?, ciphertext = ? WHERE id = ?").bind(source.key_id, source.ciphertext, target).run();
    }
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const target of [b.id, c.id]) await expect(loadChannel(env, target)).rejects.toBeInstanceOf(UnreadableCredentials);
    expect(warn).toHaveBeenCalled();
    expectNoSecrets(JSON.stringify(warn.mock.calls));
    expect((await loadChannel(env, a.id))!.credentials).toMatchObject({ auth_token: SECRETS.auth_token });

    const shown = await call("GET", `/v1/channels/${b.id}`, { key });
    expect(shown.status).toBe(200);
    expect(shown.json.credentials).toBeNull();
    const listed = (await call("GET", "/v1/channels", { key })).json.data;
    expect(listed.map((ch: { credentials: unknown }) => ch.credentials === null)).toEqual([false, true]);

    // One field cannot be merged into what does not open; the whole object repairs the channel.
    const partial = problemOf(await call("PATCH", `/v1/channels/${b.id}`, { key, body: { credentials: { auth_token: "x" } } }), 409);
    expect(partial.errors?.map((e) => e.path)).toEqual(["body.credentials"]);
    const repaired = await call("PATCH", `/v1/channels/${b.id}`, { key, body: { credentials: { account_sid: SECRETS.account_sid, auth_token: "fresh-token" } } });
    expect(repaired.status).toBe(200);
    expect((await loadChannel(env, b.id))!.credentials).toMatchObject({ auth_token: "fresh-token" });
  });
});

describe("key rotation", () => {
  it("opens rows sealed under an older key still in the ring, and seals them again under the current one on rotation", async () => {
    const { id: accountId, key } = await newAccount();
    const older = { ...env, CREDENTIALS_KEYS: JSON.stringify({ current: "test1", keys: keys() }) };
    const { row: created } = await connectChannel(older, accountId, CreateChannel.parse(bodies.twilioSms()));
    expect((await row(created.id)).key_id).toBe("test1");

    const shown = await call("GET", `/v1/channels/${created.id}`, { key });
    expect(shown.json.credentials.auth_token).toEqual({ last4: SECRETS.auth_token.slice(-4) });
    expect((await loadChannel(env, created.id))!.credentials).toMatchObject({ auth_token: SECRETS.auth_token });

    await call("PATCH", `/v1/channels/${created.id}`, { key, body: { credentials: { auth_token: "after-rotation" } } });
    expect((await row(created.id)).key_id).toBe("test2");
    const retired = { ...env, CREDENTIALS_KEYS: JSON.stringify({ current: "test2", keys: { test2: keys().test2 } }) };
    expect((await loadChannel(retired, created.id))!.credentials).toEqual({ account_sid: SECRETS.account_sid, auth_token: "after-rotation" });
  });
});

describe("a deployment without CREDENTIALS_KEYS", () => {
  it("answers 503 wherever credentials must be sealed or opened, and serves the rest", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { key } = await newAccount();
    const existing = await connect(key, bodies.twilioSms());
    for (const overrides of [{ CREDENTIALS_KEYS: undefined }, { CREDENTIALS_KEYS: "{not json" }, { CREDENTIALS_KEYS: JSON.stringify({ current: "k", keys: { k: "c2hvcnQ=" } }) }]) {
      const created = problemOf(await callWith(overrides, "POST", "/v1/channels", { key, body: bodies.twilioSms("+14155550199") }), 503);
      expect(created.detail).toBe(NOT_CONFIGURED);
      problemOf(await callWith(overrides, "GET", `/v1/channels/${existing.id}`, { key }), 503);
      problemOf(await callWith(overrides, "PATCH", `/v1/channels/${existing.id}`, { key, body: { credentials: { auth_token: "x" } } }), 503);
      const error = await loadChannel({ ...env, ...overrides }, existing.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).problem.status).toBe(503);
    }
    // Nothing to seal, nothing to refuse: a cloudflare email channel and the conversations API work.
    expect((await callWith({ CREDENTIALS_KEYS: undefined }, "POST", "/v1/channels", { key, body: bodies.cloudflare() })).status).toBe(201);
    expect((await callWith({ CREDENTIALS_KEYS: undefined }, "GET", "/v1/conversations", { key })).status).toBe(200);
    expect((await call("GET", "/v1/channels", { key })).json.data).toHaveLength(2);
  });

  it("names the request's origin in inbound_url when PUBLIC_BASE_URL is unset", async () => {
    const { key } = await newAccount();
    const res = await callWith({ PUBLIC_BASE_URL: undefined }, "POST", "/v1/channels", { key, body: bodies.twilioSms() });
    expect(res.json.inbound_url).toBe(`https://parley.example/v1/inbound/${res.json.id}`);
    const configured = await callWith({ PUBLIC_BASE_URL: "https://hooks.example.com/" }, "GET", `/v1/channels/${res.json.id}`, { key });
    expect(configured.json.inbound_url).toBe(`https://hooks.example.com/v1/inbound/${res.json.id}`);
  });
});
