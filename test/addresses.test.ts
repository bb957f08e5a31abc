import { describe, expect, it } from "vitest";
import { addParticipant, call, errorPaths, newAccount, newConversation, problemOf, send } from "./helpers";

const participants = (c: { id: string }) => `/v1/conversations/${c.id}/participants`;

describe("addresses are stored in one normal form", () => {
  it("an email participant added as Cust@Example.com is stored lowercased and can author as Cust@Example.com", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const added = await addParticipant(key, c.id, { kind: "customer", channel: "email", address: "Cust@Example.com" });
    expect(added).toMatchObject({ channel: "email", address: "cust@example.com" });
    const stored = await call("GET", `${participants(c)}/${added.id}`, { key });
    expect(stored.json.address).toBe("cust@example.com");

    const message = await send(key, c.id, { author: "Cust@Example.com", body: "Where is my parcel?" });
    expect(message).toMatchObject({ author: "cust@example.com", participant_id: added.id });
  });

  it("a phone participant is given in E.164; an author may name it formatted", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const formatted = problemOf(await call("POST", participants(c), { key, body: { kind: "customer", channel: "sms", address: "+1 (415) 555-0100" } }), 422);
    expect(errorPaths(formatted)).toEqual(["body.address"]);
    const added = await addParticipant(key, c.id, { kind: "customer", channel: "sms", address: "+14155550100" });
    const message = await send(key, c.id, { author: "+1 415 555 0100", body: "hello" });
    expect(message).toMatchObject({ author: "+14155550100", participant_id: added.id });
  });

  it("normalises addresses given when the conversation is created", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key, {
      participants: [
        { kind: "customer", channel: "whatsapp", address: "+447700900123" },
        { kind: "customer", channel: "email", address: "Pat@Example.com" },
      ],
    });
    expect(c.participants.map((p: { address: string }) => p.address)).toEqual(["+447700900123", "pat@example.com"]);
  });

  it("adding CUST@example.com after cust@example.com is a 409 naming body.address", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    await addParticipant(key, c.id, { kind: "customer", channel: "email", address: "cust@example.com" });
    const p = problemOf(await call("POST", participants(c), { key, body: { kind: "customer", channel: "email", address: "CUST@example.com" } }), 409);
    expect(errorPaths(p)).toContain("body.address");
    expect((await call("GET", participants(c), { key })).json.data).toHaveLength(1);
  });

  it("keeps the error wording and paths for addresses that do not fit", async () => {
    const { key } = await newAccount();
    const c = await newConversation(key);
    const one = problemOf(await call("POST", participants(c), { key, body: { kind: "customer", channel: "sms", address: "4155550100" } }), 422);
    expect(one.errors).toContainEqual({ path: "body.address", message: "address must be an E.164 phone number such as +14155550100 on channel sms" });
    const create = problemOf(
      await call("POST", "/v1/conversations", { key, body: { participants: [{ kind: "customer", channel: "email", address: "not-an-email" }] } }),
      422,
    );
    expect(create.errors).toContainEqual({ path: "body.participants[0].address", message: "address must be an email address on channel email" });
  });
});
