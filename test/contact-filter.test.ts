import { describe, expect, it } from "vitest";
import { listingQuery } from "../src/db/queries/conversations";
import { addParticipant, call, env, errorPaths, newAccount, newConversation, problemOf, rawCall, send, settle } from "./helpers";

const PHONE = "+14155550100";
const OTHER_PHONE = "+14155550111";

async function newContact(key: string, body: Record<string, unknown>) {
  const res = await call("POST", "/v1/contacts", { key, body });
  if (res.status !== 201) throw new Error(`contact creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as { id: string; addresses: { channel: string; address: string }[] };
}

const customer = (channel: string, address: string) => ({ participants: [{ kind: "customer", channel, address }] });

/** The ids a listing answers, in its order, and the response. */
async function listed(key: string, query: string) {
  const res = await call("GET", `/v1/conversations?${query}`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data.map((c: { id: string }) => c.id) as string[];
}

describe("GET /v1/conversations?contact_id=", () => {
  it("finds a contact's conversations on each of its channels, latest activity first, and only theirs", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, {
      name: "Pat",
      addresses: [
        { channel: "whatsapp", address: PHONE },
        { channel: "sms", address: OTHER_PHONE },
      ],
    });
    const sam = await newContact(key, { addresses: [{ channel: "email", address: "sam@example.com" }] });
    const onWhatsApp = await newConversation(key, customer("whatsapp", PHONE));
    const onSms = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }, { kind: "customer", channel: "sms", address: OTHER_PHONE }] });
    // The same number on a channel the contact does not have it on is someone else's (as for inbound).
    const smsOfWhatsAppNumber = await newConversation(key, customer("sms", PHONE));
    const samsConversation = await newConversation(key, customer("email", "Sam@Example.com"));
    const nobodys = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }] });
    // Another account with a participant at the same address is not looked at.
    const elsewhere = await newAccount();
    const foreign = await newConversation(elsewhere.key, customer("whatsapp", PHONE));
    await newContact(elsewhere.key, { addresses: [{ channel: "whatsapp", address: PHONE }] });
    // The WhatsApp conversation becomes the latest.
    await send(key, onWhatsApp.id, { body: "any news?", author: PHONE });
    await settle(onWhatsApp.id, onSms.id, smsOfWhatsAppNumber.id, samsConversation.id, nobodys.id, foreign.id);

    expect(await listed(key, `contact_id=${pat.id}`)).toEqual([onWhatsApp.id, onSms.id]);
    expect(await listed(key, `contact_id=${sam.id}`)).toEqual([samsConversation.id]);
    // It combines with the other filters.
    expect(await listed(key, `contact_id=${pat.id}&channel=sms`)).toEqual([onSms.id]);
    expect(await listed(key, `contact_id=${pat.id}&identity=ada`)).toEqual([onSms.id]);

    // An address the contact gains finds its conversations at once (nothing is rewritten).
    const more = await call("PATCH", `/v1/contacts/${pat.id}`, { key, body: { add_addresses: [{ channel: "sms", address: PHONE }] } });
    expect(more.status).toBe(200);
    expect(await listed(key, `contact_id=${pat.id}`)).toEqual([onWhatsApp.id, smsOfWhatsAppNumber.id, onSms.id]);
    // And one it loses, no longer.
    await call("PATCH", `/v1/contacts/${pat.id}`, { key, body: { remove_addresses: [{ channel: "whatsapp", address: PHONE }] } });
    expect(await listed(key, `contact_id=${pat.id}`)).toEqual([smsOfWhatsAppNumber.id, onSms.id]);
  });

  it("shows the merged contact's conversations under the survivor as soon as they are merged", async () => {
    const { key } = await newAccount();
    const a = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const b = await newContact(key, { addresses: [{ channel: "whatsapp", address: PHONE }, { channel: "email", address: "pat@example.com" }] });
    const bySms = await newConversation(key, customer("sms", PHONE));
    const byWhatsApp = await newConversation(key, customer("whatsapp", PHONE));
    const byEmail = await newConversation(key, customer("email", "pat@example.com"));
    await settle(bySms.id, byWhatsApp.id, byEmail.id);
    expect(await listed(key, `contact_id=${a.id}`)).toEqual([bySms.id]);

    expect((await call("POST", `/v1/contacts/${a.id}/merge`, { key, body: { from: b.id } })).status).toBe(200);
    expect(new Set(await listed(key, `contact_id=${a.id}`))).toEqual(new Set([bySms.id, byWhatsApp.id, byEmail.id]));
    const merged = problemOf(await call("GET", `/v1/conversations?contact_id=${b.id}`, { key }), 404);
    expect(errorPaths(merged)).toEqual(["query.contact_id"]);
    expect(merged.detail).toContain(a.id);
  });

  it("answers 404 naming query.contact_id for another account's, an unknown or a malformed contact id", async () => {
    const mine = await newAccount();
    const theirs = await newAccount();
    const theirContact = await newContact(theirs.key, { addresses: [{ channel: "sms", address: PHONE }] });
    const theirConversation = await newConversation(theirs.key, customer("sms", PHONE));
    await settle(theirConversation.id);
    expect(await listed(theirs.key, `contact_id=${theirContact.id}`)).toEqual([theirConversation.id]);
    for (const id of [theirContact.id, "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T", "nope"]) {
      const p = problemOf(await call("GET", `/v1/conversations?contact_id=${id}`, { key: mine.key }), 404);
      expect(errorPaths(p), id).toEqual(["query.contact_id"]);
      expect(p.detail).toBe("contact not found");
    }
  });

  it("pages with the cursor in activity order, each conversation once", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }, { channel: "email", address: "pat@example.com" }] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      // Two of them have Pat twice (both addresses): still listed once.
      const participants = [{ kind: "customer", channel: "sms", address: PHONE }, ...(i % 2 ? [{ kind: "customer", channel: "email", address: "pat@example.com" }] : [])];
      ids.push((await newConversation(key, { participants })).id);
      await newConversation(key, customer("sms", OTHER_PHONE));
    }
    await send(key, ids[1]!, { body: "bump" });
    await settle(...ids);
    const expected = [ids[1]!, ids[4]!, ids[3]!, ids[2]!, ids[0]!];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call("GET", `/v1/conversations?contact_id=${pat.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { key });
      expect(res.status).toBe(200);
      expect(res.json.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.data.map((c: { id: string }) => c.id));
      cursor = res.json.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it("is planned from the contact's addresses, never a walk over the account's (or every account's) rows", async () => {
    const { id } = await newAccount();
    const { sql, params } = listingQuery(env.DB, id, { contact_id: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T", limit: 25 }).toSQL();
    const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>()).results.map((r) => r.detail);
    expect(plan).toContain("SEARCH contact_addresses USING INDEX contact_addresses_contact (contact_id=?)");
    expect(plan).toContain("SEARCH conversation_participants USING INDEX participants_address (account_id=? AND address=?)");
    expect(plan.some((d) => /^SEARCH conversations USING INDEX sqlite_autoindex_conversations_1 \(id=\?\)$/.test(d))).toBe(true);
    // No scan, and no index walked on the account alone (which would read every row of the account).
    for (const d of plan) {
      expect(d).not.toMatch(/^SCAN/);
      expect(d).not.toMatch(/\(account_id=\?\)$/);
    }
  });
});

describe("a participant naming its contact", () => {
  const participants = (c: { id: string }) => `/v1/conversations/${c.id}/participants`;

  it("takes the contact's address on the channel when none is given", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, {
      addresses: [
        { channel: "sms", address: OTHER_PHONE },
        { channel: "whatsapp", address: PHONE },
        { channel: "sms", address: "+14155550122" },
      ],
    });
    const conv = await newConversation(key);
    const added = await addParticipant(key, conv.id, { kind: "customer", channel: "whatsapp", contact_id: pat.id });
    expect(added).toMatchObject({ channel: "whatsapp", address: PHONE, kind: "customer" });
    expect(added).not.toHaveProperty("contact_id");
    // The contact's first address on the channel.
    const bySms = await addParticipant(key, conv.id, { kind: "customer", channel: "sms", contact_id: pat.id });
    expect(bySms.address).toBe(OTHER_PHONE);

    // The create form too.
    const created = await newConversation(key, { participants: [{ kind: "agent", identity: "ada" }, { kind: "customer", channel: "whatsapp", contact_id: pat.id }] });
    expect(created.participants.map((p: { address: string | null }) => p.address)).toEqual([null, PHONE]);
    await settle(conv.id, created.id);
    expect(new Set(await listed(key, `contact_id=${pat.id}`))).toEqual(new Set([conv.id, created.id]));
    // The contact is as it was.
    expect((await call("GET", `/v1/contacts/${pat.id}`, { key })).json.addresses).toEqual(pat.addresses);
  });

  it("is a 422 naming the address when the contact has none on that channel, and a 422 naming the channel without one", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const conv = await newConversation(key);
    const p = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "email", contact_id: pat.id } }), 422);
    expect(errorPaths(p)).toEqual(["body.address"]);
    expect(p.detail).toContain("email");

    const create = problemOf(
      await call("POST", "/v1/conversations", {
        key,
        body: { participants: [{ kind: "customer", channel: "sms", contact_id: pat.id }, { kind: "customer", channel: "whatsapp", contact_id: pat.id }] },
      }),
      422,
    );
    expect(errorPaths(create)).toEqual(["body.participants[1].address"]);

    const noChannel = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", contact_id: pat.id, identity: "pat" } }), 422);
    expect(errorPaths(noChannel)).toEqual(["body.channel"]);
    // Without a contact, an external channel still wants an address.
    expect(errorPaths(problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "sms" } }), 422))).toEqual(["body.address"]);
    expect((await call("GET", participants(conv), { key })).json.data).toEqual([]);
  });

  it("gives the contact an address it does not have yet, and keeps one it has", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const conv = await newConversation(key);
    const added = await addParticipant(key, conv.id, { kind: "customer", channel: "email", address: "Pat@Example.com", contact_id: pat.id });
    expect(added.address).toBe("pat@example.com");
    await addParticipant(key, conv.id, { kind: "customer", channel: "sms", address: PHONE, contact_id: pat.id });
    const contact = await call("GET", `/v1/contacts/${pat.id}`, { key });
    expect(contact.json.addresses).toEqual([
      { channel: "sms", address: PHONE },
      { channel: "email", address: "pat@example.com" },
    ]);
  });

  it("is a 422 naming the address when the contact has as many addresses as it may", async () => {
    const { key } = await newAccount();
    const addresses = Array.from({ length: 20 }, (_, i) => ({ channel: "email", address: `pat${i}@example.com` }));
    const pat = await newContact(key, { addresses });
    const conv = await newConversation(key);
    const p = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "sms", address: PHONE, contact_id: pat.id } }), 422);
    expect(errorPaths(p)).toEqual(["body.address"]);
    // One it has is fine.
    await addParticipant(key, conv.id, { kind: "customer", channel: "email", address: "pat3@example.com", contact_id: pat.id });
    expect((await call("GET", `/v1/contacts/${pat.id}`, { key })).json.addresses).toHaveLength(20);
  });

  it("is a 409 naming the address when another contact has it, and changes nothing", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const sam = await newContact(key, { addresses: [{ channel: "sms", address: OTHER_PHONE }] });
    const conv = await newConversation(key);
    const p = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "sms", address: OTHER_PHONE, contact_id: pat.id } }), 409);
    expect(errorPaths(p)).toEqual(["body.address"]);
    expect((await call("GET", participants(conv), { key })).json.data).toEqual([]);

    // The create form names the participant; the others' new addresses are not given either.
    const create = problemOf(
      await call("POST", "/v1/conversations", {
        key,
        body: {
          participants: [
            { kind: "customer", channel: "email", address: "pat@example.com", contact_id: pat.id },
            { kind: "customer", channel: "sms", address: OTHER_PHONE, contact_id: pat.id },
          ],
        },
      }),
      409,
    );
    expect(errorPaths(create)).toEqual(["body.participants[1].address"]);
    expect((await call("GET", `/v1/contacts/${pat.id}`, { key })).json.addresses).toEqual(pat.addresses);
    expect((await call("GET", `/v1/contacts/${sam.id}`, { key })).json.addresses).toEqual(sam.addresses);
  });

  it("gives the contact nothing when the conversation refuses the participant", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const conv = await newConversation(key, customer("email", "pat@example.com"));
    // Already in the conversation: the Durable Object's 409, after the address was given.
    const dup = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "email", address: "pat@example.com", contact_id: pat.id } }), 409);
    expect(errorPaths(dup)).toEqual(["body.address"]);
    // An unknown conversation.
    problemOf(
      await call("POST", "/v1/conversations/conv_01JD5V7J3E9Q8M2K4N6P0R1S2T/participants", {
        key,
        body: { kind: "customer", channel: "whatsapp", address: PHONE, contact_id: pat.id },
      }),
      404,
    );
    // A create refused for its unique_name.
    await newConversation(key, { unique_name: "order-1" });
    problemOf(
      await call("POST", "/v1/conversations", {
        key,
        body: { unique_name: "order-1", participants: [{ kind: "customer", channel: "messenger", address: "1234567", contact_id: pat.id }] },
      }),
      409,
    );
    expect((await call("GET", `/v1/contacts/${pat.id}`, { key })).json.addresses).toEqual(pat.addresses);
  });

  it("is a 404 naming contact_id for another account's, an unknown, a malformed or a merged contact", async () => {
    const { key } = await newAccount();
    const theirs = await newAccount();
    const their = await newContact(theirs.key, { addresses: [{ channel: "sms", address: PHONE }] });
    const survivor = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const mergedAway = await newContact(key, { addresses: [{ channel: "sms", address: OTHER_PHONE }] });
    await call("POST", `/v1/contacts/${survivor.id}/merge`, { key, body: { from: mergedAway.id } });
    const conv = await newConversation(key);
    for (const id of [their.id, "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T", "nope"]) {
      const p = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "sms", contact_id: id } }), 404);
      expect(errorPaths(p), id).toEqual(["body.contact_id"]);
      expect(p.detail).toBe("contact not found");
    }
    const merged = problemOf(await call("POST", participants(conv), { key, body: { kind: "customer", channel: "sms", contact_id: mergedAway.id } }), 404);
    expect(errorPaths(merged)).toEqual(["body.contact_id"]);
    expect(merged.detail).toContain(survivor.id);
    const create = problemOf(
      await call("POST", "/v1/conversations", { key, body: { participants: [{ kind: "agent", identity: "ada" }, { kind: "customer", channel: "sms", contact_id: their.id }] } }),
      404,
    );
    expect(errorPaths(create)).toEqual(["body.participants[1].contact_id"]);
    // Another account's contact got nothing.
    expect((await call("GET", `/v1/contacts/${their.id}`, { key: theirs.key })).json.addresses).toEqual(their.addresses);
  });

  it("replays an idempotent add as first answered", async () => {
    const { key } = await newAccount();
    const pat = await newContact(key, { addresses: [{ channel: "sms", address: PHONE }] });
    const conv = await newConversation(key);
    const body = { kind: "customer", channel: "sms", contact_id: pat.id };
    const headers = { "idempotency-key": "add-pat" };
    const first = await call("POST", participants(conv), { key, body, headers });
    expect(first.status).toBe(201);
    const again = await call("POST", participants(conv), { key, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.id).toBe(first.json.id);
  });

  it("is documented: the listing's contact_id and its 404, AddParticipant's contact_id", async () => {
    const doc = (await rawCall("GET", "/openapi.json")).json;
    const list = doc.paths["/v1/conversations"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toContain("contact_id");
    expect(Object.keys(list.responses)).toContain("404");
    expect(list.description).toContain("query.contact_id");
    expect(Object.keys(doc.components.schemas.AddParticipant.properties)).toContain("contact_id");
    expect(Object.keys(doc.paths["/v1/conversations/{conversation_id}/participants"].post.responses)).toContain("404");
  });
});
