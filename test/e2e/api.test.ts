// End to end: a real `wrangler dev` (workerd with local D1, Durable Objects and Queues, migrations
// applied) on a free port with its own fresh state, driven over real HTTP the way a user's curl
// would drive it.
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalServer, type Reply } from "./local";

/** The listing is fed from each conversation's outbox into D1 asynchronously; this is how long we allow. */
const LISTING_LAG_MS = 5_000;

const local = useLocalServer("e2e");
const ADMIN_TOKEN = local.adminToken;
const api = local.api;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Re-asks until `done` holds or the listing lag allowance runs out; returns the last answer either way. */
async function eventually(ask: () => Promise<Reply>, done: (r: Reply) => boolean, ms = LISTING_LAG_MS): Promise<Reply> {
  const deadline = Date.now() + ms;
  for (;;) {
    const reply = await ask();
    if (done(reply) || Date.now() > deadline) return reply;
    await sleep(100);
  }
}

const listIds = (r: Reply): string[] => (r.status === 200 ? (r.body.data as { id: string }[]).map((c) => c.id) : []);
const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

async function newAccount(name: string): Promise<{ id: string; key: string }> {
  const res = await api("POST", "/v1/accounts", { key: ADMIN_TOKEN, body: { name } });
  if (res.status !== 201) throw new Error(`POST /v1/accounts: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.account.id, key: res.body.api_key.key };
}

const CUSTOMER = { kind: "customer", channel: "sms", address: "+14155550100" };
const AGENT = { kind: "agent", identity: "agent-ada" };

async function newConversation(key: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/conversations", { key, body: { participants: [CUSTOMER, AGENT], ...body } });
  if (res.status !== 201) throw new Error(`POST /v1/conversations: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; participants: { id: string; kind: string }[] };
}

function expectProblem(res: Reply, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

let alice: { id: string; key: string };
let bob: { id: string; key: string };

beforeAll(async () => {
  alice = await newAccount("Alice's shop");
  bob = await newAccount("Bob's bakery");
});

describe("accounts and keys (admin)", () => {
  it("issues accounts with an sk_ key only to the admin token", async () => {
    expect(alice.key).toMatch(/^sk_/);
    expect(bob.key).not.toBe(alice.key);
    expectProblem(await api("POST", "/v1/accounts", { body: { name: "no token" } }), 401);
    expectProblem(await api("POST", "/v1/accounts", { key: "not-the-admin-token", body: { name: "wrong token" } }), 401);
    expectProblem(await api("POST", "/v1/accounts", { key: alice.key, body: { name: "an API key is not the admin token" } }), 401);
  });

  it("issues, lists and revokes keys; a revoked key stops working", async () => {
    const issued = await api("POST", `/v1/accounts/${alice.id}/keys`, { key: ADMIN_TOKEN, body: { name: "backend" } });
    expect(issued.status).toBe(201);
    expect(issued.body.key).toMatch(/^sk_/);
    expect((await api("GET", "/v1/conversations", { key: issued.body.key })).status).toBe(200);

    const listed = await api("GET", `/v1/accounts/${alice.id}/keys`, { key: ADMIN_TOKEN });
    expect(listed.status).toBe(200);
    const entry = listed.body.data.find((k: { id: string }) => k.id === issued.body.id);
    expect(entry).toMatchObject({ name: "backend", prefix: issued.body.prefix, revoked_at: null });
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);

    expect((await api("DELETE", `/v1/accounts/${alice.id}/keys/${issued.body.id}`, { key: ADMIN_TOKEN })).status).toBe(204);
    expectProblem(await api("GET", "/v1/conversations", { key: issued.body.key }), 401);
    // The account's other key is untouched.
    expect((await api("GET", "/v1/conversations", { key: alice.key })).status).toBe(200);
  });
});

