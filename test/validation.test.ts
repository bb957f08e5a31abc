import { describe, expect, it } from "vitest";
import { call, errorPaths, newAccount, newConversation, problemOf, rawCall } from "./helpers";

describe("request bodies", () => {
  it("malformed JSON is a 400 problem+json and creates nothing", async () => {
    const { key } = await newAccount();
    for (const body of ["{not json", '{"friendly_name": "x",}', "[1, 2", "'single'"]) {
      const res = await rawCall("POST", "/v1/conversations", { key, body, headers: { "content-type": "application/json" } });
      const p = problemOf(res, 400);
      expect(p.detail.length).toBeGreaterThan(0);
      expect(errorPaths(p)).toContain("body");
    }
    const c = await newConversation(key);
    const send = await rawCall("POST", `/v1/conversations/${c.id}/messages`, { key, body: '{"body": "unterminated', headers: { "content-type": "application/json" } });
    problemOf(send, 400);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(0);
    const patch = await rawCall("PATCH", `/v1/conversations/${c.id}`, { key, body: "{", headers: { "content-type": "application/json" } });
    problemOf(patch, 400);
  });

  it("a body that is not JSON is a 415 naming header.content-type", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const cases: [string, string][] = [
      ["text/plain", "hello"],
      ["application/x-www-form-urlencoded", "body=hello"],
      ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhello\r\n--x--"],
      ["application/xml", "<body>hello</body>"],
    ];
    for (const [type, body] of cases) {
      const res = await rawCall("POST", `/v1/conversations/${c.id}/messages`, { key, body, headers: { "content-type": type } });
      const p = problemOf(res, 415);
      expect(errorPaths(p), type).toContain("header.content-type");
    }
    // A JSON body without any content type is refused too.
    problemOf(await rawCall("POST", `/v1/conversations/${c.id}/messages`, { key, body: '{"body":"hi"}' }), 415);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(0);

    // JSON with a charset, or a +json type, is JSON.
    const charset = await rawCall("POST", `/v1/conversations/${c.id}/messages`, { key, body: '{"body":"hi"}', headers: { "content-type": "application/json; charset=utf-8" } });
    expect(charset.status).toBe(201);
  });

  it("JSON that is not an object is a 422 problem naming body", async () => {
    const { key } = await newAccount();
    for (const body of ["[]", "null", "42", '"text"']) {
      const res = await rawCall("POST", "/v1/conversations", { key, body, headers: { "content-type": "application/json" } });
      const p = problemOf(res, 422);
      expect(errorPaths(p), body).toContain("body");
    }
  });

  it("a request body over 256 KB is a 413 problem", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const body = JSON.stringify({ body: "x", attributes: { pad: "a".repeat(300 * 1024) } });
    problemOf(await rawCall("POST", `/v1/conversations/${c.id}/messages`, { key, body, headers: { "content-type": "application/json" } }), 413);
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(0);
  });
});

