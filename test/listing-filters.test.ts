import { describe, expect, it } from "vitest";
import { call, newAccount, newConversation, settle } from "./helpers";

describe("listing by tag follows tag changes", () => {
  it("finds a conversation by its new tag after a PATCH, and no longer by the old one", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { tags: ["billing"] });
    const other = await newConversation(key, { tags: ["sales"] });
    await settle(conv.id, other.id);
    const ids = async (tag: string) => (await call("GET", `/v1/conversations?tag=${tag}`, { key })).json.data.map((c: { id: string }) => c.id);
    expect(await ids("billing")).toEqual([conv.id]);

    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { tags: ["vip", "sales"] } })).status).toBe(200);
    await settle(conv.id);
    expect(await ids("billing")).toEqual([]);
    expect(await ids("vip")).toEqual([conv.id]);
    expect(new Set(await ids("sales"))).toEqual(new Set([conv.id, other.id]));

    // A change that is not about tags leaves the tag index alone.
    await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "hello" } });
    await settle(conv.id);
    expect(await ids("vip")).toEqual([conv.id]);
  });
});

describe("listing by participant", () => {
  it("matches an email address whatever its case, and combines address and identity filters", async () => {
    const { key } = await newAccount();
    const both = await newConversation(key, {
      participants: [
        { kind: "customer", channel: "email", address: "Pat@Example.com" },
        { kind: "agent", identity: "ada" },
      ],
    });
    const emailOnly = await newConversation(key, { participants: [{ kind: "customer", channel: "email", address: "pat@example.com" }] });
    await settle(both.id, emailOnly.id);
    const ids = async (query: string) => (await call("GET", `/v1/conversations?${query}`, { key })).json.data.map((c: { id: string }) => c.id).sort();
    expect(await ids("address=PAT%40example.COM")).toEqual([both.id, emailOnly.id].sort());
    expect(await ids("address=pat%40example.com&identity=ada")).toEqual([both.id]);
  });
});
