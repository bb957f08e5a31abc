// The SDK inside the Workers runtime (workerd), as a Worker calling Parley would use it: its own
// fetch injected (here the Worker's fetch handler), REST calls, pagination, typed errors, and
// webhooks.verify against signatures made by the server's own signer (src/webhooks/secrets.ts),
// both secrets of a rotation included. The e2e tests cover Node; the console's, browsers.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NotFoundError, Parley, UnprocessableEntityError, WebhookVerificationError } from "../sdk/src/index";
import { newWebhookSecret, signatureHeader } from "../src/webhooks/secrets";
import { newAccount } from "./helpers";

const worker = (exports as unknown as { default: Fetcher }).default;

async function client() {
  const { key } = await newAccount("sdk-workers");
  return new Parley({ apiKey: key, baseUrl: "http://parley.test", fetch: (input, init) => worker.fetch(input as RequestInfo, init as RequestInit) });
}

describe("the SDK in workerd", () => {
  it("creates, sends, pages and fails with typed errors", async () => {
    const parley = await client();
    const conversation = await parley.conversations.create({ participants: [{ kind: "agent", identity: "ada" }], friendly_name: "From a Worker" });
    for (const body of ["one", "two", "three"]) await conversation.messages.send({ author: "ada", body });
    const bodies: string[] = [];
    for await (const m of conversation.messages.list({ limit: 2 })) bodies.push(m.body);
    expect(bodies).toEqual(["one", "two", "three"]);

    const invalid = await conversation.messages.send({ author: "nobody-here", body: "x" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect((invalid as UnprocessableEntityError).errors[0]?.path).toBe("body.author");
    await expect(parley.messages.get(conversation.id, "msg_01JD5V7J3E9Q8M2K4N6P0R1S2T")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("verifies what the server's signer signs, with either secret of a rotation, and nothing else", async () => {
    const parley = await client();
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const payload = JSON.stringify({ id: "evt_1", type: "message.added", account_id: "acct_1", conversation_id: "conv_1", sequence: 3, occurred_at: new Date().toISOString(), data: {} });
    const now = new Date();
    const headers = {
      "webhook-id": "evt_1",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signatureHeader([current, previous], "evt_1", now, payload),
    };
    for (const secret of [current, previous]) expect(await parley.webhooks.verify(payload, headers, secret)).toMatchObject({ id: "evt_1", sequence: 3 });
    await expect(parley.webhooks.verify(payload, headers, newWebhookSecret())).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(parley.webhooks.verify(payload.replace('"sequence":3', '"sequence":4'), headers, current)).rejects.toBeInstanceOf(WebhookVerificationError);
    // Signed properly, but ten minutes ago: outside the 5-minute tolerance.
    const then = new Date(now.getTime() - 600_000);
    const stale = { "webhook-id": "evt_1", "webhook-timestamp": String(Math.floor(then.getTime() / 1000)), "webhook-signature": signatureHeader([current], "evt_1", then, payload) };
    await expect(parley.webhooks.verify(payload, stale, current)).rejects.toBeInstanceOf(WebhookVerificationError);
  });
});
