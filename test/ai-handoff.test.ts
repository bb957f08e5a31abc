import { describe, expect, it } from "vitest";
import { asksForHuman, escalationReasons, keywordIn } from "../src/ai/escalation";
import { detectLanguage } from "../src/ai/language";
import { isNegative, sentimentScore } from "../src/ai/sentiment";
import { DEFAULT_AI } from "../src/ai/settings";
import { matchTopic } from "../src/ai/topic";
import { call, env } from "./helpers";
import { aiAccount, customerConversation, customerSays, draftFor, handoffOf, waitFor } from "./fixtures/ai/setup";

describe("escalation rules", () => {
  it("hears a request for a person, in several phrasings and languages, and not in ordinary questions", () => {
    for (const t of ["I want to talk to a human", "can i speak with someone please", "REAL PERSON!!", "agent", "Put me through to a manager", "Quiero hablar con una persona", "je veux parler à un conseiller", "Ich möchte mit einem Menschen sprechen"]) expect(asksForHuman(t), t).toBe(true);
    for (const t of ["How do I track my parcel?", "Is a human-readable invoice available?", "my agent code does not work"]) expect(asksForHuman(t), t).toBe(false);
  });

  it("matches keywords as whole words in any case, and scores sentiment with negation", () => {
    expect(keywordIn("I want a REFUND now", ["refund"])).toBe(true);
    expect(keywordIn("refunded already, thanks", ["refund"])).toBe(false);
    expect(keywordIn("this needs legal   action", ["legal action"])).toBe(true);
    expect(sentimentScore("I am happy")).toBeGreaterThan(0);
    expect(sentimentScore("I am not happy")).toBeLessThan(0);
    expect(isNegative("This is terrible, the worst service ever, I am furious")).toBe(true);
    expect(isNegative("My parcel is late, where is it?")).toBe(false);
    expect(escalationReasons("This is awful, terrible service, and I want to talk to a human about a refund", DEFAULT_AI.escalation)).toEqual(["human_requested", "keyword", "negative_sentiment"]);
    expect(escalationReasons("This is awful and I want to talk to a human", { ...DEFAULT_AI.escalation, human_request: false, negative_sentiment: false })).toEqual([]);
  });

  it("detects the customer's language offline", () => {
    expect(detectLanguage("Where is my parcel? It should have arrived yesterday.")).toBe("en");
    expect(detectLanguage("Hola, ¿dónde está mi paquete? Lo pedí la semana pasada y todavía no ha llegado a mi casa.")).toBe("es");
    expect(detectLanguage("Où est mon colis ? Il aurait dû arriver hier.")).toBe("fr");
    expect(detectLanguage("Wo ist mein Paket? Es hätte gestern ankommen sollen.")).toBe("de");
    expect(detectLanguage("ok")).toBeNull();
  });
});

describe("handoff", () => {
  it("asks routing for an agent with the knowledge base's topic and the customer's language", async () => {
    const account = await aiAccount();
    expect(await matchTopic(env.DB, account.id, "How long is the warranty?")).toMatchObject({ topic: "products" });
    expect(await matchTopic(env.DB, account.id, "What's the weather like in Berlin?")).toBeNull();
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "The warranty claim went nowhere, I want to talk to a human about my broken kettle");
    await draftFor(account.key, conv.id, m.index);
    expect(await handoffOf(account.key, conv.id)).toMatchObject({ state: "handoff_pending", reasons: ["human_requested"], topic: "products", language: "en" });
    const queued = await waitFor("the routing queue", async () => (await call("GET", "/v1/routing/queue", { key: account.key })).json.data as any[], (q) => q.some((r) => r.conversation_id === conv.id));
    expect(queued.find((r) => r.conversation_id === conv.id)).toMatchObject({ status: "queued", topics: ["products"], language: "en" });
  }, 60_000);

  it("POST …/handoff/request hands off once; accept refuses a customer's identity; a foreign conversation is a 404", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    const first = await call("POST", `/v1/conversations/${conv.id}/handoff/request`, { key: account.key, body: {} });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ state: "handoff_pending", reasons: ["api"] });
    expect((await call("POST", `/v1/conversations/${conv.id}/handoff/request`, { key: account.key, body: {} })).status).toBe(200);
    const refused = await call("POST", `/v1/conversations/${conv.id}/handoff/accept`, { key: account.key, body: { agent: "cust" } });
    expect(refused.status).toBe(409);
    expect(refused.json.errors[0].path).toBe("body.agent");
    expect((await handoffOf(account.key, conv.id)).state).toBe("handoff_pending");
    const other = await aiAccount({}, "other");
    expect((await call("GET", `/v1/conversations/${conv.id}/handoff`, { key: other.key })).status).toBe(404);
    expect((await call("POST", `/v1/conversations/${conv.id}/handoff/accept`, { key: other.key, body: { agent: "ada" } })).status).toBe(404);
    expect((await call("PATCH", `/v1/conversations/${conv.id}/handoff`, { key: account.key, body: { ai_enabled: "yes" } })).status).toBe(422);
  }, 60_000);
});
