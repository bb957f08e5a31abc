import { afterEach, beforeEach, vi } from "vitest";
import { call, sleep } from "./helpers";

/** A provider request the Worker made (from its delivery consumer), as the provider received it. */
export type ProviderRequest = { url: string; method: string; headers: Headers; body: string };

/** The providers' default API hosts (a channel with no base_url calls these). */
const PROVIDER_HOSTS = new Set(["api.twilio.com", "graph.facebook.com", "api.mailgun.net"]);

/**
 * Intercepts the Worker's calls to the providers' APIs for each test of the file: the queue
 * consumer runs in the test's isolate, so the global fetch it calls is the one spied on here.
 * Requests are recorded and answered by `answer` (set per test); every other fetch passes through.
 */
export function interceptProviders() {
  const state = {
    requests: [] as ProviderRequest[],
    answer: (_r: ProviderRequest): Response | Promise<Response> => new Response("no fake answer", { status: 500 }),
  };
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    state.requests = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (!PROVIDER_HOSTS.has(new URL(request.url).host)) return realFetch(input, init);
      const r = { url: request.url, method: request.method, headers: request.headers, body: await request.text() };
      state.requests.push(r);
      return state.answer(r);
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return state;
}

export const jsonAnswer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Polls a message until its delivery matches `until`; throws with the last delivery seen. */
export async function deliveryOf(key: string, conversationId: string, messageId: string, until: (d: any) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = (await call("GET", `/v1/conversations/${conversationId}/messages/${messageId}`, { key })).json;
    if (until(m.delivery)) return m.delivery;
    if (Date.now() > deadline) throw new Error(`delivery did not get there: ${JSON.stringify(m.delivery)}`);
    await sleep(25);
  }
}
