import { describe, expect, it } from "vitest";
import { call, newAccount } from "./helpers";

describe("CORS for browser clients", () => {
  it("answers a preflight without credentials, allowing the headers the API reads", async () => {
    const res = await call("OPTIONS", "/v1/conversations", {
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, idempotency-key" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
  });

  it("marks a browser's response readable and exposes idempotent-replayed; a server call carries no CORS headers", async () => {
    const { key } = await newAccount();
    const browser = await call("GET", "/v1/conversations", { key, headers: { origin: "https://app.example.com" } });
    expect(browser.status).toBe(200);
    expect(browser.headers.get("access-control-allow-origin")).toBe("*");
    expect(browser.headers.get("access-control-expose-headers")).toContain("idempotent-replayed");
    const server = await call("GET", "/v1/conversations", { key });
    expect(server.status).toBe(200);
    expect(server.headers.get("access-control-allow-origin")).toBeNull();
  });
});
