import { describe, expect, it } from "vitest";
import { twilioSignature } from "../src/channels/providers/twilio";
import { bodies, connect, SECRETS } from "./channel-fixtures";
import { addParticipant, call, d1Number, errorPaths, newAccount, newConversation, problemOf, rawCall, send, sleep } from "./helpers";
import { deliveryOf, interceptProviders, jsonAnswer } from "./provider-intercept";

// Outbound delivery inside the Worker: a message to a channel-bound participant goes through the
// outbox's delivery sink and the DELIVERY queue to the provider, in the provider's format, and the
// send result and the provider's receipts come back onto the message.

const CUSTOMER = "+14155550142";
const SENDER = "+14155550100";

const provider = interceptProviders();
const twilioAccepted = (sid: string) => jsonAnswer(201, { sid, status: "queued" });
const json = jsonAnswer;

async function message(key: string, conversationId: string, messageId: string) {
  return (await call("GET", `/v1/conversations/${conversationId}/messages/${messageId}`, { key })).json;
}

async function statusCallback(url: string, fields: Record<string, string>) {
  const params = new URLSearchParams(fields);
  const signature = (await twilioSignature(SECRETS.auth_token, url, params))!;
  return rawCall("POST", new URL(url).pathname, { body: params.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } });
}

/** An account with a Twilio SMS channel and a conversation with an SMS customer and an agent. */
async function smsThread() {
  const { id: accountId, key } = await newAccount();
  const channel = await connect(key, bodies.twilioSms(SENDER));
  const conv = await newConversation(key, {
    participants: [
      { kind: "customer", channel: "sms", address: CUSTOMER },
      { kind: "agent", identity: "agent-ada" },
    ],
  });
  return { accountId, key, channel, conv, customer: conv.participants.find((p: any) => p.kind === "customer") };
}

