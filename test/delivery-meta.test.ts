import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mailgunInbound, messengerInbound, messengerReceipt, whatsAppInbound, whatsAppStatus, type SignedPost, type SimChannel } from "../sim/payloads";
import { bodies, connect, SECRETS, threadOf } from "./channel-fixtures";
import { addParticipant, call, newAccount, newConversation, rawCall, send } from "./helpers";
import { deliveryOf, interceptProviders, jsonAnswer } from "./provider-intercept";

// Delivery through Meta's Graph APIs and Mailgun, with each reply formatted as the channel shows
// it, and receipts posted back in the providers' own webhook formats (built and signed by the
// simulator's payload builders, which the simulator posts to a running Parley).

const provider = interceptProviders();
const PHONE_NUMBER_ID = "106540352242922";
const PAGE_ID = "1234567890123";
const CUSTOMER = "+14155550142";
const PSID = "5678901234";

async function post(signed: SignedPost) {
  const res = await rawCall("POST", new URL(signed.url).pathname, { body: signed.body, headers: signed.headers });
  expect(res.status, res.text).toBe(200);
}

/** A channel connected over HTTP, in the shape the simulator's payload builders take. */
async function simChannel(key: string, body: ReturnType<(typeof bodies)[keyof typeof bodies]>): Promise<SimChannel> {
  const channel = await connect(key, body);
  return { id: channel.id, type: channel.type, provider: channel.provider, sender: channel.sender, inbound_url: channel.inbound_url, credentials: (body as { credentials: Record<string, string> }).credentials };
}

