import { describe, expect, it } from "vitest";
import { ADMIN, call, newAccount, newConversation, problemOf, rawCall } from "./helpers";

const CONV = "conv_01JD5V7J3E9Q8M2K4N6P0R1S2T";

describe("a method a known path does not take", () => {
  it("is a 405 problem whose Allow lists the path's methods", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const cases: [method: string, path: string, allow: string][] = [
      ["PUT", "/v1/conversations", "GET, POST"],
      ["DELETE", "/v1/conversations", "GET, POST"],
      ["DELETE", `/v1/conversations/${c.id}/messages`, "GET, POST"],
      ["PUT", `/v1/conversations/${c.id}`, "GET, PATCH, DELETE"],
      ["POST", `/v1/conversations/${c.id}`, "GET, PATCH, DELETE"],
      ["PATCH", `/v1/conversations/${c.id}/messages/msg_01JD5V7J3E9Q8M2K4N6P0R1S2T`, "GET, DELETE"],
      ["GET", `/v1/conversations/${c.id}/participants/part_01JD5V7J3E9Q8M2K4N6P0R1S2T/read`, "POST"],
      ["GET", "/v1/tokens", "POST"],
      ["POST", "/health", "GET"],
      // A trailing slash is the same path.
      ["PUT", "/v1/conversations/", "GET, POST"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(method, path, { key, body: method === "GET" || method === "DELETE" ? undefined : {} });
      const p = problemOf(res, 405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(p.title).toBe("Method not allowed");
      expect(p.detail).toContain(method);
    }
    // Nothing happened to the conversation that was asked the wrong way.
    expect((await call("GET", `/v1/conversations/${c.id}`, { key })).status).toBe(200);
  });

  it("is answered after authentication, like any other request to the path", async () => {
    problemOf(await call("PUT", "/v1/conversations", { body: {} }), 401);
    const res = await call("DELETE", "/v1/accounts", { key: ADMIN });
    problemOf(res, 405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("follows the routes: every documented path answers 405 to an undocumented method, with exactly its methods", async () => {
    const { key } = await newAccount();
    const doc = (await rawCall("GET", "/openapi.json")).json as { paths: Record<string, Record<string, unknown>> };
    const order = ["get", "post", "put", "patch", "delete"];
    for (const [template, operations] of Object.entries(doc.paths)) {
      const path = template.replace(/\{[^}]+\}/g, (name) => (name === "{conversation_id}" ? CONV : "x1"));
      const documented = order.filter((m) => m in operations);
      const missing = order.find((m) => !(m in operations))!;
      const res = await call(missing.toUpperCase(), path, { key: path.startsWith("/v1/accounts") ? ADMIN : key, body: missing === "get" ? undefined : {} });
      expect(res.status, `${missing} ${template}`).toBe(405);
      expect(res.headers.get("allow"), template).toBe(documented.map((m) => m.toUpperCase()).join(", "));
    }
  });
});

describe("an unknown path", () => {
  it("stays a 404, whatever the method", async () => {
    const { key } = await newAccount();
    for (const [method, path] of [
      ["GET", "/v1/nope"],
      ["PUT", "/v1/nope"],
      ["DELETE", `/v1/conversations/${CONV}/nothing-here`],
      ["PUT", "/v1/conversations/a/b/c/d/e"],
      ["GET", "/v1"],
    ] as const) {
      const res = await call(method, path, { key, body: method === "PUT" ? {} : undefined });
      expect(problemOf(res, 404).detail).toContain(path);
      expect(res.headers.get("allow")).toBeNull();
    }
  });
});
