import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { twilioSignature } from "../src/channels/providers/twilio";
import { consumeDeliveries } from "../src/delivery/consumer";
import { describe, expect, it } from "vitest";
import { whatsAppInbound, whatsAppStatus, type SignedPost, type SimChannel } from "../sim/payloads";
import { bodies, connect, SECRETS, threadOf } from "./channel-fixtures";
import { call, conversationStub, env, newAccount, newConversation, rawCall, send, settle, sleep } from "./helpers";
import { mint } from "./fixtures";
import { deliveryOf, interceptProviders, jsonAnswer, type ProviderRequest } from "./provider-intercept";
import { connect as connectSocket } from "./ws";

// Fallback across channels: a recipient's delivery moves on to the next channel of its order when
// the provider refuses for good, a failed receipt comes, no delivered receipt comes in time, it has
// no address there, or WhatsApp's window is closed with no template; SMS last for critical ones.

const provider = interceptProviders();
const PHONE_NUMBER_ID = "106540352242922";
const CUSTOMER = "+14155550142";

async function post(signed: SignedPost) {
  const res = await rawCall("POST", new URL(signed.url).pathname, { body: signed.body, headers: signed.headers });
  expect(res.status, res.text).toBe(200);
}

/** An account with WhatsApp (Meta), SMS (Twilio) and email (Mailgun) channels. */
async function allChannels() {
  const { id: accountId, key } = await newAccount();
  const body = bodies.metaWhatsApp(PHONE_NUMBER_ID);
  const wa = await connect(key, body);
  await connect(key, bodies.twilioSms("+14155550100"));
  await connect(key, bodies.mailgun("support@mg.example.com"));
  const sim: SimChannel = { id: wa.id, type: "whatsapp", provider: "meta", sender: PHONE_NUMBER_ID, inbound_url: wa.inbound_url, credentials: body.credentials };
  return { accountId, key, wa: sim };
}

/** The customer wrote on WhatsApp (so its 24-hour window is open); their conversation. */
async function whatsAppThread() {
  const account = await allChannels();
  await post(await whatsAppInbound(account.wa, CUSTOMER, "hello"));
  return { ...account, conversationId: (await threadOf(account.accountId, "whatsapp", CUSTOMER))! };
}

const host = (r: ProviderRequest) => new URL(r.url).host;
const graphOk = (id: string) => jsonAnswer(200, { messaging_product: "whatsapp", contacts: [{ input: CUSTOMER, wa_id: "14155550142" }], messages: [{ id }] });
const twilioOk = (sid: string) => jsonAnswer(201, { sid, status: "queued" });
const graphRefusal = (code: number, details: string) => jsonAnswer(400, { error: { message: details, type: "OAuthException", code, error_data: { details } } });

async function fallbackEvents(conversationId: string) {
  await settle(conversationId);
  const { results } = await env.DB.prepare("SELECT payload FROM events WHERE conversation_id = ? AND type = 'delivery.fallback' ORDER BY sequence").bind(conversationId).all<{ payload: string }>();
  return results.map((r) => JSON.parse(r.payload).data);
}

