import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, conversationStub, env, newAccount, newConversation, settle } from "./helpers";

describe("unique_name claims left by creates that never finished", () => {
  const orphanClaim = async (accountId: string, name: string, claimedAt: number) => {
    const ghost = "conv_01ZZZZZZZZZZZZZZZZZZZZZZZZ";
    await env.DB.prepare("INSERT INTO conversation_names (account_id, unique_name, conversation_id, claimed_at) VALUES (?, ?, ?, ?)")
      .bind(accountId, name, ghost, claimedAt)
      .run();
    return ghost;
  };

  it("are respected while their create may still be running (409), and taken over once stale", async () => {
    const { id: accountId, key } = await newAccount();
    await orphanClaim(accountId, "fresh-claim", Date.now());
    const clash = await call("POST", "/v1/conversations", { key, body: { unique_name: "fresh-claim" } });
    expect(clash.status).toBe(409);
    expect(clash.json.errors[0].path).toBe("body.unique_name");

    await orphanClaim(accountId, "stale-claim", Date.now() - 10 * 60_000);
    const created = await call("POST", "/v1/conversations", { key, body: { unique_name: "stale-claim" } });
    expect(created.status).toBe(201);
    expect(created.json.unique_name).toBe("stale-claim");
  });
});

describe("unknown conversation ids", () => {
  it("answer 404 without leaving storage behind in the Durable Object they name", async () => {
    const { key } = await newAccount();
    const unknown = "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T";
    expect((await call("GET", `/v1/conversations/${unknown}`, { key })).status).toBe(404);
    expect((await call("POST", `/v1/conversations/${unknown}/messages`, { key, body: { body: "hi" } })).status).toBe(404);
    const tables = await runInDurableObject(conversationStub(unknown), (_instance, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables).toEqual([]);
  });
});

describe("a participant token limited to some conversations", () => {
  it("sees only those conversations in its identity's inbox", async () => {
    const { key } = await newAccount();
    const first = await newConversation(key, { participants: [{ kind: "customer", identity: "carol" }] });
    const second = await newConversation(key, { participants: [{ kind: "customer", identity: "carol" }] });
    await settle(first.id, second.id);
    const scoped = (await call("POST", "/v1/tokens", { key, body: { identity: "carol", conversation_id: first.id } })).json.token as string;
    const anywhere = (await call("POST", "/v1/tokens", { key, body: { identity: "carol" } })).json.token as string;

    const ids = async (token: string) =>
      (await call("GET", "/v1/identities/carol/conversations", { key: token })).json.data.map((c: { id: string }) => c.id).sort();
    expect(await ids(scoped)).toEqual([first.id]);
    expect(await ids(anywhere)).toEqual([first.id, second.id].sort());
  });

  it("cannot be minted for something that is not a conversation id", async () => {
    const { key } = await newAccount();
    const res = await call("POST", "/v1/tokens", { key, body: { identity: "carol", conversation_ids: ["x".repeat(5000)] } });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe("body.conversation_ids[0]");
  });
});
