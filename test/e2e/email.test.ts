// End to end: a mail posted to `wrangler dev`'s /cdn-cgi/local/email, which hands it to the
// Worker's email() handler as Email Routing would, lands in the sender's conversation.
import { describe, expect, it } from "vitest";
import { useLocalServer } from "./local";

const local = useLocalServer("email");
const api = local.api;

/** Posts a raw RFC 822 message with its SMTP envelope; the local route answers 200, or 400 with the reject reason. */
async function mail(from: string, to: string, raw: string) {
  const res = await fetch(`${local.url()}/cdn-cgi/local/email?${new URLSearchParams({ from, to })}`, { method: "POST", body: raw });
  return { status: res.status, text: await res.text() };
}

const raw = (id: string, body: string) =>
  [`From: "Pat Doe" <Pat@Example.com>`, "To: support@e2e.example.com", "Subject: Parcel", `Message-ID: <${id}@mail.example.net>`, "Content-Type: text/plain; charset=utf-8", "", body, ""].join("\r\n");

describe("inbound email through /cdn-cgi/local/email", () => {
  it("stores a mail once in the sender's conversation, and rejects an unknown recipient", async () => {
    const account = await api("POST", "/v1/accounts", { key: local.adminToken, body: { name: "email" } });
    const key = account.body.api_key.key as string;
    const channel = await api("POST", "/v1/channels", { key, body: { type: "email", provider: "cloudflare", sender: "support@e2e.example.com" } });
    expect(channel.status).toBe(201);

    const first = raw("e2e-1", "Where is my parcel?\r\n\r\nOn Mon, Support wrote:\r\n> It left today.");
    expect(await mail("pat@example.com", "support@e2e.example.com", first)).toEqual({ status: 200, text: "Worker successfully processed email" });
    expect((await mail("pat@example.com", "support@e2e.example.com", first)).status).toBe(200);
    const unknown = await mail("pat@example.com", "nobody@e2e.example.com", raw("e2e-2", "hello?"));
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("no such recipient");

    // The listing is projected into D1 asynchronously: ask until the conversation shows.
    let ids: string[] = [];
    for (const deadline = Date.now() + 5_000; ids.length === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      ids = ((await api("GET", "/v1/conversations?address=pat%40example.com", { key })).body.data as { id: string }[]).map((c) => c.id);
    }
    expect(ids).toHaveLength(1);
    const messages = (await api("GET", `/v1/conversations/${ids[0]}/messages`, { key })).body.data;
    expect(messages).toEqual([expect.objectContaining({ body: "Where is my parcel?", author: "pat@example.com", channel: "email" })]);
  });
});