describe("conversations and messages", () => {
  it("creates a conversation with an SMS customer, an agent and a first message", async () => {
    const res = await api("POST", "/v1/conversations", {
      key: alice.key,
      body: { friendly_name: "Order #1042", participants: [CUSTOMER, AGENT], message: { author: "agent-ada", body: "Hi! How can we help?" } },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^conv_/);
    expect(res.body).toMatchObject({ friendly_name: "Order #1042", status: "open", channel: "sms", message_count: 1, participant_count: 2 });
    expect(res.body.participants).toEqual([
      expect.objectContaining({ kind: "customer", channel: "sms", address: "+14155550100", identity: null }),
      expect.objectContaining({ kind: "agent", channel: "chat", identity: "agent-ada", address: null }),
    ]);
    expect(res.body.message).toMatchObject({ index: 0, author: "agent-ada", author_kind: "agent", body: "Hi! How can we help?" });

    // What was created is what a later read returns.
    const again = await api("GET", `/v1/conversations/${res.body.id}`, { key: alice.key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: res.body.id, message_count: 1, last_message: { index: 0, body: "Hi! How can we help?" } });
  });

  it("gives the agent's messages the next indexes and pages history both ways", async () => {
    const conv = await newConversation(alice.key, { message: { author: "agent-ada", body: "m0" } });
    const agentId = conv.participants.find((p) => p.kind === "agent")!.id;
    for (let i = 1; i <= 4; i++) {
      // By identity and by participant id: both name the agent.
      const author = i % 2 ? "agent-ada" : agentId;
      const sent = await api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body: { author, body: `m${i}` } });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ index: i, body: `m${i}`, author: "agent-ada", author_kind: "agent", participant_id: agentId });
    }

    // Oldest first, two at a time, following next_cursor until it is null.
    const bodies: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Reply = await api("GET", `/v1/conversations/${conv.id}/messages${query(cursor ? { limit: "2", cursor } : { limit: "2" })}`, { key: alice.key });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      bodies.push(...page.body.data.map((m: { body: string }) => m.body));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(bodies).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    expect(pages).toBe(3);

    // Newest first, paged the same way.
    const first = await api("GET", `/v1/conversations/${conv.id}/messages?order=desc&limit=3`, { key: alice.key });
    expect(first.body.data.map((m: { index: number }) => m.index)).toEqual([4, 3, 2]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const rest = await api("GET", `/v1/conversations/${conv.id}/messages${query({ order: "desc", limit: "3", cursor: first.body.next_cursor })}`, { key: alice.key });
    expect(rest.body.data.map((m: { index: number }) => m.index)).toEqual([1, 0]);
    expect(rest.body.next_cursor).toBeNull();
  });

  it("gets one message by id, and 404s an unknown one", async () => {
    const conv = await newConversation(alice.key);
    const sent = await api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body: { author: "agent-ada", body: "Your parcel ships today" } });
    const one = await api("GET", `/v1/conversations/${conv.id}/messages/${sent.body.id}`, { key: alice.key });
    expect(one.status).toBe(200);
    // Its delivery to the SMS customer can move on between the two calls (this account has no SMS
    // channel, so the delivery consumer marks it skipped within milliseconds), and updated_at with it.
    const { delivery, updated_at: _updated, ...content } = sent.body;
    expect(one.body).toMatchObject(content);
    expect(one.body.delivery.recipients.map((r: { address: string }) => r.address)).toEqual(delivery.recipients.map((r: { address: string }) => r.address));
    expectProblem(await api("GET", `/v1/conversations/${conv.id}/messages/msg_01JD5V7J3E9Q8M2K4N6P0R1S2T`, { key: alice.key }), 404);
    expectProblem(await api("GET", "/v1/conversations/conv_01JD5V7J3E9Q8M2K4N6P0R1S2T", { key: alice.key }), 404);
  });

  it("lists the conversation (soon after) with its message count and last message, and filters", async () => {
    const conv = await newConversation(alice.key, { message: { author: "agent-ada", body: "first" } });
    await api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body: { author: "+14155550100", body: "latest" } });

    const listed = await eventually(
      () => api("GET", "/v1/conversations?limit=100", { key: alice.key }),
      (r) => r.body?.data?.some((c: { id: string; message_count: number }) => c.id === conv.id && c.message_count === 2),
    );
    expect(listed.status).toBe(200);
    const row = listed.body.data.find((c: { id: string }) => c.id === conv.id);
    expect(row).toMatchObject({ message_count: 2, participant_count: 2, last_message: { index: 1, body: "latest", author: "+14155550100" } });
    // Latest activity first: the conversation just written to heads the list.
    expect(listed.body.data[0].id).toBe(conv.id);

    const has = async (params: Record<string, string>) => listIds(await api("GET", `/v1/conversations${query({ limit: "100", ...params })}`, { key: alice.key }));
    expect(await has({ status: "open" })).toContain(conv.id);
    expect(await has({ status: "closed" })).not.toContain(conv.id);
    expect(await has({ identity: "agent-ada" })).toContain(conv.id);
    expect(await has({ identity: "agent-bob" })).not.toContain(conv.id);
    expect(await has({ address: "+14155550100" })).toContain(conv.id);
    expect(await has({ address: "+14155550199" })).not.toContain(conv.id);

    // A conversation without that customer is filtered out by the same address filter.
    const other = await newConversation(alice.key, { participants: [AGENT], message: { author: "agent-ada", body: "internal note" } });
    const byIdentity = await eventually(
      () => api("GET", `/v1/conversations${query({ identity: "agent-ada", limit: "100" })}`, { key: alice.key }),
      (r) => listIds(r).includes(other.id),
    );
    expect(listIds(byIdentity)).toContain(other.id);
    expect(await has({ address: "+14155550100" })).not.toContain(other.id);
  });

  it("pages the conversation listing with limit and next_cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await newConversation(bob.key, { message: { body: `n${i}` } })).id);
    await eventually(
      () => api("GET", "/v1/conversations?limit=100", { key: bob.key }),
      (r) => ids.every((id) => listIds(r).includes(id)),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Reply = await api("GET", `/v1/conversations${query(cursor ? { limit: "2", cursor } : { limit: "2" })}`, { key: bob.key });
      expect(page.status).toBe(200);
      seen.push(...listIds(page));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    for (const id of ids) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("refuses new messages once closed (409) and accepts them again when reopened", async () => {
    const conv = await newConversation(alice.key);
    const closed = await api("PATCH", `/v1/conversations/${conv.id}`, { key: alice.key, body: { status: "closed" } });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("closed");
    expectProblem(await api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body: { author: "agent-ada", body: "anyone there?" } }), 409);

    const closedList = await eventually(
      () => api("GET", `/v1/conversations${query({ status: "closed", limit: "100" })}`, { key: alice.key }),
      (r) => listIds(r).includes(conv.id),
    );
    expect(listIds(closedList)).toContain(conv.id);

    expect((await api("PATCH", `/v1/conversations/${conv.id}`, { key: alice.key, body: { status: "open" } })).body.status).toBe("open");
    const sent = await api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body: { author: "agent-ada", body: "back again" } });
    expect(sent.status).toBe(201);
    expect(sent.body.index).toBe(0);
  });

  it("deletes a conversation: 204, then 404 and gone from the listing", async () => {
    const conv = await newConversation(alice.key, { message: { author: "agent-ada", body: "to be deleted" } });
    await eventually(
      () => api("GET", "/v1/conversations?limit=100", { key: alice.key }),
      (r) => listIds(r).includes(conv.id),
    );
    const removed = await api("DELETE", `/v1/conversations/${conv.id}`, { key: alice.key });
    expect(removed.status).toBe(204);
    expectProblem(await api("GET", `/v1/conversations/${conv.id}`, { key: alice.key }), 404);
    expectProblem(await api("GET", `/v1/conversations/${conv.id}/messages`, { key: alice.key }), 404);
    expectProblem(await api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body: { body: "hello?" } }), 404);
    expectProblem(await api("DELETE", `/v1/conversations/${conv.id}`, { key: alice.key }), 404);
    const listed = await eventually(
      () => api("GET", "/v1/conversations?limit=100", { key: alice.key }),
      (r) => !listIds(r).includes(conv.id),
    );
    expect(listIds(listed)).not.toContain(conv.id);
  });
});