describe("validation errors are problem documents that name the field", () => {
  it("across routes, each bad input names its field in errors[].path", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }] });
    const pid = c.participants[0].id;
    const cases: { method: string; path: string; body?: unknown; status: number; field: string }[] = [
      { method: "POST", path: "/v1/conversations", body: { friendly_name: 123 }, status: 422, field: "body.friendly_name" },
      { method: "POST", path: "/v1/conversations", body: { channel: "fax" }, status: 422, field: "body.channel" },
      { method: "POST", path: "/v1/conversations", body: { tags: "vip" }, status: 422, field: "body.tags" },
      { method: "POST", path: "/v1/conversations", body: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, status: 422, field: "body.tags" },
      { method: "POST", path: "/v1/conversations", body: { tags: ["ok", "x".repeat(65)] }, status: 422, field: "body.tags[1]" },
      { method: "POST", path: "/v1/conversations", body: { unique_name: "" }, status: 422, field: "body.unique_name" },
      { method: "POST", path: "/v1/conversations", body: { subject: "s".repeat(1025) }, status: 422, field: "body.subject" },
      { method: "POST", path: "/v1/conversations", body: { participants: [{ kind: "agent", identity: "a" }, { kind: "agent" }] }, status: 422, field: "body.participants[1].identity" },
      { method: "POST", path: "/v1/conversations", body: { message: { body: "" } }, status: 422, field: "body.message.body" },
      { method: "POST", path: "/v1/conversations", body: { message: { body: "x", channels: [] } }, status: 422, field: "body.message.channels" },
      { method: "PATCH", path: `/v1/conversations/${c.id}`, body: { tags: [1] }, status: 422, field: "body.tags[0]" },
      { method: "POST", path: `/v1/conversations/${c.id}/messages`, body: { body: 5 }, status: 422, field: "body.body" },
      { method: "POST", path: `/v1/conversations/${c.id}/messages`, body: { body: "x", author: "" }, status: 422, field: "body.author" },
      { method: "POST", path: `/v1/conversations/${c.id}/messages`, body: { body: "x", media: [{ url: "https://e.com/a" }] }, status: 422, field: "body.media[0].content_type" },
      { method: "POST", path: `/v1/conversations/${c.id}/participants`, body: { kind: "customer", channel: "sms", address: "nope" }, status: 422, field: "body.address" },
      { method: "POST", path: `/v1/conversations/${c.id}/participants`, body: { identity: "x" }, status: 422, field: "body.kind" },
      { method: "POST", path: `/v1/conversations/${c.id}/participants/${pid}/read`, body: {}, status: 422, field: "body.last_read_index" },
      { method: "POST", path: `/v1/conversations/${c.id}/participants/${pid}/read`, body: { last_read_index: 1.5 }, status: 422, field: "body.last_read_index" },
      { method: "GET", path: "/v1/conversations?limit=500", status: 400, field: "query.limit" },
      { method: "GET", path: "/v1/conversations?channel=fax", status: 400, field: "query.channel" },
      { method: "GET", path: "/v1/conversations?created_before=2026-13-45", status: 400, field: "query.created_before" },
      { method: "GET", path: `/v1/conversations/${c.id}/messages?before_index=abc`, status: 400, field: "query.before_index" },
      { method: "GET", path: `/v1/conversations/${c.id}/participants?limit=0`, status: 400, field: "query.limit" },
      { method: "GET", path: `/v1/conversations/${c.id}/participants?cursor=zzz`, status: 400, field: "query.cursor" },
    ];
    for (const t of cases) {
      const res = await call(t.method, t.path, { key, body: t.body });
      const label = `${t.method} ${t.path} ${JSON.stringify(t.body) ?? ""}`.slice(0, 160);
      expect(res.status, label).toBe(t.status);
      expect(res.headers.get("content-type"), label).toMatch(/^application\/problem\+json/);
      expect(res.json, label).toMatchObject({ type: expect.any(String), title: expect.any(String), status: t.status, detail: expect.any(String) });
      expect(res.json.type, label).toMatch(/^https?:\/\//);
      expect(Array.isArray(res.json.errors), label).toBe(true);
      for (const e of res.json.errors) {
        expect(typeof e.path, label).toBe("string");
        expect(typeof e.message, label).toBe("string");
      }
      expect(errorPaths(res.json), label).toContain(t.field);
    }
    // None of them changed the conversation.
    const after = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(after.json).toMatchObject({ message_count: 0, participant_count: 1, tags: [] });
  });

  it("odd input never produces a 5xx", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const bodies = [
      "",
      "{}",
      '{"__proto__": {"x": 1}}',
      '{"body": "\\u0000"}',
      '{"body": "x", "attributes": {"a": {"b": {"c": {"d": [1, 2, {"e": null}]}}}}}',
      JSON.stringify({ body: "x", channels: ["sms", "sms", "sms", "sms", "sms", "sms", "sms"] }),
      JSON.stringify({ body: "😀".repeat(100) }),
      JSON.stringify({ body: "x", author: "a".repeat(321) }),
      JSON.stringify({ media: [{ url: "javascript:alert(1)", content_type: "image/png" }] }),
    ];
    for (const body of bodies) {
      for (const path of [`/v1/conversations/${c.id}/messages`, "/v1/conversations", `/v1/conversations/${c.id}/participants`]) {
        const res = await rawCall("POST", path, { key, body, headers: { "content-type": "application/json" } });
        expect(res.status, `${path} ${body.slice(0, 60)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
    }
    for (const query of ["limit=1e3", "limit=-1", "cursor=" + "a".repeat(600), "after_index=1.5", "order=", "tag=", "created_after="]) {
      const res = await call("GET", `/v1/conversations/${c.id}/messages?${query}`, { key });
      expect(res.status, query).toBeLessThan(500);
      const list = await call("GET", `/v1/conversations?${query}`, { key });
      expect(list.status, query).toBeLessThan(500);
    }
  });
});

describe("routes and auth", () => {
  it("an unknown route is a 404 problem", async () => {
    const { key } = await newAccount();
    for (const [method, path] of [
      ["GET", "/nope"],
      ["GET", "/v1/nope"],
      ["GET", "/v2/conversations"],
      ["POST", "/v1/nope"],
    ] as const) {
      const res = await call(method, path, { key, body: method === "POST" ? {} : undefined });
      const p = problemOf(res, 404);
      expect(p.detail).toContain(path);
    }
    const c = await newConversation(key);
    problemOf(await call("GET", `/v1/conversations/${c.id}/nothing-here`, { key }), 404);
    // A known path asked with a method it does not take is a 405 (see methods.test.ts), not a 404.
    const put = await call("PUT", `/v1/conversations/${c.id}`, { key, body: {} });
    problemOf(put, 405);
    expect(put.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });

  it("API routes without a valid key are 401 problems", async () => {
    for (const [method, path] of [
      ["GET", "/v1/conversations"],
      ["POST", "/v1/conversations"],
      ["GET", "/v1/conversations/conv_01JD5V7J3E9Q8M2K4N6P0R1S2T"],
      ["POST", "/v1/conversations/conv_01JD5V7J3E9Q8M2K4N6P0R1S2T/messages"],
    ] as const) {
      problemOf(await call(method, path, { body: method === "POST" ? { body: "x" } : undefined }), 401);
      problemOf(await call(method, path, { key: "sk_wrong", body: method === "POST" ? { body: "x" } : undefined }), 401);
      problemOf(await call(method, path, { headers: { authorization: "Basic dXNlcjpwYXNz" }, body: method === "POST" ? { body: "x" } : undefined }), 401);
    }
  });

  it("the health check answers", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });
});
