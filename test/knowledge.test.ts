import { describe, expect, it } from "vitest";
import { retrieve } from "../src/ai/retrieve";
import { call, env, newAccount } from "./helpers";
import { aiAccount, customerConversation, customerSays, draftFor } from "./fixtures/ai/setup";

/** The knowledge base: documents, their passages by version, the index, and what drafts cited. */
const post = (key: string, body: unknown) => call("POST", "/v1/knowledge", { key, body });

describe("knowledge base", () => {
  it("splits Markdown by section, reads HTML as text, and lists, gets and deletes documents", async () => {
    const { id, key } = await newAccount("kb");
    const md = await post(key, { title: "Care", format: "markdown", topic: "products", content: "Intro line.\n\n## Washing\nWash **cold** and [hang](https://x.test) to dry.\n\n## Ironing\n- Low heat only.\n" });
    expect(md.status).toBe(201);
    expect(md.json).toMatchObject({ title: "Care", topic: "products", format: "markdown", version: 1, passage_count: 3 });
    const got = (await call("GET", `/v1/knowledge/${md.json.id}`, { key })).json;
    expect(got.passages.map((p: any) => [p.heading, p.text])).toEqual([["Care", "Intro line."], ["Washing", "Wash cold and hang to dry."], ["Ironing", "Low heat only."]]);
    const html = await post(key, { title: "Page", format: "html", content: "<h2>Opening &amp; hours</h2><p>Open 9&ndash;5,<br>Monday to Friday.</p><script>alert(1)</script><style>p{}</style>" });
    const page = (await call("GET", `/v1/knowledge/${html.json.id}`, { key })).json;
    expect(page.passages.map((p: any) => [p.heading, p.text])).toEqual([["Opening & hours", "Open 9–5,\nMonday to Friday."]]);
    const list = await call("GET", "/v1/knowledge?limit=1", { key });
    expect(list.json.data.map((d: any) => d.id)).toEqual([md.json.id]);
    const next = await call("GET", `/v1/knowledge?limit=1&cursor=${list.json.next_cursor}`, { key });
    expect(next.json).toMatchObject({ data: [{ id: html.json.id }], next_cursor: null });
    expect((await call("DELETE", `/v1/knowledge/${html.json.id}`, { key })).status).toBe(204);
    expect((await call("GET", `/v1/knowledge/${html.json.id}`, { key })).status).toBe(404);
    expect((await retrieve(env.DB, id, "opening hours monday")).passages).toEqual([]);
    expect((await retrieve(env.DB, id, "wash cold")).passages[0]).toMatchObject({ heading: "Washing", document_id: md.json.id, topic: "products" });
  });

  it("a new version replaces what is retrieved; what a draft cited stays readable with its version", async () => {
    const account = await aiAccount();
    const conv = await customerConversation(account.key);
    const m = await customerSays(account.key, conv.id, "How long is the warranty?");
    const d = await draftFor(account.key, conv.id, m.index);
    const cited = d.passages[0];
    expect(cited).toMatchObject({ heading: "How long is the warranty?", document_version: 1 });
    const docs = (await call("GET", "/v1/knowledge?limit=100", { key: account.key })).json.data;
    const doc = docs.find((x: any) => x.id === cited.document_id);
    const content = doc.content.replace("two-year warranty", "three-year warranty").replace("Do you have a physical store?", "Where is your store?");
    const updated = await call("PATCH", `/v1/knowledge/${doc.id}`, { key: account.key, body: { content } });
    expect(updated.json).toMatchObject({ version: 2 });
    const old = await call("GET", `/v1/knowledge/passages/${cited.passage_id}`, { key: account.key });
    expect(old.json).toMatchObject({ id: cited.passage_id, version: 1, live: false });
    expect(old.json.text).toContain("two-year warranty");
    const now = await retrieve(env.DB, account.id, "How long is the warranty?");
    expect(now.passages[0]!.body).toContain("three-year warranty");
    expect(now.passages.every((p) => p.version === 2 || p.document_id !== doc.id)).toBe(true);
    // Version 1's passages the draft did not cite are gone; the current version has its own.
    const current = (await call("GET", `/v1/knowledge/${doc.id}`, { key: account.key })).json;
    expect(current.passages.every((p: any) => p.version === 2 && p.live)).toBe(true);
    const v1 = await env.DB.prepare("SELECT count(*) AS n FROM knowledge_passages WHERE document_id = ? AND version = 1").bind(doc.id).first<{ n: number }>();
    expect(v1!.n).toBe(d.passages.filter((p: any) => p.document_id === doc.id).length);
    // Deleted: nothing of it is retrieved, and the cited passage is still there.
    expect((await call("DELETE", `/v1/knowledge/${doc.id}`, { key: account.key })).status).toBe(204);
    expect((await retrieve(env.DB, account.id, "warranty claim defect")).passages.some((p) => p.document_id === doc.id)).toBe(false);
    expect((await call("GET", `/v1/knowledge/passages/${cited.passage_id}`, { key: account.key })).status).toBe(200);
    // A topic alone is no new version.
    const other = docs.find((x: any) => x.id !== doc.id);
    expect((await call("PATCH", `/v1/knowledge/${other.id}`, { key: account.key, body: { topic: "misc" } })).json).toMatchObject({ version: 1, topic: "misc" });
  }, 60_000);

  it("is partitioned by account: another account's documents neither show nor move a score", async () => {
    const a = await newAccount("kb-a");
    const b = await newAccount("kb-b");
    const text = "## Opening hours\nWe are open from 9 to 5, Monday to Friday.\n\n## Parking\nThere is free parking behind the building.";
    const doc = await post(a.key, { title: "Visit", format: "markdown", content: text });
    const before = await retrieve(env.DB, a.id, "when are you open on Monday");
    for (let i = 0; i < 5; i++) await post(b.key, { title: `B ${i}`, format: "markdown", content: "## Open\nopen open Monday open Monday hours" });
    const after = await retrieve(env.DB, a.id, "when are you open on Monday");
    expect(after.passages.map((p) => [p.id, p.score])).toEqual(before.passages.map((p) => [p.id, p.score]));
    expect(after.features).toEqual(before.features);
    expect(after.passages.every((p) => p.document_id === doc.json.id)).toBe(true);
    expect((await call("GET", `/v1/knowledge/${doc.json.id}`, { key: b.key })).status).toBe(404);
    expect((await call("PATCH", `/v1/knowledge/${doc.json.id}`, { key: b.key, body: { title: "x" } })).status).toBe(404);
    expect((await call("DELETE", `/v1/knowledge/${doc.json.id}`, { key: b.key })).status).toBe(404);
    const passage = (await call("GET", `/v1/knowledge/${doc.json.id}`, { key: a.key })).json.passages[0].id;
    expect((await call("GET", `/v1/knowledge/passages/${passage}`, { key: b.key })).status).toBe(404);
    expect((await call("GET", "/v1/knowledge", { key: b.key })).json.data.some((d: any) => d.id === doc.json.id)).toBe(false);
  }, 60_000);

  it("refuses bad documents with a 422 naming the field, and stores nothing", async () => {
    const { key } = await newAccount("kb-bad");
    const cases: [unknown, string][] = [
      [{ content: "x" }, "body.title"],
      [{ title: "t", content: "" }, "body.content"],
      [{ title: "t", content: "x", format: "pdf" }, "body.format"],
      [{ title: "t", content: "x", topic: "Not A Topic" }, "body.topic"],
      [{ title: "t", format: "html", content: "<script>only()</script>" }, "body.content"],
    ];
    for (const [body, path] of cases) {
      const res = await post(key, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.errors[0].path).toBe(path);
    }
    expect((await call("GET", "/v1/knowledge", { key })).json.data).toEqual([]);
    expect((await call("GET", "/v1/knowledge/kb_nope", { key })).status).toBe(404);
  });
});

