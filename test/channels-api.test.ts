import { describe, expect, it } from "vitest";
import { bodies, connect, expectNoSecrets, SECRETS } from "./channel-fixtures";
import { call, env, errorPaths, newAccount, problemOf, rawCall } from "./helpers";

const inboundBase = env.PUBLIC_BASE_URL ?? "http://parley.test";

describe("POST /v1/channels", () => {
  it("connects Twilio SMS: the channel, its inbound URL, and which credentials are set", async () => {
    const { key } = await newAccount();
    const res = await call("POST", "/v1/channels", { key, body: { ...bodies.twilioSms(), friendly_name: "Support line" } });
    expect(res.status).toBe(201);
    const channel = res.json;
    expect(channel.id).toMatch(/^chan_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(channel).toMatchObject({
      type: "sms",
      provider: "twilio",
      sender: "+14155550100",
      base_url: "https://api.twilio.com",
      friendly_name: "Support line",
      inbound_url: `${inboundBase}/v1/inbound/${channel.id}`,
      credentials: { account_sid: { last4: SECRETS.account_sid.slice(-4) }, auth_token: { last4: SECRETS.auth_token.slice(-4) } },
    });
    expect(Date.parse(channel.created_at)).toBeGreaterThan(0);
    expect(channel.updated_at).toBe(channel.created_at);
    expectNoSecrets(JSON.stringify(channel));

    const got = await call("GET", `/v1/channels/${channel.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(channel);
  });

  it("connects every provider with its own sender and credentials, defaulting base_url per provider", async () => {
    const { key } = await newAccount();
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [bodies.twilioWhatsApp(), { base_url: "https://api.twilio.com", credentials: { account_sid: { last4: "cdef" }, auth_token: { last4: "4b5a" } } }],
      [bodies.metaWhatsApp(), { base_url: "https://graph.facebook.com/v21.0", credentials: { access_token: { last4: "7c6d" }, app_secret: { last4: "2b1a" }, verify_token: { last4: "1234" } } }],
      [bodies.messenger(), { base_url: "https://graph.facebook.com/v21.0", sender: "1234567890123" }],
      [bodies.mailgun("MG.Example.com"), { base_url: "https://api.mailgun.net", sender: "mg.example.com", credentials: { api_key: { last4: "cafe" }, signing_key: { last4: "ef99" } } }],
      [bodies.cloudflare("Support@Example.com"), { base_url: null, sender: "support@example.com", credentials: {} }],
    ];
    for (const [body, expected] of cases) {
      const res = await call("POST", "/v1/channels", { key, body });
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(res.json).toMatchObject({ type: body.type, provider: body.provider, ...expected });
      expectNoSecrets(JSON.stringify(res.json));
    }
    // A chosen base_url (a simulator on this machine, a regional API) is kept, without its trailing slash.
    const custom = await connect(key, { ...bodies.twilioSms("+14155550111"), base_url: "http://127.0.0.1:8788/" });
    expect(custom.base_url).toBe("http://127.0.0.1:8788");
    expect((await connect(key, { ...bodies.mailgun("eu.example.com"), base_url: "https://api.eu.mailgun.net" })).base_url).toBe("https://api.eu.mailgun.net");
  });

  it("shows no characters of a secret too short to hint at", async () => {
    const { key } = await newAccount();
    const body = bodies.twilioSms();
    const channel = await connect(key, { ...body, credentials: { ...body.credentials, auth_token: "12345" } });
    expect(channel.credentials.auth_token).toEqual({ last4: null });
  });

  it("is a 409 naming body.sender for a second channel of the same type and sender, in any spelling", async () => {
    const { key } = await newAccount();
    const first = await connect(key, bodies.mailgun("mg.example.com"));
    const again = problemOf(await call("POST", "/v1/channels", { key, body: bodies.mailgun("MG.EXAMPLE.COM") }), 409);
    expect(errorPaths(again)).toEqual(["body.sender"]);
    expect(again.detail).toContain(first.id);
    // Unique per type whatever the provider; the same sender on another type, or in another account, is another channel.
    problemOf(await call("POST", "/v1/channels", { key, body: bodies.cloudflare("mg.example.com") }), 409);
    await connect(key, bodies.twilioSms("+14155550100"));
    await connect(key, { ...bodies.twilioSms("+14155550100"), type: "mms" });
    problemOf(await call("POST", "/v1/channels", { key, body: bodies.twilioSms("+14155550100") }), 409);
    await connect((await newAccount()).key, bodies.mailgun("mg.example.com"));
  });

  it("is a 422 naming the field at fault, and creates nothing", async () => {
    const { key } = await newAccount();
    const sms = bodies.twilioSms();
    const cases: [unknown, string][] = [
      [{ ...sms, credentials: { account_sid: SECRETS.account_sid } }, "body.credentials.auth_token"],
      [{ ...sms, credentials: { ...sms.credentials, account_sid: "not-a-sid" } }, "body.credentials.account_sid"],
      [{ ...sms, credentials: { ...sms.credentials, auth_token: " padded " } }, "body.credentials.auth_token"],
      [{ ...sms, credentials: { ...sms.credentials, app_secret: "x" } }, "body.credentials"],
      [{ ...sms, credentials: undefined }, "body.credentials"],
      [{ ...sms, type: "messenger" }, "body.provider"],
      [{ ...sms, type: "email" }, "body.provider"],
      [{ ...bodies.cloudflare(), type: "sms" }, "body.provider"],
      [{ ...sms, provider: "vonage" }, "body.provider"],
      [{ ...sms, provider: undefined }, "body.provider"],
      [{ ...sms, type: "chat" }, "body.type"],
      [{ ...sms, type: undefined }, "body.type"],
      [{ ...sms, sender: "+1 (415) 555-0100" }, "body.sender"],
      [{ ...sms, sender: "support@example.com" }, "body.sender"],
      [bodies.metaWhatsApp("+14155550100"), "body.sender"],
      [bodies.mailgun("not an address"), "body.sender"],
      [{ ...sms, base_url: "http://api.twilio.com" }, "body.base_url"],
      [{ ...sms, base_url: "https://user:pass@api.twilio.com" }, "body.base_url"],
      [{ ...sms, base_url: "https://api.twilio.com/?x=1" }, "body.base_url"],
      [{ ...sms, base_url: "api.twilio.com" }, "body.base_url"],
      [{ ...bodies.cloudflare(), base_url: "https://api.example.com" }, "body.base_url"],
      [{ ...bodies.cloudflare(), credentials: { api_key: "x" } }, "body.credentials"],
      [{ ...sms, friendly_name: "" }, "body.friendly_name"],
    ];
    for (const [body, path] of cases) {
      const p = problemOf(await call("POST", "/v1/channels", { key, body }), 422);
      expect(errorPaths(p), JSON.stringify(body)).toContain(path);
      expect(p.detail.startsWith(errorPaths(p)[0]!), p.detail).toBe(true);
      expectNoSecrets(JSON.stringify(p));
    }
    const pair = problemOf(await call("POST", "/v1/channels", { key, body: { ...sms, type: "messenger" } }), 422);
    expect(pair.detail).toBe("body.provider: provider must be meta for type messenger");
    expect((await call("GET", "/v1/channels", { key })).json.data).toEqual([]);
  });

  it("needs an API key", async () => {
    problemOf(await call("POST", "/v1/channels", { body: bodies.twilioSms() }), 401);
    problemOf(await call("GET", "/v1/channels"), 401);
    problemOf(await call("GET", "/v1/channels/chan_01JD5V7J3E9Q8M2K4N6P0R1S2T", { key: "sk_nope" }), 401);
  });
});

describe("GET /v1/channels", () => {
  it("lists the account's channels in the order they were connected, by page and by type, without secrets", async () => {
    const { key } = await newAccount();
    const made = [];
    for (const body of [bodies.twilioSms(), bodies.metaWhatsApp(), bodies.messenger(), bodies.mailgun(), bodies.twilioWhatsApp()]) made.push(await connect(key, body));
    await connect((await newAccount()).key, bodies.twilioSms());

    const first = await rawCall("GET", "/v1/channels?limit=2", { key });
    expect(first.status).toBe(200);
    expectNoSecrets(first.text);
    expect(first.json.data.map((c: { id: string }) => c.id)).toEqual([made[0].id, made[1].id]);
    expect(first.json.data[0]).toEqual(made[0]);
    const rest = await call("GET", `/v1/channels?limit=2&cursor=${first.json.next_cursor}`, { key });
    const last = await call("GET", `/v1/channels?limit=2&cursor=${rest.json.next_cursor}`, { key });
    expect([...rest.json.data, ...last.json.data].map((c: { id: string }) => c.id)).toEqual(made.slice(2).map((c) => c.id));
    expect(last.json.next_cursor).toBeNull();

    const whatsapp = await call("GET", "/v1/channels?type=whatsapp", { key });
    expect(whatsapp.json.data.map((c: { id: string }) => c.id)).toEqual([made[1].id, made[4].id]);
    expect(whatsapp.json.next_cursor).toBeNull();
    expect(errorPaths(problemOf(await call("GET", "/v1/channels?type=chat", { key }), 400))).toEqual(["query.type"]);
    expect(errorPaths(problemOf(await call("GET", "/v1/channels?cursor=garbage", { key }), 400))).toEqual(["query.cursor"]);
  });
});

describe("PATCH and DELETE /v1/channels/{id}", () => {
  it("renames, moves base_url and back to the default, and rotates one credential field", async () => {
    const { key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms());
    // Moving base_url takes the credentials again: an API key alone cannot send them elsewhere.
    const moved = problemOf(await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { base_url: "https://api.example.com/twilio/" } }), 422);
    expect(errorPaths(moved)).toEqual(["body.credentials"]);
    const credentials = { account_sid: SECRETS.account_sid, auth_token: SECRETS.auth_token };
    const renamed = await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { friendly_name: "Sales", base_url: "https://api.example.com/twilio/", credentials } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ friendly_name: "Sales", base_url: "https://api.example.com/twilio", credentials: channel.credentials });
    const reset = await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { friendly_name: null, base_url: null } });
    expect(reset.json).toMatchObject({ friendly_name: null, base_url: "https://api.twilio.com" });

    const rotated = await rawCall("PATCH", `/v1/channels/${channel.id}`, {
      key,
      body: JSON.stringify({ credentials: { auth_token: "rotated-token-000000009999" } }),
      headers: { "content-type": "application/json" },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.text).not.toContain("rotated-token-000000009999");
    expect(rotated.json.credentials).toEqual({ account_sid: { last4: "cdef" }, auth_token: { last4: "9999" } });
    expect(Date.parse(rotated.json.updated_at)).toBeGreaterThanOrEqual(Date.parse(channel.updated_at));
    expect((await call("GET", `/v1/channels/${channel.id}`, { key })).json).toEqual(rotated.json);
  });

  it("is a 422 for fields the provider does not take, and for type, provider and sender", async () => {
    const { key } = await newAccount();
    const twilio = await connect(key, bodies.twilioSms());
    const email = await connect(key, bodies.cloudflare());
    const cases: [string, unknown, string][] = [
      [twilio.id, { credentials: { app_secret: "x" } }, "body.credentials"],
      [twilio.id, { credentials: { auth_token: "" } }, "body.credentials.auth_token"],
      [twilio.id, { credentials: { account_sid: "nope" } }, "body.credentials.account_sid"],
      [twilio.id, { credentials: "token" }, "body.credentials"],
      [twilio.id, { type: "mms" }, "body.type"],
      [twilio.id, { provider: "meta" }, "body.provider"],
      [twilio.id, { sender: "+14155550199" }, "body.sender"],
      [twilio.id, { base_url: "ftp://example.com" }, "body.base_url"],
      [email.id, { base_url: "https://api.example.com" }, "body.base_url"],
      [email.id, { credentials: { api_key: "x" } }, "body.credentials"],
    ];
    for (const [id, body, path] of cases) {
      const p = problemOf(await call("PATCH", `/v1/channels/${id}`, { key, body }), 422);
      expect(errorPaths(p), JSON.stringify(body)).toContain(path);
    }
    expect((await call("GET", `/v1/channels/${twilio.id}`, { key })).json).toEqual(twilio);
    expect((await call("PATCH", `/v1/channels/${email.id}`, { key, body: { base_url: null, friendly_name: "Mail" } })).json).toMatchObject({ base_url: null, friendly_name: "Mail" });
  });

  it("deletes: 204, then the channel is gone and its sender free again", async () => {
    const { key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms());
    const res = await call("DELETE", `/v1/channels/${channel.id}`, { key });
    expect(res.status).toBe(204);
    problemOf(await call("GET", `/v1/channels/${channel.id}`, { key }), 404);
    problemOf(await call("DELETE", `/v1/channels/${channel.id}`, { key }), 404);
    problemOf(await call("PATCH", `/v1/channels/${channel.id}`, { key, body: { friendly_name: "x" } }), 404);
    expect((await call("GET", "/v1/channels", { key })).json.data).toEqual([]);
    await connect(key, bodies.twilioSms());
  });

  it("answers 404 for another account's channel on get, patch and delete, and changes nothing", async () => {
    const owner = await newAccount("owner");
    const other = await newAccount("other");
    const channel = await connect(owner.key, bodies.twilioSms());
    for (const id of [channel.id, "chan_01JD5V7J3E9Q8M2K4N6P0R1S2T", "nonsense"]) {
      problemOf(await call("GET", `/v1/channels/${id}`, { key: other.key }), 404);
      problemOf(await call("PATCH", `/v1/channels/${id}`, { key: other.key, body: { friendly_name: "mine", credentials: { auth_token: "stolen" } } }), 404);
      problemOf(await call("DELETE", `/v1/channels/${id}`, { key: other.key }), 404);
    }
    expect((await call("GET", "/v1/channels", { key: other.key })).json.data).toEqual([]);
    expect((await call("GET", `/v1/channels/${channel.id}`, { key: owner.key })).json).toEqual(channel);
  });
});

describe("the OpenAPI document", () => {
  it("has the channel routes and the ChannelConnection schema", async () => {
    const doc = (await rawCall("GET", "/openapi.json")).json;
    expect(Object.keys(doc.paths["/v1/channels"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/channels/{channel_id}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(doc.paths["/v1/channels"].post.security).toEqual([{ ApiKey: [] }]);
    expect(Object.keys(doc.components.schemas.ChannelConnection.properties)).toEqual(
      expect.arrayContaining(["id", "type", "provider", "sender", "base_url", "inbound_url", "credentials", "created_at", "updated_at"]),
    );
  });
});