describe("fallback across channels", () => {
  it("a permanent refusal on WhatsApp moves the recipient on to SMS, with the code in the ledger and a delivery.fallback event", async () => {
    const { key, conversationId } = await whatsAppThread();
    provider.answer = (r) => (host(r) === "graph.facebook.com" ? graphRefusal(131026, "Message undeliverable") : twilioOk("SM" + "1".repeat(32)));
    const sent = await send(key, conversationId, { body: "Your code is 1234", channels: ["whatsapp", "sms"] });
    expect(sent.delivery.recipients[0]).toMatchObject({ channels: ["whatsapp", "sms"], step: 0, channel: "whatsapp" });
    const d = await deliveryOf(key, conversationId, sent.id, (x) => x.recipients[0].status === "sent");
    expect(d.recipients[0]).toMatchObject({ step: 1, channel: "sms", address: CUSTOMER, provider_message_id: "SM" + "1".repeat(32) });
    expect(d.attempts.map((a: any) => [a.channel, a.outcome, a.error_code, a.moved_on])).toEqual([
      ["whatsapp", "failed", "131026", true],
      ["sms", "accepted", null, false],
    ]);
    expect(provider.requests.map(host)).toEqual(["graph.facebook.com", "api.twilio.com"]);
    const [event] = await fallbackEvents(conversationId);
    expect(event).toMatchObject({ message_id: sent.id, recipient: { channel: "sms", step: 1 }, attempt: { channel: "whatsapp", error_code: "131026" } });
  });

  it("a failed receipt after acceptance moves it on; without another channel the recipient ends failed", async () => {
    const { key, wa, conversationId } = await whatsAppThread();
    let n = 0;
    provider.answer = (r) => (host(r) === "graph.facebook.com" ? graphOk(`wamid.F${++n}`) : twilioOk("SM" + "2".repeat(32)));
    const sent = await send(key, conversationId, { body: "hello again", channels: ["whatsapp", "sms"] });
    await deliveryOf(key, conversationId, sent.id, (x) => x.recipients[0].status === "sent");
    await post(await whatsAppStatus(wa, { id: "wamid.F1", to: CUSTOMER, status: "failed", error: { code: 131026, title: "Message undeliverable", details: "no" } }));
    const d = await deliveryOf(key, conversationId, sent.id, (x) => x.recipients[0].step === 1 && x.recipients[0].status === "sent");
    expect(d.attempts.map((a: any) => [a.channel, a.outcome, a.moved_on])).toEqual([
      ["whatsapp", "accepted", false],
      ["whatsapp", "failed", true],
      ["sms", "accepted", false],
    ]);

    const alone = await send(key, conversationId, { body: "only WhatsApp", channels: ["whatsapp"] });
    await deliveryOf(key, conversationId, alone.id, (x) => x.recipients[0].status === "sent");
    await post(await whatsAppStatus(wa, { id: "wamid.F2", to: CUSTOMER, status: "failed", error: { code: 131026, title: "Message undeliverable", details: "no" } }));
    const failed = await deliveryOf(key, conversationId, alone.id, (x) => x.status === "failed");
    expect(failed.recipients[0]).toMatchObject({ status: "failed", error_code: "131026", step: 0 });
    // The history's filter finds it, and only it: the first message was delivered by SMS in the end.
    const only = (await call("GET", `/v1/conversations/${conversationId}/messages?delivery=failed`, { key })).json.data;
    expect(only.map((m: { id: string }) => m.id)).toEqual([alone.id]);
  }, 20_000);

  it("no delivered receipt within the channel's timeout moves it on; one that comes in time stays", async () => {
    const { key, wa, conversationId } = await whatsAppThread();
    expect((await call("PATCH", "/v1/settings", { key, body: { delivery_timeouts: { whatsapp: 1 } } })).status).toBe(200);
    let n = 0;
    provider.answer = (r) => (host(r) === "graph.facebook.com" ? graphOk(`wamid.T${++n}`) : twilioOk("SM" + "3".repeat(32)));
    const late = await send(key, conversationId, { body: "anyone?", channels: ["whatsapp", "sms"] });
    const d = await deliveryOf(key, conversationId, late.id, (x) => x.recipients[0].step === 1 && x.recipients[0].status === "sent", 15_000);
    expect(d.attempts.map((a: any) => [a.outcome, a.error_code])).toEqual([
      ["accepted", null],
      ["timed_out", "receipt_timeout"],
      ["accepted", null],
    ]);

    const prompt = await send(key, conversationId, { body: "quick one", channels: ["whatsapp", "sms"] });
    await deliveryOf(key, conversationId, prompt.id, (x) => x.recipients[0].status === "sent");
    await post(await whatsAppStatus(wa, { id: `wamid.T${n}`, to: CUSTOMER, status: "delivered" }));
    await sleep(2500);
    const kept = (await call("GET", `/v1/conversations/${conversationId}/messages/${prompt.id}`, { key })).json.delivery;
    expect(kept.recipients[0]).toMatchObject({ step: 0, channel: "whatsapp", status: "delivered" });
  }, 30_000);

  it("outside WhatsApp's 24-hour window: skipped to SMS without asking Meta, or sent as the configured template", async () => {
    const { key } = await allChannels();
    const conv = await newConversation(key, { participants: [{ kind: "customer", channel: "whatsapp", address: CUSTOMER }] });
    provider.answer = (r) => (host(r) === "graph.facebook.com" ? graphOk("wamid.TPL") : twilioOk("SM" + "4".repeat(32)));
    const cold = await send(key, conv.id, { body: "Your parcel is out for delivery", channels: ["whatsapp", "sms"] });
    const d = await deliveryOf(key, conv.id, cold.id, (x) => x.recipients[0].status === "sent");
    expect(d.attempts[0]).toMatchObject({ channel: "whatsapp", outcome: "skipped", error_code: "outside_window", moved_on: true });
    expect(provider.requests.map(host)).toEqual(["api.twilio.com"]);

    await call("PATCH", "/v1/settings", { key, body: { whatsapp_template: { name: "parcel_update", language: "en_US" } } });
    const templated = await send(key, conv.id, { body: "Your parcel is out for delivery", channels: ["whatsapp", "sms"] });
    const t = await deliveryOf(key, conv.id, templated.id, (x) => x.recipients[0].status === "sent");
    expect(t.recipients[0]).toMatchObject({ channel: "whatsapp", step: 0, provider_message_id: "wamid.TPL" });
    expect(JSON.parse(provider.requests.at(-1)!.body)).toMatchObject({ type: "template", template: { name: "parcel_update", language: { code: "en_US" } } });
  });

  it("a channel the recipient has no address on is skipped; their contact's address on it is used when there is one", async () => {
    const { key } = await allChannels();
    const contact = await call("POST", "/v1/contacts", { key, body: { addresses: [{ channel: "sms", address: "+14155550199" }, { channel: "email", address: "ria@example.com" }] } });
    expect(contact.status).toBe(201);
    const conv = await newConversation(key, {
      participants: [
        { kind: "customer", channel: "sms", address: "+14155550199" },
        { kind: "customer", channel: "sms", address: "+14155550198" },
      ],
    });
    provider.answer = (r) => (host(r) === "api.mailgun.net" ? jsonAnswer(200, { id: "<m1@mg.example.com>", message: "Queued." }) : twilioOk("SM" + "5".repeat(32)));
    const sent = await send(key, conv.id, { body: "Your invoice", channels: ["email", "sms"] });
    const d = await deliveryOf(key, conv.id, sent.id, (x) => x.recipients.every((r: any) => r.status === "sent"));
    const [ria, other] = d.recipients;
    expect(ria).toMatchObject({ channel: "email", address: "ria@example.com", step: 0 });
    expect(other).toMatchObject({ channel: "sms", address: "+14155550198", step: 1 });
    expect(d.attempts.find((a: any) => a.outcome === "skipped")).toMatchObject({ error_code: "no_address", moved_on: true });
  });

  it("a critical message ends with SMS even when its order does not name it; the account's fallback_order applies when the send names none", async () => {
    const { key, conversationId } = await whatsAppThread();
    provider.answer = (r) => (host(r) === "graph.facebook.com" ? graphRefusal(131026, "Message undeliverable") : twilioOk("SM" + "6".repeat(32)));
    const critical = await send(key, conversationId, { body: "Fraud alert", channels: ["whatsapp"], critical: true });
    expect(critical.delivery.recipients[0].channels).toEqual(["whatsapp", "sms"]);
    await deliveryOf(key, conversationId, critical.id, (x) => x.recipients[0].channel === "sms" && x.recipients[0].status === "sent");

    await call("PATCH", "/v1/settings", { key, body: { fallback_order: ["whatsapp", "sms"] } });
    const plain = await send(key, conversationId, { body: "by default" });
    expect(plain.delivery.recipients[0].channels).toEqual(["whatsapp", "sms"]);
    // Settled here, so its send does not reach the next test's provider.
    await deliveryOf(key, conversationId, plain.id, (x) => x.recipients[0].channel === "sms" && x.recipients[0].status === "sent");
  });

  it("an attempt whose outcome is unknown (the consumer stopped mid-send) is not sent again: it is waited out, then moves on", async () => {
    const { key, conversationId } = await whatsAppThread();
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    provider.answer = async (r) => {
      if (host(r) === "graph.facebook.com") {
        await hung;
        return graphOk("wamid.LATE");
      }
      return twilioOk("SM" + "7".repeat(32));
    };
    const sent = await send(key, conversationId, { body: "in doubt", channels: ["whatsapp", "sms"] });
    const stub = conversationStub(conversationId);
    // While the first consumer is inside the provider call, its claim is made to look abandoned.
    const inFlight = () => provider.requests.some((r) => host(r) === "graph.facebook.com" && r.body.includes("in doubt"));
    for (let i = 0; i < 200 && !inFlight(); i++) await sleep(20);
    const claims = await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE delivery_claims SET claimed_at = claimed_at - 120000");
      return state.storage.sql.exec("SELECT idx, participant_id FROM delivery_claims").toArray();
    });
    expect(claims).toEqual([{ idx: sent.index, participant_id: sent.delivery.recipients[0].participant_id }]);
    const account = (await env.DB.prepare("SELECT account_id FROM conversations WHERE id = ?").bind(conversationId).first<{ account_id: string }>())!.account_id;
    const again = await (stub as any).claimDelivery(account, sent.index, sent.delivery.recipients[0].participant_id, 0);
    expect(again.value).toEqual({ state: "in_doubt", channel: "whatsapp" });
    // Its wait over with no outcome recorded: on to SMS.
    const moved = await (stub as any).deliveryTimeout(account, sent.index, sent.delivery.recipients[0].participant_id, 0);
    expect(moved.value.delivery.recipients[0]).toMatchObject({ step: 1, channel: "sms" });
    release();
    const d = await deliveryOf(key, conversationId, sent.id, (x) => x.recipients[0].status === "sent");
    // The late answer for the step the recipient left changes nothing: the SMS is what counts.
    expect(d.recipients[0]).toMatchObject({ step: 1, channel: "sms", provider_message_id: "SM" + "7".repeat(32) });
    expect(provider.requests.filter((r) => host(r) === "graph.facebook.com" && r.body.includes("in doubt"))).toHaveLength(1);
  });

  it("STOP on SMS opts the number out (answered as carriers expect), later SMS are skipped; START opts back in", async () => {
    const { accountId, key } = await allChannels();
    const sms = async (sid: string, text: string) => {
      const form = new URLSearchParams({ MessageSid: sid, AccountSid: SECRETS.account_sid, From: "+14155550177", To: "+14155550100", Body: text, NumMedia: "0" });
      const channel = (await call("GET", "/v1/channels?type=sms", { key })).json.data[0];
      const signature = (await twilioSignature(SECRETS.auth_token, channel.inbound_url, form))!;
      return rawCall("POST", new URL(channel.inbound_url).pathname, { body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } });
    };
    const stop = await sms("SM" + "a1".repeat(16), "Stop");
    expect(stop.text).toContain("<Message>You have successfully been unsubscribed");
    const conversationId = (await threadOf(accountId, "sms", "+14155550177"))!;
    provider.answer = () => twilioOk("SM" + "8".repeat(32));
    const refused = await send(key, conversationId, { body: "20% off today" });
    const d = await deliveryOf(key, conversationId, refused.id, (x) => x.status === "failed");
    expect(d.recipients[0]).toMatchObject({ status: "failed", error_code: "opted_out" });
    expect(provider.requests).toHaveLength(0);

    const start = await sms("SM" + "b2".repeat(16), "START");
    expect(start.text).toContain("re-subscribed");
    const welcome = await send(key, conversationId, { body: "Welcome back" });
    await deliveryOf(key, conversationId, welcome.id, (x) => x.status === "sent");
    expect(provider.requests).toHaveLength(1);
    // The keywords are in the thread, for agents to see.
    expect((await call("GET", `/v1/conversations/${conversationId}/messages`, { key })).json.data.map((m: { body: string }) => m.body)).toEqual(["Stop", "20% off today", "START", "Welcome back"]);
  });

  it("a queue message delivered again after its send was recorded sends nothing twice", async () => {
    const { key, conversationId } = await whatsAppThread();
    provider.answer = (r) => (host(r) === "graph.facebook.com" ? graphOk("wamid.ONCE") : twilioOk("SM" + "9".repeat(32)));
    const sent = await send(key, conversationId, { body: "just once", channels: ["whatsapp"] });
    await deliveryOf(key, conversationId, sent.id, (x) => x.status === "sent");
    const account = (await env.DB.prepare("SELECT account_id FROM conversations WHERE id = ?").bind(conversationId).first<{ account_id: string }>())!.account_id;
    const job = { v: 1 as const, account_id: account, conversation_id: conversationId, message_id: sent.id, index: sent.index, participant_id: sent.delivery.recipients[0].participant_id, step: 0, kind: "send" as const };
    const batch = createMessageBatch("parley-delivery", [{ id: "again-1", timestamp: new Date(), attempts: 2, body: job }, { id: "again-2", timestamp: new Date(), attempts: 5, body: job }]);
    const ctx = createExecutionContext();
    await consumeDeliveries(batch as MessageBatch<typeof job>, env as never);
    await waitOnExecutionContext(ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["again-1", "again-2"]);
    expect(provider.requests.filter((r) => host(r) === "graph.facebook.com")).toHaveLength(1);
  });

  it("a recipient online in chat gets the grace to read it there: read in chat, it is not also sent by SMS; offline, it goes at once", async () => {
    const { key } = await allChannels();
    await call("PATCH", "/v1/settings", { key, body: { chat_grace_seconds: 2 } });
    const conv = await newConversation(key, {
      participants: [
        { kind: "customer", channel: "sms", address: "+14155550166", identity: "cust-166" },
        { kind: "agent", identity: "ada" },
      ],
    });
    provider.answer = () => twilioOk("SM" + "c".repeat(32));
    const socket = (await connectSocket(`/v1/conversations/${conv.id}/stream`, { token: await mint(key, "cust-166", conv.id) })).client!;
    await socket.next("ready");
    const seen = await send(key, conv.id, { author: "ada", body: "Are you there?" });
    socket.send({ type: "read", last_read_index: seen.index });
    const read = await deliveryOf(key, conv.id, seen.id, (x) => x.recipients[0].status === "read", 10_000);
    expect(read.attempts).toEqual([expect.objectContaining({ outcome: "read_in_chat", channel: "sms" })]);
    expect(provider.requests).toHaveLength(0);

    socket.close();
    await socket.closed;
    const away = await send(key, conv.id, { author: "ada", body: "I'll text you" });
    await deliveryOf(key, conv.id, away.id, (x) => x.recipients[0].status === "sent");
    expect(provider.requests).toHaveLength(1);
  }, 20_000);
});