describe("delivery through Meta and Mailgun", () => {
  it("WhatsApp: an agent's answer goes to the Cloud API with its emphasis kept; a failed status with 131026 fails the recipient", async () => {
    const { id: accountId, key } = await newAccount();
    const wa = await simChannel(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    await post(await whatsAppInbound(wa, CUSTOMER, "Has my order shipped?"));
    const conversationId = (await threadOf(accountId, "whatsapp", CUSTOMER))!;
    await addParticipant(key, conversationId, { kind: "agent", identity: "agent-ada" });
    provider.answer = () => jsonAnswer(200, { messaging_product: "whatsapp", contacts: [{ input: CUSTOMER, wa_id: "14155550142" }], messages: [{ id: "wamid.OUT1" }] });

    const sent = await send(key, conversationId, { author: "agent-ada", body: "It ships *today*: [track](https://example.com/t)" });
    expect(sent.channel).toBe("whatsapp");
    await deliveryOf(key, conversationId, sent.id, (d) => d.status === "sent");
    const [request] = provider.requests;
    expect(request!.url).toBe(`https://graph.facebook.com/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(request!.headers.get("authorization")).toBe(`Bearer ${SECRETS.access_token}`);
    expect(JSON.parse(request!.body)).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "14155550142",
      type: "text",
      text: { body: "It ships *today*: track: https://example.com/t", preview_url: true },
    });

    await post(await whatsAppStatus(wa, { id: "wamid.OUT1", to: CUSTOMER, status: "sent" }));
    await post(await whatsAppStatus(wa, { id: "wamid.OUT1", to: CUSTOMER, status: "failed", error: { code: 131026, title: "Message undeliverable", details: "not a WhatsApp user" } }));
    const delivery = await deliveryOf(key, conversationId, sent.id, (d) => d.status === "failed");
    expect(delivery.recipients[0]).toMatchObject({ status: "failed", error_code: "131026", provider_message_id: "wamid.OUT1" });
  });

  it("WhatsApp: an uploaded image (media_id) goes to the Cloud API by a freshly signed URL that serves its bytes, captioned with the body", async () => {
    const { id: accountId, key } = await newAccount();
    const wa = await simChannel(key, bodies.metaWhatsApp(PHONE_NUMBER_ID));
    await post(await whatsAppInbound(wa, CUSTOMER, "Can you show me?"));
    const conversationId = (await threadOf(accountId, "whatsapp", CUSTOMER))!;
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const worker = (exports as unknown as { default: Fetcher }).default;
    const uploaded = (await (await worker.fetch("http://parley.test/v1/media?filename=label.jpg", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "image/jpeg" }, body: bytes })).json()) as { id: string };
    provider.answer = () => jsonAnswer(200, { messaging_product: "whatsapp", contacts: [{ input: CUSTOMER, wa_id: "14155550142" }], messages: [{ id: "wamid.IMG1" }] });

    const sent = await send(key, conversationId, { body: "Here is the label", media: [{ media_id: uploaded.id }] });
    await deliveryOf(key, conversationId, sent.id, (d) => d.status === "sent");
    const body = JSON.parse(provider.requests[0]!.body);
    expect(body).toMatchObject({ type: "image", image: { caption: "Here is the label" } });
    const link = new URL(body.image.link);
    // Good for an hour from the send, not the week the stored URL has.
    expect(Number(link.searchParams.get("expires")) * 1000 - Date.now()).toBeLessThanOrEqual(3600_000 + 5_000);
    const served = await worker.fetch(`http://parley.test${link.pathname}${link.search}`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  it("Messenger: a RESPONSE within 24 hours of the person's message, HUMAN_AGENT otherwise; a read watermark marks what was sent before it", async () => {
    const { id: accountId, key } = await newAccount();
    const page = await simChannel(key, bodies.messenger(PAGE_ID));
    await post(await messengerInbound(page, PSID, "hi there"));
    const conversationId = (await threadOf(accountId, "messenger", PSID))!;
    let n = 0;
    provider.answer = () => jsonAnswer(200, { recipient_id: PSID, message_id: `m_OUT${++n}` });
    const reply = await send(key, conversationId, { body: "How can we help?" });
    await deliveryOf(key, conversationId, reply.id, (d) => d.status === "sent");
    expect(JSON.parse(provider.requests[0]!.body)).toEqual({ messaging_type: "RESPONSE", recipient: { id: PSID }, message: { text: "How can we help?" } });

    // Someone who never wrote (added by the API): only the human-agent tag may reach them.
    const cold = await newConversation(key, { participants: [{ kind: "customer", channel: "messenger", address: "99887766554" }] });
    const nudge = await send(key, cold.id, { body: "Following up on your case" });
    await deliveryOf(key, cold.id, nudge.id, (d) => d.status === "sent");
    expect(JSON.parse(provider.requests[1]!.body)).toMatchObject({ messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" });

    await post(await messengerReceipt(page, PSID, "read", [], Date.now() + 1000));
    const read = await deliveryOf(key, conversationId, reply.id, (d) => d.status === "read");
    expect(read.recipients[0]).toMatchObject({ status: "read", provider_message_id: "m_OUT1" });
  });

  it("email through Mailgun: a reply to the customer's mail is threaded under it (In-Reply-To, References, Re: subject)", async () => {
    const { id: accountId, key } = await newAccount();
    const mail = await simChannel(key, bodies.mailgun("support@mg.example.com"));
    const inbound = await mailgunInbound(mail, "pat@example.com", "My invoice is wrong", "Invoice 1042");
    await post(inbound);
    const messageId = new URLSearchParams(inbound.body).get("Message-Id")!.replace(/^<|>$/g, "");
    const conversationId = (await threadOf(accountId, "email", "pat@example.com"))!;
    provider.answer = () => jsonAnswer(200, { id: "<20261201.1@mg.example.com>", message: "Queued. Thank you." });

    const reply = await send(key, conversationId, { body: "Sorry about that: *fixed* now." });
    const delivery = await deliveryOf(key, conversationId, reply.id, (d) => d.status === "sent");
    expect(delivery.recipients[0]).toMatchObject({ channel: "email", provider_message_id: "20261201.1@mg.example.com" });
    const [request] = provider.requests;
    expect(request!.url).toBe("https://api.mailgun.net/v3/mg.example.com/messages");
    const form = new URLSearchParams(request!.body);
    expect(Object.fromEntries(form)).toMatchObject({
      from: "support@mg.example.com",
      to: "pat@example.com",
      text: "Sorry about that: fixed now.",
      "h:In-Reply-To": `<${messageId}>`,
      "h:References": `<${messageId}>`,
    });
    expect(form.get("subject")).toBe("Re: Invoice 1042");
  });

  it("email: a reply naming mail Parley sent (In-Reply-To) goes to the conversation that sent it, even after the person's thread moved on", async () => {
    const { id: accountId, key } = await newAccount();
    const mail = await simChannel(key, bodies.mailgun("support@mg.example.com"));
    await post(await mailgunInbound(mail, "sam@example.com", "first question", "Order 7"));
    const first = (await threadOf(accountId, "email", "sam@example.com"))!;
    provider.answer = () => jsonAnswer(200, { id: "<reply-1@mg.example.com>", message: "Queued. Thank you." });
    const reply = await send(key, first, { body: "Here is the answer" });
    await deliveryOf(key, first, reply.id, (d) => d.status === "sent");

    // Closed, then a fresh mail starts a second conversation; the first is reopened later.
    await call("PATCH", `/v1/conversations/${first}`, { key, body: { status: "closed" } });
    await post(await mailgunInbound(mail, "sam@example.com", "another matter", "Something else"));
    const second = (await threadOf(accountId, "email", "sam@example.com"))!;
    expect(second).not.toBe(first);
    await call("PATCH", `/v1/conversations/${first}`, { key, body: { status: "open" } });

    // Sam answers the first conversation's mail: it is threaded there, not in the person's latest thread.
    const answer = await mailgunInbound(mail, "sam@example.com", "thanks, that worked", "Re: Order 7");
    const form = new URLSearchParams(answer.body);
    const headers = JSON.parse(form.get("message-headers")!) as [string, string][];
    headers.push(["In-Reply-To", "<reply-1@mg.example.com>"]);
    form.set("message-headers", JSON.stringify(headers));
    form.set("In-Reply-To", "<reply-1@mg.example.com>");
    await post({ ...answer, body: form.toString() });
    const firstBodies = (await call("GET", `/v1/conversations/${first}/messages`, { key })).json.data.map((m: { body: string }) => m.body);
    expect(firstBodies).toEqual(["first question", "Here is the answer", "thanks, that worked"]);
    expect((await call("GET", `/v1/conversations/${second}`, { key })).json.message_count).toBe(1);
  });
});
