import { describe, expect, it } from "vitest";
import { call, newAccount, newConversation } from "./helpers";

describe("smoke", () => {
  it("creates a conversation and sends a message", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { friendly_name: "Hello" });
    const sent = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "hi" } });
    expect(sent.status).toBe(201);
    expect(sent.json.index).toBe(0);
  });
});
