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
