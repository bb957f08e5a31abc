import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { twoParticipants } from "./fixtures";
import { call, errorPaths, newAccount, newConversation, problemOf } from "./helpers";

// The account's pre-event hook, asked before a message is committed: allow, modify, reject, or no
// answer in time. Its requests are signed like webhooks, with the secret PATCH /v1/settings gave.

const HOOK = "http://127.0.0.1:9/hook";
let answer: (body: any, headers: Headers, signal: AbortSignal | undefined) => Promise<Response> = async () => new Response(null, { status: 204 });
const asked: { body: any; headers: Headers }[] = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  asked.length = 0;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url !== HOOK) return realFetch(input, init);
    const text = await request.text();
    asked.push({ body: JSON.parse(text), headers: request.headers });
    (asked.at(-1) as { raw?: string }).raw = text;
    return answer(JSON.parse(text), request.headers, init?.signal ?? undefined);
  });
});
afterEach(() => vi.restoreAllMocks());

async function withHook() {
  const account = await newAccount();
  const set = await call("PATCH", "/v1/settings", { key: account.key, body: { pre_event_hook: { url: HOOK } } });
  expect(set.status).toBe(200);
  expect(set.json.pre_event_hook).toEqual({ url: HOOK });
  expect(set.json.pre_event_hook_secret).toMatch(/^whsec_/);
  // The secret is shown once.
  expect((await call("GET", "/v1/settings", { key: account.key })).json).not.toHaveProperty("pre_event_hook_secret");
  return { ...account, secret: set.json.pre_event_hook_secret as string };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("the pre-event hook", () => {
  it("is asked with a signed request and its verdict holds: allow, modify, reject (422, nothing stored)", async () => {
    const { key, secret } = await withHook();
    const conv = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }] });

    answer = async () => json({ action: "allow" });
    expect((await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { author: "ada", body: "hello" } })).status).toBe(201);
    const [first] = asked as ({ body: any; headers: Headers; raw: string })[];
    expect(first!.body).toMatchObject({ type: "message.pre_add", conversation_id: conv.id, data: { message: { body: "hello", author: "ada" } } });
    const headers = Object.fromEntries(first!.headers);
    expect(new Webhook(secret).verify(first!.raw, headers)).toMatchObject({ type: "message.pre_add" });

    answer = async (body) => json({ action: "modify", body: body.data.message.body.replace("darn", "****"), attributes: { moderated: true } });
    const modified = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { author: "ada", body: "darn it" } });
    expect(modified.json).toMatchObject({ body: "**** it", attributes: { moderated: true } });

    answer = async () => json({ action: "reject", reason: "no card numbers" });
    const refused = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { author: "ada", body: "4111 1111 1111 1111" } });
    const problem = problemOf(refused, 422);
    expect(problem.detail).toContain("no card numbers");
    expect(errorPaths(problem)).toEqual(["body"]);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.message_count).toBe(2);
  });

  it("a hook that does not answer in 5 s, or answers nonsense, lets the message through unchanged, noted on it", async () => {
    const { key } = await withHook();
    const conv = await newConversation(key);
    answer = (_body, _headers, signal) => new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    const started = Date.now();
    const slow = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "are you there?", attributes: { mine: 1 } } });
    expect(slow.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(slow.json).toMatchObject({ body: "are you there?", attributes: { mine: 1, parley: { pre_event_hook: "timeout" } } });

    answer = async () => json({ action: "explode" });
    const odd = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "and now?" } });
    expect(odd.json.attributes).toEqual({ parley: { pre_event_hook: "failed" } });
  }, 15_000);

  it("is asked for messages sent over the socket too; a rejection is an error frame with REST's problem", async () => {
    const { key, convId, openBob } = await twoParticipants();
    const set = await call("PATCH", "/v1/settings", { key, body: { pre_event_hook: { url: HOOK } } });
    expect(set.status).toBe(200);
    answer = async (body) => (body.data.message.body.includes("spam") ? json({ action: "reject", reason: "spam" }) : json({ action: "allow" }));
    const bob = await openBob({ ready: true });
    bob.send({ type: "message.send", client_id: "s1", body: "buy spam now" });
    bob.send({ type: "message.send", client_id: "s2", body: "a real question" });
    expect(await bob.next("error")).toMatchObject({ client_id: "s1", problem: { status: 422 } });
    expect((await bob.next("message.ack")).client_id).toBe("s2");
    expect(asked.map((a) => a.body.data.message.author)).toEqual([expect.stringMatching(/^part_/), expect.stringMatching(/^part_/)]);
    expect((await call("GET", `/v1/conversations/${convId}`, { key })).json.message_count).toBe(1);
  });

  it("a hook url follows the webhook rules, and null removes the hook", async () => {
    const { key } = await withHook();
    const bad = await call("PATCH", "/v1/settings", { key, body: { pre_event_hook: { url: "ftp://example.com/hook" } } });
    expect(errorPaths(problemOf(bad, 422))).toEqual(["body.pre_event_hook.url"]);
    expect((await call("PATCH", "/v1/settings", { key, body: { pre_event_hook: null } })).json.pre_event_hook).toBeNull();
    const conv = await newConversation(key);
    expect((await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "free" } })).status).toBe(201);
    expect(asked).toHaveLength(0);
  });
});
