import { describe, expect, it } from "vitest";
import { twilioSignature } from "../src/channels/providers/twilio";
import { bodies, connect, SECRETS, threadOf } from "./channel-fixtures";
import { call, rawCall } from "./helpers";
import { aiAccount, draftFor, handoffOf, waitFor } from "./fixtures/ai/setup";
import { deliveryOf, interceptProviders, jsonAnswer } from "./provider-intercept";

/**
 * From the provider's webhook to the provider's API: a customer's signed inbound SMS is drafted
 * for, and the bot's auto-sent answer goes back to them by SMS through the DELIVERY queue.
 */
const CUSTOMER = "+14155550177";
const SENDER = "+14155550100";
const provider = interceptProviders();

async function inboundSms(url: string, sid: string, body: string) {
  const params = new URLSearchParams({ MessageSid: sid, SmsSid: sid, AccountSid: SECRETS.account_sid, From: CUSTOMER, To: SENDER, Body: body, NumMedia: "0" });
  const signature = (await twilioSignature(SECRETS.auth_token, url, params))!;
  const res = await rawCall("POST", new URL(url).pathname, { body: params.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } });
  expect(res.status).toBe(200);
}

describe("drafts from inbound messages", () => {
  it("answers a customer's SMS by SMS, as the bot, and hands off an angry one without sending", async () => {
    provider.answer = () => jsonAnswer(201, { sid: `SM${crypto.randomUUID().replace(/-/g, "")}`, status: "queued" });
    const account = await aiAccount();
    const channel = await connect(account.key, bodies.twilioSms(SENDER));
    await inboundSms(channel.inbound_url, "SM00000000000000000000000000000a01", "How long does standard shipping take?");
    const conversationId = (await waitFor("the thread", () => threadOf(account.id, "sms", CUSTOMER), (id) => id !== null))!;
    const d = await draftFor(account.key, conversationId, 0, (x) => x.status !== "pending");
    expect(d).toMatchObject({ status: "sent", engine: "offline" });
    const reply = (await call("GET", `/v1/conversations/${conversationId}/messages/${d.reply_message_id}`, { key: account.key })).json;
    expect(reply).toMatchObject({ author_kind: "bot", channel: "sms" });
    await deliveryOf(account.key, conversationId, reply.id, (x) => x?.status === "sent", 20_000);
    const sent = provider.requests.find((r) => r.url.includes("/Messages.json"))!;
    const form = new URLSearchParams(sent.body);
    expect(form.get("To")).toBe(CUSTOMER);
    expect(form.get("From")).toBe(SENDER);
    expect(form.get("Body")).toContain("3 to 5 business days");

    const before = provider.requests.length;
    await inboundSms(channel.inbound_url, "SM00000000000000000000000000000a02", "This is terrible, the worst service ever, I am furious. Where is my refund?");
    await waitFor("the handoff", () => handoffOf(account.key, conversationId), (h) => h.state === "handoff_pending");
    expect((await handoffOf(account.key, conversationId)).reasons).toContain("negative_sentiment");
    const messages = (await call("GET", `/v1/conversations/${conversationId}/messages`, { key: account.key })).json.data;
    expect(messages.map((m: any) => m.author_kind)).toEqual(["customer", "bot", "customer"]);
    expect(provider.requests.length).toBe(before);
  }, 60_000);
});
