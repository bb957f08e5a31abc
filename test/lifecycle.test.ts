import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { twilioSignature } from "../src/channels/providers/twilio";
import { bodies, connect, SECRETS, threadOf } from "./channel-fixtures";
import { call, conversationStub, env, errorPaths, newAccount, newConversation, problemOf, rawCall, send, settle } from "./helpers";

// Conversation states and the lifecycle timers, fired by the object's one alarm. Time is moved by
// backdating the last activity in the object's own storage; the eviction makes the next alarm run
// every duty, as after any restart.

/** As if the last message were `ms` ago, then the alarm rings. */
async function idleFor(conversationId: string, ms: number) {
  const stub = conversationStub(conversationId);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE conversation SET last_activity_at = last_activity_at - ?", ms);
  });
  await evictDurableObject(stub);
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

async function conversationEvents(conversationId: string) {
  await settle(conversationId);
  const { results } = await env.DB.prepare("SELECT type, payload FROM events WHERE conversation_id = ? ORDER BY sequence").bind(conversationId).all<{ type: string; payload: string }>();
  return results.map((r) => ({ type: r.type, reason: (JSON.parse(r.payload) as { reason?: string }).reason }));
}

const MINUTE = 60_000;

describe("conversation lifecycle", () => {
  it("inactive_after makes an open conversation inactive by the alarm; the next message opens it again", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }], timers: { inactive_after: "PT30M" } });
    expect(conv.timers).toEqual({ inactive_after: "PT30M", closed_after: null });

    await idleFor(conv.id, 29 * MINUTE);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("open");
    await idleFor(conv.id, 2 * MINUTE);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("inactive");

    await send(key, conv.id, { author: "ada", body: "still there?" });
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("open");
    const events = await conversationEvents(conv.id);
    expect(events.filter((e) => e.type === "conversation.updated")).toEqual([
      { type: "conversation.updated", reason: "timer" },
      { type: "conversation.updated", reason: "api" },
    ]);
  });

  it("closed_after closes it (conversation.closed, reason timer); a closed conversation takes no message until reopened", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }] });
    const patched = await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { timers: { closed_after: "P1D" } } });
    expect(patched.json.timers).toEqual({ inactive_after: null, closed_after: "P1D" });
    await idleFor(conv.id, 25 * 60 * MINUTE);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("closed");
    const refused = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { author: "ada", body: "hello?" } });
    expect(problemOf(refused, 409).detail).toContain("closed");
    const joining = await call("POST", `/v1/conversations/${conv.id}/participants`, { key, body: { kind: "agent", identity: "bo" } });
    expect(problemOf(joining, 409).detail).toContain("closed");
    expect((await conversationEvents(conv.id)).slice(-2)).toEqual([
      { type: "conversation.updated", reason: "timer" },
      { type: "conversation.closed", reason: "timer" },
    ]);
    expect((await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "open" } })).json.status).toBe("open");
    await send(key, conv.id, { author: "ada", body: "back" });
  });

  it("a timer turned off (null) does not fire; a resolved conversation reopens when the customer writes, not when an agent does", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key, {
      participants: [{ kind: "agent", identity: "ada" }, { kind: "customer", identity: "cy" }],
      timers: { inactive_after: "PT5M" },
    });
    await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { timers: { inactive_after: null } } });
    await idleFor(conv.id, 10 * MINUTE);
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("open");

    await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "resolved" } });
    await send(key, conv.id, { author: "ada", body: "anything else?" });
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("resolved");
    await send(key, conv.id, { author: "cy", body: "one more thing" });
    expect((await call("GET", `/v1/conversations/${conv.id}`, { key })).json.status).toBe("open");
  });

  it("illegal moves and bad timers are 422s naming the field, and change nothing", async () => {
    const { key } = await newAccount();
    const conv = await newConversation(key);
    const inactive = await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "inactive", subject: "x" } });
    expect(errorPaths(problemOf(inactive, 422))).toEqual(["body.status"]);
    await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "closed" } });
    const resolve = await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { status: "resolved" } });
    expect(problemOf(resolve, 422).detail).toContain("closed");
    for (const bad of ["P1M", "PT10S", "1 day", "P400D"]) {
      const res = await call("PATCH", `/v1/conversations/${conv.id}`, { key, body: { timers: { inactive_after: bad } } });
      expect(errorPaths(problemOf(res, 422)), bad).toEqual(["body.timers.inactive_after"]);
    }
    const after = (await call("GET", `/v1/conversations/${conv.id}`, { key })).json;
    expect(after).toMatchObject({ status: "closed", subject: null, timers: { inactive_after: null, closed_after: null } });
  });

  it("account defaults (/v1/settings) are what a new conversation takes unless its create says otherwise, inbound ones included", async () => {
    const { id: accountId, key } = await newAccount();
    expect((await call("GET", "/v1/settings", { key })).json).toEqual({
      timers: { inactive_after: null, closed_after: null },
      pre_event_hook: null,
      fallback_order: null,
      delivery_timeouts: {},
      chat_grace_seconds: 60,
      whatsapp_template: null,
      retention: { messages: "P365D", conversations: "P365D", legal_hold: false },
      // AI is off until an account turns it on; its other defaults are the AI tests' concern.
      ai: expect.objectContaining({ enabled: false, engine: "offline" }),
      updated_at: null,
    });
    const bad = await call("PATCH", "/v1/settings", { key, body: { timers: { closed_after: "P1Y" } } });
    expect(errorPaths(problemOf(bad, 422))).toEqual(["body.timers.closed_after"]);
    const set = await call("PATCH", "/v1/settings", { key, body: { timers: { inactive_after: "PT2H", closed_after: "P7D" } } });
    expect(set.json.timers).toEqual({ inactive_after: "PT2H", closed_after: "P7D" });
    expect((await call("PATCH", "/v1/settings", { key, body: { timers: { closed_after: null } } })).json.timers).toEqual({ inactive_after: "PT2H", closed_after: null });

    expect((await newConversation(key)).timers).toEqual({ inactive_after: "PT2H", closed_after: null });
    expect((await newConversation(key, { timers: { inactive_after: null, closed_after: "P1D" } })).timers).toEqual({ inactive_after: null, closed_after: "P1D" });
    // Another account's defaults are its own.
    const other = await newAccount();
    expect((await newConversation(other.key)).timers).toEqual({ inactive_after: null, closed_after: null });

    // A conversation an inbound message starts takes them too.
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const form = new URLSearchParams({ MessageSid: "SM" + "9".repeat(32), AccountSid: SECRETS.account_sid, From: "+14155550177", To: "+14155550100", Body: "hi", NumMedia: "0" });
    const signature = (await twilioSignature(SECRETS.auth_token, channel.inbound_url, form))!;
    expect((await rawCall("POST", new URL(channel.inbound_url).pathname, { body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } })).status).toBe(200);
    const started = (await threadOf(accountId, "sms", "+14155550177"))!;
    expect((await call("GET", `/v1/conversations/${started}`, { key })).json.timers).toEqual({ inactive_after: "PT2H", closed_after: null });
  });

  it("a customer writing to a closed conversation starts a new one, linked to the old", async () => {
    const { id: accountId, key } = await newAccount();
    const channel = await connect(key, bodies.twilioSms("+14155550100"));
    const say = async (sid: string, text: string) => {
      const form = new URLSearchParams({ MessageSid: sid, AccountSid: SECRETS.account_sid, From: "+14155550188", To: "+14155550100", Body: text, NumMedia: "0" });
      const signature = (await twilioSignature(SECRETS.auth_token, channel.inbound_url, form))!;
      expect((await rawCall("POST", new URL(channel.inbound_url).pathname, { body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } })).status).toBe(200);
    };
    await say("SM" + "1".repeat(32), "first");
    const old = (await threadOf(accountId, "sms", "+14155550188"))!;
    await call("PATCH", `/v1/conversations/${old}`, { key, body: { status: "closed" } });
    await say("SM" + "2".repeat(32), "again");
    const fresh = (await threadOf(accountId, "sms", "+14155550188"))!;
    expect(fresh).not.toBe(old);
    const conv = (await call("GET", `/v1/conversations/${fresh}`, { key })).json;
    expect(conv).toMatchObject({ status: "open", message_count: 1, attributes: { previous_conversation_id: old } });
    expect((await call("GET", `/v1/conversations/${old}`, { key })).json).toMatchObject({ status: "closed", message_count: 1 });
  });
});