describe("auth, isolation, errors and retries", () => {
  it("answers 401 problem+json without a valid API key", async () => {
    const missing = await api("GET", "/v1/conversations");
    expectProblem(missing, 401);
    expectProblem(await api("POST", "/v1/conversations", { body: {} }), 401);
    expectProblem(await api("GET", "/v1/conversations", { key: "sk_not_a_real_key" }), 401);
    expectProblem(await api("GET", "/v1/conversations", { key: ADMIN_TOKEN }), 401);
  });

  it("hides one account's conversation from another (404, never 403) and leaves it untouched", async () => {
    const conv = await newConversation(alice.key, { message: { author: "agent-ada", body: "private" } });
    const base = `/v1/conversations/${conv.id}`;
    expectProblem(await api("GET", base, { key: bob.key }), 404);
    expectProblem(await api("GET", `${base}/messages`, { key: bob.key }), 404);
    expectProblem(await api("POST", `${base}/messages`, { key: bob.key, body: { body: "intruding" } }), 404);
    expectProblem(await api("PATCH", base, { key: bob.key, body: { status: "closed" } }), 404);
    expectProblem(await api("DELETE", base, { key: bob.key }), 404);
    expectProblem(await api("GET", `${base}/participants`, { key: bob.key }), 404);

    const still = await api("GET", base, { key: alice.key });
    expect(still.status).toBe(200);
    expect(still.body).toMatchObject({ status: "open", message_count: 1, last_message: { body: "private" } });

    await eventually(
      () => api("GET", "/v1/conversations?limit=100", { key: alice.key }),
      (r) => listIds(r).includes(conv.id),
    );
    expect(listIds(await api("GET", "/v1/conversations?limit=100", { key: bob.key }))).not.toContain(conv.id);
    expect(listIds(await api("GET", `/v1/conversations${query({ address: "+14155550100", limit: "100" })}`, { key: bob.key }))).not.toContain(conv.id);
  });

  it("rejects an invalid body with 422 naming the field, and creates nothing", async () => {
    const res = await api("POST", "/v1/conversations", {
      key: bob.key,
      body: { unique_name: "should-not-exist", participants: [{ kind: "customer", channel: "sms", address: "555-0100" }] },
    });
    expectProblem(res, 422);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "body.participants[0].address", message: expect.any(String) })]));

    // Nothing was created: the unique_name is still free.
    const retry = await api("POST", "/v1/conversations", { key: bob.key, body: { unique_name: "should-not-exist" } });
    expect(retry.status).toBe(201);

    const badMessage = await api("POST", `/v1/conversations/${retry.body.id}/messages`, { key: bob.key, body: { body: 42 } });
    expectProblem(badMessage, 422);
    expect(badMessage.body.errors.map((e: { path: string }) => e.path)).toContain("body.body");

    const malformed = await fetch(`${local.url()}/v1/conversations`, {
      method: "POST",
      headers: { authorization: `Bearer ${bob.key}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("replays an Idempotency-Key retry instead of sending twice", async () => {
    const conv = await newConversation(alice.key);
    const send = (body: unknown) =>
      api("POST", `/v1/conversations/${conv.id}/messages`, { key: alice.key, body, headers: { "idempotency-key": "retry-7f3a" } });
    const first = await send({ author: "agent-ada", body: "charged once" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const retry = await send({ author: "agent-ada", body: "charged once" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.index).toBe(first.body.index);

    const history = await api("GET", `/v1/conversations/${conv.id}/messages`, { key: alice.key });
    expect(history.body.data.map((m: { id: string }) => m.id)).toEqual([first.body.id]);

    // The same key with a different body is a client bug, not a retry.
    expectProblem(await send({ author: "agent-ada", body: "something else" }), 422);

    // Creating a conversation is retry-safe too.
    const create = () =>
      api("POST", "/v1/conversations", { key: alice.key, body: { friendly_name: "once" }, headers: { "idempotency-key": "create-9c1e" } });
    const a = await create();
    const b = await create();
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("API description", () => {
  it("serves an OpenAPI 3.1 document with the conversation routes, and a docs page", async () => {
    const doc = await api("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.body.paths["/v1/conversations"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(doc.body.paths["/v1/conversations/{conversation_id}/messages"]).toHaveProperty("post");

    const docs = await api("GET", "/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toMatch(/text\/html/);
  });
});