describe("outbound delivery", () => {
  it("an agent's reply reaches an SMS customer through Twilio's Messages API, formatted for SMS, with its segments", async () => {
    const { key, channel, conv, customer } = await smsThread();
    provider.answer = () => twilioAccepted("SM" + "a".repeat(32));
    const sent = await send(key, conv.id, { author: "agent-ada", body: "Your order *ships* today: [track it](https://example.com/t/1)" });
    expect(sent.delivery).toMatchObject({ status: "queued", channel: "sms", recipients: [{ participant_id: customer.id, status: "queued" }], attempts: [] });

    const delivery = await deliveryOf(key, conv.id, sent.id, (d) => d.status === "sent");
    expect(provider.requests).toHaveLength(1);
    const [request] = provider.requests;
    expect(request!.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${SECRETS.account_sid}/Messages.json`);
    expect(request!.headers.get("authorization")).toBe(`Basic ${btoa(`${SECRETS.account_sid}:${SECRETS.auth_token}`)}`);
    const form = new URLSearchParams(request!.body);
    expect(form.get("To")).toBe(CUSTOMER);
    expect(form.get("From")).toBe(SENDER);
    expect(form.get("Body")).toBe("Your order ships today: track it (https://example.com/t/1)");
    expect(form.get("StatusCallback")).toBe(channel.inbound_url);
    expect(delivery.recipients).toEqual([
      expect.objectContaining({ participant_id: customer.id, channel: "sms", address: CUSTOMER, status: "sent", provider_message_id: "SM" + "a".repeat(32), segments: 1 }),
    ]);
    expect(delivery.attempts).toEqual([expect.objectContaining({ participant_id: customer.id, channel_id: channel.id, provider: "twilio", outcome: "accepted", error_code: null })]);
  });

  it("Twilio's status callbacks move the recipient forward, never back; another account's channel cannot move it", async () => {
    const { key, channel, conv } = await smsThread();
    const sid = "SM" + "b".repeat(32);
    provider.answer = () => twilioAccepted(sid);
    const sent = await send(key, conv.id, { author: "agent-ada", body: "hello" });
    await deliveryOf(key, conv.id, sent.id, (d) => d.status === "sent");

    const base = { MessageSid: sid, SmsSid: sid, AccountSid: SECRETS.account_sid, From: SENDER, To: CUSTOMER };
    // Another account, with its own correctly signed channel, names this message's sid.
    const other = await newAccount();
    const foreign = await connect(other.key, bodies.twilioSms(SENDER));
    expect((await statusCallback(foreign.inbound_url, { ...base, MessageStatus: "undelivered", ErrorCode: "30003" })).status).toBe(200);
    expect((await statusCallback(channel.inbound_url, { ...base, MessageStatus: "delivered" })).status).toBe(200);
    expect((await statusCallback(channel.inbound_url, { ...base, MessageStatus: "sent" })).status).toBe(200);
    const delivery = (await message(key, conv.id, sent.id)).delivery;
    expect(delivery.status).toBe("delivered");
    expect(delivery.recipients[0]).toMatchObject({ status: "delivered", error_code: null });
  });

  it("an undelivered callback records Twilio's error code on the recipient", async () => {
    const { key, channel, conv } = await smsThread();
    const sid = "SM" + "c".repeat(32);
    provider.answer = () => twilioAccepted(sid);
    const sent = await send(key, conv.id, { author: "agent-ada", body: "hello" });
    await deliveryOf(key, conv.id, sent.id, (d) => d.status === "sent");
    await statusCallback(channel.inbound_url, { MessageSid: sid, AccountSid: SECRETS.account_sid, From: SENDER, To: CUSTOMER, MessageStatus: "undelivered", ErrorCode: "30003" });
    const delivery = (await message(key, conv.id, sent.id)).delivery;
    expect(delivery).toMatchObject({ status: "undelivered", recipients: [{ status: "undelivered", error_code: "30003" }] });
  });

  it("a permanent refusal fails the recipient at once with the provider's code; nothing is retried", async () => {
    const { key, conv } = await smsThread();
    provider.answer = () => json(400, { code: 21610, message: "Attempt to send to unsubscribed recipient", more_info: "https://www.twilio.com/docs/errors/21610", status: 400 });
    const sent = await send(key, conv.id, { author: "agent-ada", body: "hello" });
    const delivery = await deliveryOf(key, conv.id, sent.id, (d) => d.status === "failed");
    expect(delivery.recipients[0]).toMatchObject({ status: "failed", error_code: "21610" });
    expect(delivery.attempts).toEqual([expect.objectContaining({ outcome: "failed", error_code: "21610", reason: expect.stringContaining("unsubscribed") })]);
    await sleep(300);
    expect(provider.requests).toHaveLength(1);
  });

  it("a transient failure is retried with backoff and then sent once; each try is in the ledger", async () => {
    const { key, conv } = await smsThread();
    let calls = 0;
    provider.answer = () => (++calls === 1 ? json(503, { code: 20500, message: "Internal Server Error", status: 503 }) : twilioAccepted("SM" + "d".repeat(32)));
    const sent = await send(key, conv.id, { author: "agent-ada", body: "hello" });
    const delivery = await deliveryOf(key, conv.id, sent.id, (d) => d.status === "sent", 15_000);
    expect(delivery.attempts.map((a: any) => a.outcome)).toEqual(["retrying", "accepted"]);
    expect(delivery.attempts[0]).toMatchObject({ error_code: "20500" });
    expect(provider.requests).toHaveLength(2);
  });

  it("with no channel of that kind connected, the recipient fails as channel_not_connected", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { participants: [{ kind: "customer", channel: "whatsapp", address: CUSTOMER }] });
    const sent = await send(key, conv.id, { body: "hello" });
    const delivery = await deliveryOf(key, conv.id, sent.id, (d) => d.status === "failed");
    expect(delivery.recipients[0]).toMatchObject({ channel: "whatsapp", status: "failed", error_code: "channel_not_connected" });
    expect(provider.requests).toHaveLength(0);
  });

  it("a customer's own message is not sent back to them; in-app only conversations owe no delivery", async () => {
    const { key, conv, customer } = await smsThread();
    provider.answer = () => twilioAccepted("SM" + "e".repeat(32));
    const own = await send(key, conv.id, { author: customer.id, body: "from the customer" });
    expect(own.delivery).toBeNull();
    const chatOnly = await newConversation(key, { participants: [{ kind: "agent", identity: "agent-bo" }] });
    expect((await send(key, chatOnly.id, { body: "internal note" })).delivery).toBeNull();
    await sleep(300);
    expect(provider.requests).toHaveLength(0);
  });

  it("every channel-bound participant but the author gets their own delivery", async () => {
    const { key, conv } = await smsThread();
    const second = await addParticipant(key, conv.id, { kind: "customer", channel: "sms", address: "+14155550143" });
    let n = 0;
    provider.answer = () => twilioAccepted("SM" + String(++n).padStart(32, "0"));
    const sent = await send(key, conv.id, { author: "agent-ada", body: "to you both" });
    const delivery = await deliveryOf(key, conv.id, sent.id, (d) => d.recipients.every((r: any) => r.status === "sent"));
    expect(delivery.recipients.map((r: any) => r.participant_id).sort()).toEqual([conv.participants.find((p: any) => p.kind === "customer").id, second.id].sort());
    expect(provider.requests.map((r) => new URLSearchParams(r.body).get("To")).sort()).toEqual([CUSTOMER, "+14155550143"]);
    expect(await d1Number("SELECT count(*) AS n FROM outbound_messages WHERE conversation_id = ?", conv.id)).toBe(2);
  });

  it("an SMS body over 1,600 characters is a 422 naming body, and nothing is stored or sent", async () => {
    const { key, conv } = await smsThread();
    const res = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { author: "agent-ada", body: "x".repeat(1601) } });
    expect(errorPaths(problemOf(res, 422))).toEqual(["body.body"]);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.message_count).toBe(0);
    await sleep(300);
    expect(provider.requests).toHaveLength(0);
  });
});
