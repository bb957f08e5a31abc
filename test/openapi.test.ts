import { describe, expect, it } from "vitest";
import { rawCall } from "./helpers";

async function openapi() {
  const res = await rawCall("GET", "/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return res.json as {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }>; security?: unknown[]; parameters?: { name: string; in: string }[] }>>;
    components: { schemas: Record<string, { type?: string; properties?: Record<string, unknown>; required?: string[] }>; securitySchemes?: Record<string, unknown> };
  };
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the main paths and their methods", async () => {
    const doc = await openapi();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    const expected: Record<string, string[]> = {
      "/v1/conversations": ["get", "post"],
      "/v1/conversations/{conversation_id}": ["delete", "get", "patch"],
      "/v1/conversations/{conversation_id}/participants": ["get", "post"],
      "/v1/conversations/{conversation_id}/participants/{participant_id}": ["delete", "get"],
      "/v1/conversations/{conversation_id}/participants/{participant_id}/read": ["post"],
      "/v1/conversations/{conversation_id}/messages": ["get", "post"],
      "/v1/conversations/{conversation_id}/messages/{message_id}": ["get"],
      "/v1/accounts": ["post"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths, path).toHaveProperty([path]);
      for (const m of methods) expect(Object.keys(doc.paths[path]!), path).toContain(m);
    }
  });

  it("has component schemas for Conversation, Message, Participant and Problem", async () => {
    const doc = await openapi();
    const s = doc.components.schemas;
    for (const name of ["Conversation", "Message", "Participant", "Problem"]) expect(s, name).toHaveProperty([name]);
    expect(Object.keys(s.Conversation!.properties!)).toEqual(expect.arrayContaining(["id", "status", "message_count", "participant_count", "last_message", "created_at"]));
    expect(Object.keys(s.Message!.properties!)).toEqual(expect.arrayContaining(["id", "conversation_id", "index", "author", "author_kind", "body", "media", "channel", "attributes", "created_at", "delivery"]));
    expect(Object.keys(s.Participant!.properties!)).toEqual(expect.arrayContaining(["id", "kind", "channel", "address", "identity", "last_read_index", "unread_count"]));
    expect(Object.keys(s.Problem!.properties!)).toEqual(expect.arrayContaining(["type", "title", "status", "detail", "errors"]));
    expect(s.Problem!.required).toEqual(expect.arrayContaining(["type", "title", "status", "detail"]));
  });

  it("documents error responses as problem+json and the API key security", async () => {
    const doc = await openapi();
    const send = doc.paths["/v1/conversations/{conversation_id}/messages"]!.post!;
    expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(["201", "404", "409", "413", "422"]));
    expect(send.responses["404"]!.content).toHaveProperty(["application/problem+json"]);
    expect(JSON.stringify(send.responses["422"]!.content!["application/problem+json"]!.schema)).toContain("Problem");
    expect(JSON.stringify(send.responses["201"]!.content!["application/json"]!.schema)).toContain("Message");
    expect(send.security).toEqual([{ ApiKey: [] }]);
    expect(doc.components.securitySchemes).toHaveProperty(["ApiKey"]);
    // The Idempotency-Key header is documented on unsafe routes.
    const headers = (send.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name.toLowerCase());
    expect(headers).toContain("idempotency-key");
  });

  it("/docs is an HTML page that points at the document", async () => {
    const res = await rawCall("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.text.toLowerCase()).toContain("<html");
    expect(res.text).toContain("/openapi.json");
  });
});
