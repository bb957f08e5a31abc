import { describe, expect, it } from "vitest";
import { resolveContact } from "../src/db/queries/contact-addresses";
import { call, d1Number, env, errorPaths, newAccount, problemOf } from "./helpers";

const PHONE = "+14155550100";

async function newContact(key: string, body: Record<string, unknown>) {
  const res = await call("POST", "/v1/contacts", { key, body });
  if (res.status !== 201) throw new Error(`contact creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

const rowsOf = (accountId: string) =>
  Promise.all([
    d1Number("SELECT count(*) AS n FROM contacts WHERE account_id = ?", accountId),
    d1Number("SELECT count(*) AS n FROM contact_addresses WHERE account_id = ?", accountId),
  ]);

describe("contacts", () => {
  it("creates, gets, updates and deletes a contact", async () => {
    const { key } = await newAccount();
    const created = await call("POST", "/v1/contacts", {
      key,
      body: { name: "Pat", addresses: [{ channel: "sms", address: PHONE }, { channel: "email", address: "pat@example.com" }], attributes: { crm_id: "A-1" } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: "Pat",
      addresses: [{ channel: "sms", address: PHONE }, { channel: "email", address: "pat@example.com" }],
      attributes: { crm_id: "A-1" },
    });
    const id: string = created.json.id;
    expect(id).toMatch(/^cont_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect((await call("GET", `/v1/contacts/${id}`, { key })).json).toEqual(created.json);

    const patched = await call("PATCH", `/v1/contacts/${id}`, {
      key,
      body: { name: null, attributes: { tier: "gold" }, add_addresses: [{ channel: "whatsapp", address: PHONE }], remove_addresses: [{ channel: "sms", address: PHONE }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      id,
      name: null,
      attributes: { tier: "gold" },
      addresses: [{ channel: "email", address: "pat@example.com" }, { channel: "whatsapp", address: PHONE }],
    });
    // An address the contact already has is kept as it is; one it does not have is ignored on removal.
    const again = await call("PATCH", `/v1/contacts/${id}`, {
      key,
      body: { add_addresses: [{ channel: "whatsapp", address: PHONE }], remove_addresses: [{ channel: "messenger", address: "123456" }] },
    });
    expect(again.json.addresses).toEqual(patched.json.addresses);

    const kept = await call("PATCH", `/v1/contacts/${id}`, { key, body: { remove_addresses: again.json.addresses } });
    expect(errorPaths(problemOf(kept, 422))).toEqual(["body.remove_addresses"]);

    expect((await call("DELETE", `/v1/contacts/${id}`, { key })).status).toBe(204);
    problemOf(await call("GET", `/v1/contacts/${id}`, { key }), 404);
    problemOf(await call("DELETE", `/v1/contacts/${id}`, { key }), 404);
    // Its addresses are free again.
    await newContact(key, { addresses: [{ channel: "email", address: "pat@example.com" }] });
  });

  it("stores addresses in their normal form and refuses malformed ones, naming the field", async () => {
    const { key } = await newAccount();
    const c = await newContact(key, { addresses: [{ channel: "email", address: "Pat@Example.com" }] });
    expect(c.addresses).toEqual([{ channel: "email", address: "pat@example.com" }]);
    const found = await call("GET", "/v1/contacts?address=PAT@example.COM", { key });
    expect(found.json.data.map((x: { id: string }) => x.id)).toEqual([c.id]);

    const bad = await call("POST", "/v1/contacts", { key, body: { addresses: [{ channel: "sms", address: PHONE }, { channel: "sms", address: "(415) 555-0100" }] } });
    const p = problemOf(bad, 422);
    expect(errorPaths(p)).toEqual(["body.addresses[1].address"]);
    expect(p.detail).toContain("E.164");
    const twice = await call("POST", "/v1/contacts", { key, body: { addresses: [{ channel: "email", address: "a@b.co" }, { channel: "email", address: "A@b.co" }] } });
    expect(errorPaths(problemOf(twice, 422))).toEqual(["body.addresses[1].address"]);
    const chat = await call("POST", "/v1/contacts", { key, body: { addresses: [{ channel: "chat", address: "ada" }] } });
    expect(errorPaths(problemOf(chat, 422))).toEqual(["body.addresses[0].channel"]);
    problemOf(await call("POST", "/v1/contacts", { key, body: { addresses: [] } }), 422);
  });

  it("answers 409 naming the address another contact holds, and creates or changes nothing", async () => {
    const { id: account, key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const before = await rowsOf(account);

    const dup = await call("POST", "/v1/contacts", { key, body: { name: "Sam", addresses: [{ channel: "email", address: "sam@example.com" }, { channel: "sms", address: PHONE }] } });
    const p = problemOf(dup, 409);
    expect(errorPaths(p)).toEqual(["body.addresses[1].address"]);
    expect(await rowsOf(account)).toEqual(before);
    // The email was not left behind: another contact can take it.
    const sam = await newContact(key, { addresses: [{ channel: "email", address: "sam@example.com" }] });

    const steal = await call("PATCH", `/v1/contacts/${sam.id}`, { key, body: { name: "Sam", add_addresses: [{ channel: "sms", address: PHONE }] } });
    expect(errorPaths(problemOf(steal, 409))).toEqual(["body.add_addresses[0].address"]);
    expect((await call("GET", `/v1/contacts/${sam.id}`, { key })).json).toEqual(sam);
    expect((await call("GET", `/v1/contacts/${pat.id}`, { key })).json).toEqual(pat);

    // The same address in another account is another person.
    await newContact((await newAccount()).key, { addresses: [{ channel: "sms", address: PHONE }] });
  });

  it("lists newest first with cursors, filtered by address and channel", async () => {
    const { key } = await newAccount();
    const a = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const b = await newContact(key, { addresses: [{ channel: "email", address: "b@example.com" }] });
    const c = await newContact(key, { addresses: [{ channel: "whatsapp", address: PHONE }, { channel: "email", address: "c@example.com" }] });

    const first = await call("GET", "/v1/contacts?limit=2", { key });
    expect(first.json.data.map((x: { id: string }) => x.id)).toEqual([c.id, b.id]);
    const second = await call("GET", `/v1/contacts?limit=2&cursor=${first.json.next_cursor}`, { key });
    expect(second.json).toEqual({ data: [a], next_cursor: null });

    const ids = async (query: string) => (await call("GET", `/v1/contacts?${query}`, { key })).json.data.map((x: { id: string }) => x.id);
    expect(await ids(`address=${encodeURIComponent(PHONE)}`)).toEqual([c.id, a.id]);
    expect(await ids(`address=${encodeURIComponent(PHONE)}&channel=sms`)).toEqual([a.id]);
    expect(await ids("channel=email")).toEqual([c.id, b.id]);
    expect(await ids("address=nobody%40example.com")).toEqual([]);
    problemOf(await call("GET", "/v1/contacts?cursor=nonsense", { key }), 400);
    problemOf(await call("GET", "/v1/contacts?channel=chat", { key }), 400);
  });

  it("merges: addresses move to the target, the merged id answers 404 naming the survivor", async () => {
    const { key } = await newAccount();
    const target = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const from = await newContact(key, { name: "Pat", addresses: [{ channel: "email", address: "pat@example.com" }, { channel: "messenger", address: "24681357" }] });

    const merged = await call("POST", `/v1/contacts/${target.id}/merge`, { key, body: { from: from.id } });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ id: target.id, name: "Pat", addresses: [...target.addresses, ...from.addresses] });

    const gone = problemOf(await call("GET", `/v1/contacts/${from.id}`, { key }), 404);
    expect(gone.detail).toBe(`contact ${from.id} was merged into ${target.id}`);
    problemOf(await call("PATCH", `/v1/contacts/${from.id}`, { key, body: { name: "x" } }), 404);
    const listed = (await call("GET", "/v1/contacts", { key })).json.data.map((x: { id: string }) => x.id);
    expect(listed).toEqual([target.id]);
    const twice = await call("POST", `/v1/contacts/${target.id}/merge`, { key, body: { from: from.id } });
    expect(errorPaths(problemOf(twice, 404))).toEqual(["body.from"]);
    expect(errorPaths(problemOf(await call("POST", `/v1/contacts/${target.id}/merge`, { key, body: { from: target.id } }), 422))).toEqual(["body.from"]);

    // Merged again, the first merged id names the last survivor.
    const last = await newContact(key, { addresses: [{ channel: "email", address: "last@example.com" }] });
    await call("POST", `/v1/contacts/${last.id}/merge`, { key, body: { from: target.id } });
    expect(problemOf(await call("GET", `/v1/contacts/${from.id}`, { key }), 404).detail).toContain(`merged into ${last.id}`);
    // Deleting the survivor deletes what was merged into it.
    await call("DELETE", `/v1/contacts/${last.id}`, { key });
    expect(await d1Number("SELECT count(*) AS n FROM contacts WHERE id IN (?, ?, ?)", from.id, target.id, last.id)).toBe(0);
  });

  it("answers 404 for another account's contact, and for unknown or malformed ids", async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const c = await newContact(owner.key, { addresses: [{ channel: "sms", address: PHONE }] });
    const mine = await newContact(other.key, { addresses: [{ channel: "email", address: "x@example.com" }] });
    for (const id of [c.id, "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T", "nonsense"]) {
      problemOf(await call("GET", `/v1/contacts/${id}`, { key: other.key }), 404);
      problemOf(await call("PATCH", `/v1/contacts/${id}`, { key: other.key, body: { name: "x" } }), 404);
      problemOf(await call("DELETE", `/v1/contacts/${id}`, { key: other.key }), 404);
      problemOf(await call("POST", `/v1/contacts/${id}/merge`, { key: other.key, body: { from: mine.id } }), 404);
    }
    const foreignFrom = await call("POST", `/v1/contacts/${mine.id}/merge`, { key: other.key, body: { from: c.id } });
    expect(errorPaths(problemOf(foreignFrom, 404))).toEqual(["body.from"]);
    expect((await call("GET", `/v1/contacts/${c.id}`, { key: owner.key })).json).toEqual(c);
    problemOf(await call("GET", "/v1/contacts"), 401);
  });
});

describe("resolveContact", () => {
  it("finds the contact owning an address in any spelling, and creates one for a new address", async () => {
    const { id: account, key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "email", address: "pat@example.com" }] });
    expect(await resolveContact(env.DB, account, "email", "Pat@Example.com", "Someone")).toEqual({ contactId: pat.id, created: false });

    const fresh = await resolveContact(env.DB, account, "whatsapp", PHONE, "  Sam  ");
    expect(fresh.created).toBe(true);
    expect((await call("GET", `/v1/contacts/${fresh.contactId}`, { key })).json).toMatchObject({ name: "Sam", addresses: [{ channel: "whatsapp", address: PHONE }] });
    expect(await resolveContact(env.DB, account, "whatsapp", PHONE)).toEqual({ contactId: fresh.contactId, created: false });
    // The same number on another phone channel is the same person: it joins that contact.
    expect(await resolveContact(env.DB, account, "sms", PHONE)).toEqual({ contactId: fresh.contactId, created: false });
    expect((await call("GET", `/v1/contacts/${fresh.contactId}`, { key })).json.addresses).toEqual([
      { channel: "whatsapp", address: PHONE },
      { channel: "sms", address: PHONE },
    ]);
    // A Messenger id or an email address is not a number: those stay their own.
    expect((await resolveContact(env.DB, account, "email", "sam@example.com")).created).toBe(true);
    await expect(resolveContact(env.DB, account, "sms", "not a phone")).rejects.toThrow(/E\.164/);
  });

  it("gives one contact, and no orphan, to concurrent resolves of a new address", async () => {
    const { id: account } = await newAccount();
    const results = await Promise.all(Array.from({ length: 5 }, () => resolveContact(env.DB, account, "sms", PHONE)));
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await rowsOf(account)).toEqual([1, 1]);
  });
});
