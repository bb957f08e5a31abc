import { describe, expect, it } from "vitest";
import { LIMITS } from "../src/lib/limits";
import { call, errorPaths, newAccount, newConversation, problemOf, rawCall } from "./helpers";

/**
 * Attributes nested deeper than any real use, yet small in bytes, once crashed create and PATCH
 * with a 500: with an Idempotency-Key, as the fuzzer sent, the request's fingerprint walked the
 * body recursively and overflowed the call stack. Bodies are built as text: a test that built them
 * as values could overflow the same way.
 */
const FUZZED_DEPTH = 3_300;

/** An attributes object `depth` levels deep (itself level 1), nested through arrays: 2 bytes a level. */
const deepArrays = (depth: number) => `{"x":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
/** An attributes object `depth` levels deep, nested through objects. */
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;

const post = (key: string, path: string, json: string, method = "POST") =>
  rawCall(method, path, { key, body: json, headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() } });

function refusedNaming(res: { status: number; headers: Headers; json: any }, field: string) {
  const p = problemOf(res, 422);
  expect(errorPaths(p)).toContain(field);
  expect(p.detail).toContain(String(LIMITS.attributesDepth));
}

describe("attributes nested 3,300 levels deep", () => {
  it("is a 422 on create, naming the field, and leaves the unique_name free", async () => {
    const { key } = await newAccount();
    const attributes = deepArrays(FUZZED_DEPTH);
    expect(attributes.length).toBeLessThan(LIMITS.conversationAttributesBytes);
    refusedNaming(await post(key, "/v1/conversations", `{"unique_name":"deep-1","attributes":${attributes}}`), "body.attributes");
    refusedNaming(
      await post(key, "/v1/conversations", `{"unique_name":"deep-1","participants":[{"kind":"agent","identity":"ada","attributes":${attributes}}]}`),
      "body.participants[0].attributes",
    );
    refusedNaming(await post(key, "/v1/conversations", `{"unique_name":"deep-1","message":{"body":"hi","attributes":${attributes}}}`), "body.message.attributes");
    // Nothing was created, so the name is still free.
    const created = await call("POST", "/v1/conversations", { key, body: { unique_name: "deep-1" } });
    expect(created.status).toBe(201);
  });

  it("is a 422 on PATCH and changes nothing", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, { attributes: { crm_id: "A-1" } });
    refusedNaming(await post(key, `/v1/conversations/${c.id}`, `{"attributes":${deepArrays(FUZZED_DEPTH)}}`, "PATCH"), "body.attributes");
    const after = await call("GET", `/v1/conversations/${c.id}`, { key });
    expect(after.json.attributes).toEqual({ crm_id: "A-1" });
    expect(after.json.updated_at).toBe(c.updated_at);
  });

  it("is a 422 on adding a participant and adds none", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const body = `{"kind":"agent","identity":"ada","attributes":${deepArrays(FUZZED_DEPTH)}}`;
    refusedNaming(await post(key, `/v1/conversations/${c.id}/participants`, body), "body.attributes");
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.participant_count).toBe(0);
  });

  it("is a 422 on sending a message and sends none", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    refusedNaming(await post(key, `/v1/conversations/${c.id}/messages`, `{"body":"hi","attributes":${deepArrays(FUZZED_DEPTH)}}`), "body.attributes");
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).json.message_count).toBe(0);
  });
});

describe(`attributes up to ${LIMITS.attributesDepth} levels`, () => {
  const limit = LIMITS.attributesDepth;

  it("are accepted at the limit and refused one past it, on every kind of attributes", async () => {
    const { key } = await newAccount();
    for (const deep of [deepObjects, deepArrays]) {
      const ok = await post(key, "/v1/conversations", `{"attributes":${deep(limit)}}`);
      expect(ok.status, ok.text).toBe(201);
      expect(ok.json.attributes).toEqual(JSON.parse(deep(limit)));
      refusedNaming(await post(key, "/v1/conversations", `{"attributes":${deep(limit + 1)}}`), "body.attributes");

      const c = ok.json;
      expect((await post(key, `/v1/conversations/${c.id}`, `{"attributes":${deep(limit)}}`, "PATCH")).status).toBe(200);
      refusedNaming(await post(key, `/v1/conversations/${c.id}`, `{"attributes":${deep(limit + 1)}}`, "PATCH"), "body.attributes");

      const participant = (n: number, who: string) => `{"kind":"agent","identity":"${who}","attributes":${deep(n)}}`;
      expect((await post(key, `/v1/conversations/${c.id}/participants`, participant(limit, "ada"))).status).toBe(201);
      refusedNaming(await post(key, `/v1/conversations/${c.id}/participants`, participant(limit + 1, "bob")), "body.attributes");

      expect((await post(key, `/v1/conversations/${c.id}/messages`, `{"body":"hi","attributes":${deep(limit)}}`)).status).toBe(201);
      refusedNaming(await post(key, `/v1/conversations/${c.id}/messages`, `{"body":"hi","attributes":${deep(limit + 1)}}`), "body.attributes");

      const after = await call("GET", `/v1/conversations/${c.id}`, { key });
      expect(after.json).toMatchObject({ participant_count: 1, message_count: 1 });
    }
  });

  it("count objects and arrays only: a flat object of scalars is one level", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, { attributes: { a: "x", b: 1, c: null, d: true } });
    expect(c.attributes).toEqual({ a: "x", b: 1, c: null, d: true });
  });
});
