import { expect, it } from "vitest";
import type { Fetch, SendResult } from "../src/channels/outbound";

/** What the adapter sent, as the provider would see it. */
export interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/**
 * A fake provider: records every request and answers with `respond` (a throw is a network
 * failure). The adapters take it in place of the global fetch.
 */
export function fakeProvider(respond: (sent: Sent) => Response | Promise<Response>) {
  const requests: Sent[] = [];
  const fetch: Fetch = async (url, init) => {
    const sent = { url, method: init.method ?? "GET", headers: new Headers(init.headers), body: typeof init.body === "string" ? init.body : "" };
    requests.push(sent);
    return respond(sent);
  };
  return { fetch, requests };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

/**
 * The transport failures every adapter classifies alike: 5xx and 429 transient (429 with its
 * Retry-After, in seconds or as a date), a network failure and a timeout transient. `errorBody` is
 * the provider's own error document for the status.
 */
export function transportFailureTests(send: (fetch: Fetch) => Promise<SendResult>, errorBody: (status: number) => unknown) {
  it("a 5xx is transient, with Retry-After when given", async () => {
    for (const status of [500, 502, 503]) {
      const result = await send(fakeProvider(() => json(status, errorBody(status))).fetch);
      expect(result, `${status}`).toMatchObject({ ok: false, retry: "transient" });
      expect(result).not.toHaveProperty("retry_after_s");
    }
    const later = await send(fakeProvider(() => json(503, errorBody(503), { "Retry-After": "7" })).fetch);
    expect(later).toMatchObject({ ok: false, retry: "transient", retry_after_s: 7 });
  });

  it("a 429 is transient with retry_after_s from Retry-After (seconds or an HTTP date)", async () => {
    const seconds = await send(fakeProvider(() => json(429, errorBody(429), { "Retry-After": "30" })).fetch);
    expect(seconds).toMatchObject({ ok: false, retry: "transient", retry_after_s: 30 });
    const date = new Date(Date.now() + 120_000).toUTCString();
    const dated = await send(fakeProvider(() => json(429, errorBody(429), { "Retry-After": date })).fetch);
    expect(dated).toMatchObject({ ok: false, retry: "transient" });
    expect(dated.ok === false && dated.retry_after_s).toBeGreaterThanOrEqual(115);
  });

  it("a network failure and a timeout are transient; the timeout says the provider may have it", async () => {
    const network = await send(
      fakeProvider(() => {
        throw new TypeError("Network connection lost.");
      }).fetch,
    );
    expect(network).toEqual({ ok: false, retry: "transient", code: "network_error", reason: "Network connection lost." });
    const timeout = await send(
      fakeProvider(() => {
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      }).fetch,
    );
    expect(timeout).toMatchObject({ ok: false, retry: "transient", code: "timeout", reason: expect.stringContaining("may have accepted") });
  });

  it("a 2xx without a message id is not retried: it may have been sent", async () => {
    const result = await send(fakeProvider(() => json(200, {})).fetch);
    expect(result).toMatchObject({ ok: false, retry: "permanent", code: "bad_response" });
  });
}
