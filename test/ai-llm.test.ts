import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call, env } from "./helpers";
import { aiAccount, customerConversation, customerSays, draftFor } from "./fixtures/ai/setup";

/**
 * The LLM engine against a fake OpenAI-compatible server: the Worker's fetch to its host is
 * intercepted in this isolate (the DRAFTS consumer runs here), as test/provider-intercept.ts does
 * for providers. Its answers, its failures and its silence (the timeout) are set per test.
 */
const LLM_HOST = "llm.test";
type LlmRequest = { url: string; headers: Headers; body: any };

function fakeLlm() {
  const state = {
    requests: [] as LlmRequest[],
    answer: (_r: LlmRequest, _signal: AbortSignal | undefined): Response | Promise<Response> => new Response("no answer set", { status: 500 }),
  };
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    state.requests = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).host !== LLM_HOST) return realFetch(input, init);
      const r = { url: request.url, headers: request.headers, body: await request.json() };
      state.requests.push(r);
      return state.answer(r, init?.signal ?? undefined);
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return state;
}

const completion = (content: string) => Response.json({ id: "chatcmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] });

/** Never answers; rejects when the caller gives up, as a real connection does. */
const hang = (signal: AbortSignal | undefined) => new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));

const openai = (timeout_ms = 2000) => ({ engine: "openai", openai: { base_url: `https://${LLM_HOST}/v1`, model: "gpt-test", api_key: "sk-llm-secret", timeout_ms } });

describe("the LLM engine", () => {
  const llm = fakeLlm();

  it("is prompted with the retrieved passages and the history, and its answer is the draft; the key is sealed and never returned", async () => {
    const account = await aiAccount(openai());
    const settings = (await call("GET", "/v1/settings", { key: account.key })).json;
    expect(settings.ai.openai).toEqual({ base_url: `https://${LLM_HOST}/v1`, model: "gpt-test", timeout_ms: 2000, api_key_set: true });
    expect(JSON.stringify(settings)).not.toContain("sk-llm-secret");
    const row = await env.DB.prepare("SELECT settings FROM account_settings WHERE account_id = ?").bind(account.id).first<{ settings: string }>();
    expect(row!.settings).toContain("ciphertext");
    expect(row!.settings).not.toContain("sk-llm-secret");
    llm.answer = () => completion("Standard shipping takes 3 to 5 business days. Order before 2 pm and it leaves today!");
    const conv = await customerConversation(account.key);
    await customerSays(account.key, conv.id, "Hello there");
    const m = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    const d = await draftFor(account.key, conv.id, m.index, (x) => x.message_index === m.index);
    expect(d).toMatchObject({ engine: "openai", fallback: null, status: "sent", body: "Standard shipping takes 3 to 5 business days. Order before 2 pm and it leaves today!" });
    const req = llm.requests.find((r) => r.body.messages.at(-1).content === "How long does standard shipping take?")!;
    expect(req.url).toBe(`https://${LLM_HOST}/v1/chat/completions`);
    expect(req.headers.get("authorization")).toBe("Bearer sk-llm-secret");
    expect(req.body.model).toBe("gpt-test");
    expect(req.body.messages[0].role).toBe("system");
    expect(req.body.messages[0].content).toContain("3 to 5 business days");
    expect(req.body.messages.map((x: any) => x.role)).toEqual(["system", "user", "user"]);
  }, 60_000);

  it("a model that says it cannot answer makes a zero-confidence draft that is not sent", async () => {
    const account = await aiAccount(openai());
    llm.answer = () => completion("NO_ANSWER");
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    const d = await draftFor(account.key, conv.id, m.index);
    expect(d).toMatchObject({ engine: "openai", body: null, confidence: 0, status: "discarded" });
  }, 60_000);

  it("falls back to the offline engine when the endpoint does not answer in time", async () => {
    const account = await aiAccount(openai(300));
    llm.answer = (_r, signal) => hang(signal);
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "How long does standard shipping take?");
    const d = await draftFor(account.key, conv.id, m.index);
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(d).toMatchObject({ engine: "offline", fallback: "timeout", status: "sent" });
    expect(d.body).toContain("3 to 5 business days");
  }, 60_000);

  it("falls back to the offline engine when the endpoint fails", async () => {
    const account = await aiAccount(openai());
    llm.answer = () => Response.json({ error: { message: "overloaded" } }, { status: 503 });
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "the tracking code shows nothing");
    const d = await draftFor(account.key, conv.id, m.index);
    expect(d).toMatchObject({ engine: "offline", fallback: "error: the endpoint answered 503", status: "pending" });
  }, 60_000);

  it("refuses settings that cannot work, naming the field, and changes nothing", async () => {
    const account = await aiAccount();
    const r1 = await call("PATCH", "/v1/settings", { key: account.key, body: { ai: { thresholds: { review: 0.9 } } } });
    expect(r1.status).toBe(422);
    expect(r1.json.errors[0].path).toBe("body.ai.thresholds.review");
    const r2 = await call("PATCH", "/v1/settings", { key: account.key, body: { ai: { engine: "openai" } } });
    expect(r2.status).toBe(422);
    expect(r2.json.errors[0].path).toBe("body.ai.engine");
    const r3 = await call("PATCH", "/v1/settings", { key: account.key, body: { ai: { thresholds: { auto_send: 1.5 } } } });
    expect(r3.status).toBe(422);
    expect(r3.json.errors[0].path).toBe("body.ai.thresholds.auto_send");
    const after = (await call("GET", "/v1/settings", { key: account.key })).json.ai;
    expect(after).toMatchObject({ engine: "offline", thresholds: { auto_send: 0.8, review: 0.45 } });
  }, 60_000);
});
