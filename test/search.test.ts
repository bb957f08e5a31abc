import { describe, expect, it } from "vitest";
import { GRAM_RANGES, isGramChar, parseQuery, planQuery } from "../src/api/search/query";
import { listingQuery } from "../src/db/queries/conversations";
import { searchMessages, searchStatement } from "../src/db/queries/search";
import { ProblemError } from "../src/lib/problem";
import { call, env, errorPaths, newAccount, newConversation, problemOf, send, settle, sleep } from "./helpers";

const PHONE = "+14155550100";
const customer = (address = PHONE) => ({ participants: [{ kind: "customer", channel: "sms", address }] });

type Hit = { message: { id: string; body: string; author_kind: string; channel: string }; conversation_id: string; snippet: string; rank: number };

async function search(key: string, query: string) {
  const res = await call("GET", `/v1/search/messages?${query}`, { key });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { data: Hit[]; next_cursor: string | null };
}
const q = (text: string, rest = "") => `q=${encodeURIComponent(text)}${rest}`;
/** The bodies a search answers, best first. */
const bodies = async (key: string, text: string, rest = "") => (await search(key, q(text, rest))).data.map((h) => h.message.body);

/** A conversation with these messages (sent in order, by the SMS customer unless said otherwise), projected. */
async function conversationWith(key: string, messages: (string | { body: string; author?: string })[], body: Record<string, unknown> = customer()) {
  const conv = await newConversation(key, body);
  const sent = [];
  for (const m of messages) sent.push(await send(key, conv.id, typeof m === "string" ? { body: m, author: PHONE } : m));
  await settle(conv.id);
  return { id: conv.id as string, messages: sent as { id: string; body: string }[] };
}

describe("GET /v1/search/messages", () => {
  it("ranks the better match first and marks the matches in an HTML-safe snippet", async () => {
    const { key } = await newAccount();
    const three =
      "Hello, I am writing about my refund. The refund for order 1042 was promised two weeks ago and I still have not seen the refund on my card statement. Could you check what happened, please?";
    const one =
      "Hello, I am writing about my parcel. The parcel for order 1042 was promised two weeks ago and I still have not seen the refund on my card statement. Could you check what happened, please?";
    await conversationWith(key, [one, "Refund please", "Thanks, all sorted now", three, 'The <b>refund</b> & "the rest"']);
    const { data } = await search(key, q("refund"));
    // BM25: a shorter message ranks higher, and of two as long, the one that says it three times.
    expect(data.map((h) => h.message.body)).toEqual(["Refund please", 'The <b>refund</b> & "the rest"', three, one]);
    for (let i = 1; i < data.length; i++) expect(data[i - 1]!.rank).toBeGreaterThan(data[i]!.rank);
    expect(data.at(-1)!.rank).toBeGreaterThan(0);
    expect(data[0]!.snippet).toBe("<mark>Refund</mark> please");
    // The text is escaped, the marks are the only markup.
    expect(data[1]!.snippet).toBe("The &lt;b&gt;<mark>refund</mark>&lt;/b&gt; &amp; &quot;the rest&quot;");
    // A long message is cut around its best part.
    expect(data[2]!.snippet).toMatch(/^…?.*<mark>refund<\/mark>.*<mark>refund<\/mark>.*…$/);
    expect(data[2]!.snippet.length).toBeLessThan(three.length);
    // Each result carries the message resource and its conversation.
    expect(data[0]!.conversation_id).toBe((data[0]!.message as unknown as { conversation_id: string }).conversation_id);
  });

  it("reads phrases, prefixes, OR, NOT, exclusions and parentheses, and words in any case and accent", async () => {
    const { key } = await newAccount();
    await conversationWith(key, [
      "My parcel has not arrived",
      "It has arrived, has it not?",
      "The delivery was late",
      "Delivered to the wrong door",
      "It was undelivered",
      "Le café était froid",
      "Order 1042 is missing",
    ]);
    expect(await bodies(key, '"has not arrived"')).toEqual(["My parcel has not arrived"]);
    expect(new Set(await bodies(key, "deliv*"))).toEqual(new Set(["The delivery was late", "Delivered to the wrong door"]));
    expect(new Set(await bodies(key, "arrived"))).toEqual(new Set(["My parcel has not arrived", "It has arrived, has it not?"]));
    expect(await bodies(key, "arrived parcel")).toEqual(["My parcel has not arrived"]);
    expect(await bodies(key, "arrived AND parcel")).toEqual(["My parcel has not arrived"]);
    expect(await bodies(key, "arrived NOT parcel")).toEqual(["It has arrived, has it not?"]);
    expect(await bodies(key, "arrived -parcel")).toEqual(["It has arrived, has it not?"]);
    expect(new Set(await bodies(key, "late OR wrong"))).toEqual(new Set(["The delivery was late", "Delivered to the wrong door"]));
    expect(await bodies(key, "deliv* (late OR missing)")).toEqual(["The delivery was late"]);
    expect(await bodies(key, "CAFE ETAIT")).toEqual(["Le café était froid"]);
    // Punctuation is not indexed: it separates words, in the query as in the text.
    expect(await bodies(key, "order #1042 - missing?")).toEqual(["Order 1042 is missing"]);
    // Operators are capitals only: in lower case they are words.
    expect(await bodies(key, "was and")).toEqual([]);
  });

  it("answers a query it cannot read with a 422 naming query.q, never a 500", async () => {
    const { key } = await newAccount();
    await conversationWith(key, ["anything at all"]);
    for (const text of ['"unbalanced', "AND", "*", "NEAR(", "NEAR(a b)", "a OR", "OR a", "(a", "a)", "NOT a", "-a", "a NOT", "de*liv", "d*", "a AND AND b", "()", "!!!", '""']) {
      const p = problemOf(await call("GET", `/v1/search/messages?${q(text)}`, { key }), 422);
      expect(errorPaths(p), text).toEqual(["query.q"]);
      expect(p.detail, text).toMatch(/^query\.q: /);
    }
    const tooMany = Array.from({ length: 17 }, (_, i) => `w${i}`).join(" ");
    expect(errorPaths(problemOf(await call("GET", `/v1/search/messages?${q(tooMany)}`, { key }), 422))).toEqual(["query.q"]);
    // A missing or over-long q is a malformed request, as for any query parameter.
    expect(errorPaths(problemOf(await call("GET", "/v1/search/messages", { key }), 400))).toEqual(["query.q"]);
    expect(errorPaths(problemOf(await call("GET", `/v1/search/messages?${q("x".repeat(257))}`, { key }), 400))).toEqual(["query.q"]);
    expect(errorPaths(problemOf(await call("GET", `/v1/search/messages?${q("x")}&cursor=nope`, { key }), 400))).toEqual(["query.cursor"]);
    // Without a key: 401, as for every /v1/search route.
    problemOf(await call("GET", `/v1/search/messages?${q("anything")}`), 401);
  });

  it("turns an FTS5 refusal into the same 422, should the written expression ever be one", async () => {
    const { id, key } = await newAccount();
    await conversationWith(key, ["unbalanced"]);
    const broken = { index: "words" as const, match: '"unbalanced AND', filter: null, positive: ["unbalanced"] };
    const error = await searchMessages(env.DB, id, broken, {}, { limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem.status).toBe(422);
    expect((error as ProblemError).problem.errors?.map((e) => e.path)).toEqual(["query.q"]);
  });

  it("finds Swahili, Arabic, Hindi, Chinese, Japanese, Thai and emoji", async () => {
    const { key } = await newAccount();
    await conversationWith(key, [
      "Habari yako, kifurushi changu hakijafika bado",
      "مرحبا، لم يصل الطرد بعد",
      "नमस्ते, मेरा पार्सल नहीं आया",
      "我的包裹还没到，订单号 1042",
      "荷物がまだ届きません",
      "พัสดุของฉันยังไม่มาถึง",
      "Thanks 🎉🎉",
      "Order 1042 shipped 👍",
    ]);
    expect(await bodies(key, "kifurushi")).toEqual(["Habari yako, kifurushi changu hakijafika bado"]);
    expect(await bodies(key, "hakijafika kifurushi")).toEqual(["Habari yako, kifurushi changu hakijafika bado"]);
    expect(await bodies(key, "الطرد")).toEqual(["مرحبا، لم يصل الطرد بعد"]);
    expect(await bodies(key, "पार्सल")).toEqual(["नमस्ते, मेरा पार्सल नहीं आया"]);
    // Chinese: three characters or more through the trigram index, fewer by reading the account's messages in those scripts.
    expect(await bodies(key, "包裹还")).toEqual(["我的包裹还没到，订单号 1042"]);
    expect(await bodies(key, "包裹")).toEqual(["我的包裹还没到，订单号 1042"]);
    expect(await bodies(key, "订单号 1042")).toEqual(["我的包裹还没到，订单号 1042"]);
    expect(await bodies(key, "包裹 没到")).toEqual(["我的包裹还没到，订单号 1042"]);
    expect(await bodies(key, "包裹 -没到")).toEqual([]);
    expect(await bodies(key, "届きません")).toEqual(["荷物がまだ届きません"]);
    expect(await bodies(key, "荷物")).toEqual(["荷物がまだ届きません"]);
    expect(await bodies(key, "ยังไม่มา")).toEqual(["พัสดุของฉันยังไม่มาถึง"]);
    expect(await bodies(key, "🎉")).toEqual(["Thanks 🎉🎉"]);
    expect(await bodies(key, "👍 1042")).toEqual(["Order 1042 shipped 👍"]);
    // The word index still finds the Latin words of a message in those scripts.
    expect(new Set(await bodies(key, "1042"))).toEqual(new Set(["我的包裹还没到，订单号 1042", "Order 1042 shipped 👍"]));
    // Snippets mark them too, whichever way they were found.
    expect((await search(key, q("包裹还"))).data[0]!.snippet).toContain("<mark>包裹还</mark>");
    expect((await search(key, q("包裹"))).data[0]!.snippet).toContain("<mark>包裹</mark>");
    expect((await search(key, q("🎉"))).data[0]!.snippet).toBe("Thanks <mark>🎉</mark><mark>🎉</mark>");
    // One index per side of an OR is not offered: said so, not answered wrongly.
    expect(errorPaths(problemOf(await call("GET", `/v1/search/messages?${q("包裹 OR parcel")}`, { key }), 422))).toEqual(["query.q"]);
  });

  it("puts a message in the trigram index exactly when the query router would send its characters there", async () => {
    // Rows written as the projection writes them, for an account of the test's own.
    const account = `acct_ranges${Date.now()}`;
    const samples = GRAM_RANGES.flatMap(([lo, hi]) => [lo, hi, lo - 1, hi + 1]).map((cp) => String.fromCodePoint(cp));
    const insert = env.DB.prepare(
      "INSERT INTO messages (id, account_id, conversation_id, idx, body, created_at, resource, version) VALUES (?1, ?2, 'conv_ranges', ?3, ?4, 0, '{}', 1)",
    );
    await env.DB.batch(samples.map((ch, i) => insert.bind(`msg_range_${account}_${i}`, account, i, `x ${ch} y`)));
    const rows = (
      await env.DB.prepare("SELECT m.idx AS i, d.grams AS grams FROM messages m JOIN search_docs d ON d.message_id = m.id WHERE m.account_id = ?").bind(account).all<{ i: number; grams: number }>()
    ).results;
    expect(rows.length).toBe(samples.length);
    for (const { i, grams } of rows) expect(grams === 1, `U+${samples[i]!.codePointAt(0)!.toString(16)}`).toBe(isGramChar(samples[i]!));
  });

  it("filters by conversation, channel, author kind, contact and creation time", async () => {
    const { key } = await newAccount();
    const contact = await call("POST", "/v1/contacts", { key, body: { name: "Pat", addresses: [{ channel: "sms", address: PHONE }] } });
    expect(contact.status).toBe(201);
    const pats = await conversationWith(key, ["parcel one from the customer", { body: "parcel two from the agent", author: "agent-ada" }], {
      participants: [
        { kind: "customer", channel: "sms", address: PHONE },
        { kind: "agent", identity: "agent-ada" },
      ],
    });
    const before = new Date().toISOString();
    await sleep(5);
    const others = await conversationWith(key, [{ body: "parcel three in chat", author: "agent-bo" }], { participants: [{ kind: "agent", identity: "agent-bo" }] });
    const byIds = async (rest: string) => new Set(await bodies(key, "parcel", rest));
    expect(await byIds("")).toEqual(new Set(["parcel one from the customer", "parcel two from the agent", "parcel three in chat"]));
    expect(await byIds(`&conversation_id=${pats.id}`)).toEqual(new Set(["parcel one from the customer", "parcel two from the agent"]));
    expect(await byIds(`&conversation_id=${others.id}`)).toEqual(new Set(["parcel three in chat"]));
    expect(await byIds("&channel=chat")).toEqual(new Set(["parcel three in chat"]));
    expect(await byIds("&channel=sms")).toEqual(new Set(["parcel one from the customer", "parcel two from the agent"]));
    expect(await byIds("&author_kind=customer")).toEqual(new Set(["parcel one from the customer"]));
    expect(await byIds("&author_kind=agent")).toEqual(new Set(["parcel two from the agent", "parcel three in chat"]));
    expect(await byIds(`&contact_id=${contact.json.id}`)).toEqual(new Set(["parcel one from the customer", "parcel two from the agent"]));
    expect(await byIds(`&contact_id=${contact.json.id}&author_kind=agent`)).toEqual(new Set(["parcel two from the agent"]));
    expect(await byIds(`&created_after=${encodeURIComponent(before)}`)).toEqual(new Set(["parcel three in chat"]));
    expect(await byIds(`&created_before=${encodeURIComponent(before)}`)).toEqual(new Set(["parcel one from the customer", "parcel two from the agent"]));
    // The filters apply to a scan too.
    await conversationWith(key, ["我的包裹"]);
    expect(await bodies(key, "包裹", `&conversation_id=${pats.id}`)).toEqual([]);
    // A contact that is not the account's is a 404 naming it, as on the listing.
    const stranger = await newAccount();
    const theirs = await call("POST", "/v1/contacts", { key: stranger.key, body: { addresses: [{ channel: "sms", address: PHONE }] } });
    const p = problemOf(await call("GET", `/v1/search/messages?${q("parcel")}&contact_id=${theirs.json.id}`, { key }), 404);
    expect(errorPaths(p)).toEqual(["query.contact_id"]);
    // Bad filter values are malformed requests.
    expect(errorPaths(problemOf(await call("GET", `/v1/search/messages?${q("parcel")}&channel=pigeon`, { key }), 400))).toEqual(["query.channel"]);
  });

  it("pages with the cursor, each match once, and continues after the last row seen even as the account's history grows", async () => {
    const { key } = await newAccount();
    // One hit each, lengths all different: the order is by length (shortest first) whatever the statistics.
    const texts = Array.from({ length: 7 }, (_, i) => `refund ${"please ".repeat(i)}`.trim());
    const conv = await conversationWith(key, [...texts].reverse());
    const all = (await search(key, q("refund", "&limit=100"))).data.map((h) => h.message.body);
    expect(all).toEqual(texts);
    const seen: string[] = [];
    let page = await search(key, q("refund", "&limit=3"));
    seen.push(...page.data.map((h) => h.message.body));
    // New messages change the account's statistics (documents, average length), and so every score.
    for (let i = 0; i < 5; i++) await send(key, conv.id, { body: `something else entirely, number ${i}, rather longer than the rest of them`, author: PHONE });
    await settle(conv.id);
    let pages = 1;
    while (page.next_cursor !== null && pages < 10) {
      page = await search(key, q("refund", `&limit=3&cursor=${encodeURIComponent(page.next_cursor)}`));
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((h) => h.message.body));
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(texts);
  });

  it("never answers another account's message, and reads only the caller's partition of the index", async () => {
    const mine = await newAccount();
    const theirs = await newAccount();
    const empty = await newAccount();
    await conversationWith(theirs.key, ["the secret word is marmalade", "我的包裹还没到"]);
    await conversationWith(mine.key, ["nothing in common here"]);
    expect(await bodies(mine.key, "marmalade")).toEqual([]);
    expect(await bodies(mine.key, "包裹还")).toEqual([]);
    expect(await bodies(mine.key, "包裹")).toEqual([]);
    // An account with no message at all has no partition: the range is empty, not unbounded.
    expect(await bodies(empty.key, "marmalade")).toEqual([]);
    const same = "identical message in two accounts";
    await conversationWith(mine.key, [same]);
    await conversationWith(theirs.key, [same]);
    const hits = (await search(mine.key, q("identical"))).data;
    expect(hits.map((h) => h.message.body)).toEqual([same]);
    const conversation = await call("GET", `/v1/conversations/${hits[0]!.conversation_id}`, { key: mine.key });
    expect(conversation.status).toBe(200);
    // Both indexes and the scan are constrained to the account's rowid range inside FTS5 ("<" and ">"
    // in the index string) or by the primary key, for every pass over the index: the block of matches,
    // the account's matches counted for the IDF and the snippets, and for a page that goes on into the
    // next block (test/search-blocks.test.ts) the block before it.
    for (const [text, next] of [["identical", false], ["identical", true], ["包裹还", false], ["包裹还", true], ["包裹", false]] as const) {
      const statement = searchStatement(env.DB, mine.id, planQuery(parseQuery(text)), {}, { limit: 25, next });
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).bind(...statement.params).all<{ detail: string }>()).results.map((r) => r.detail);
      const fts = plan.filter((d) => d.includes("VIRTUAL TABLE"));
      for (const d of fts) expect(d, text).toMatch(/VIRTUAL TABLE INDEX \d+:M[^ ]*[<>][^ ]*[<>]/);
      if (text === "包裹") expect(plan.some((d) => /search_docs USING (COVERING )?INDEX search_docs_grams \(doc>\? AND doc<\?\)/.test(d)), plan.join("\n")).toBe(true);
      else expect(fts.length, plan.join("\n")).toBe(next ? 4 : 3);
      for (const d of plan) expect(d, text).not.toMatch(/^SCAN (search_docs|messages)\b/);
    }
  });

  it("drops a deleted conversation's messages from the results and the index", async () => {
    const { key } = await newAccount();
    const doomed = await conversationWith(key, ["a doomed parcel", "我的包裹还没到 🎉"]);
    const kept = await conversationWith(key, ["a kept parcel"]);
    expect(new Set(await bodies(key, "parcel"))).toEqual(new Set(["a doomed parcel", "a kept parcel"]));
    expect((await call("DELETE", `/v1/conversations/${doomed.id}`, { key })).status).toBe(204);
    await settle(doomed.id, kept.id);
    expect(await bodies(key, "parcel")).toEqual(["a kept parcel"]);
    expect(await bodies(key, "包裹还")).toEqual([]);
    expect(await bodies(key, "🎉")).toEqual([]);
    const ids = doomed.messages.map((m) => m.id);
    const left = await env.DB.prepare(`SELECT count(*) AS n FROM search_docs WHERE message_id IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(ids)).first<{ n: number }>();
    expect(left?.n).toBe(0);
    // The external-content indexes agree with what is left (FTS5 checks every posting).
    await env.DB.prepare("INSERT INTO search_words (search_words, rank) VALUES ('integrity-check', 1)").run();
    await env.DB.prepare("INSERT INTO search_grams (search_grams, rank) VALUES ('integrity-check', 1)").run();
  });

  it("re-indexes a message whose body a newer snapshot changes, and ignores an older one", async () => {
    const account = `acct_reindex${Date.now()}`;
    const upsert = (body: string, version: number) =>
      env.DB.prepare(
        `INSERT INTO messages (id, account_id, conversation_id, idx, body, created_at, resource, version)
         VALUES ('msg_reindex_${account}', ?1, 'conv_reindex', 0, ?2, 0, json_object('body', ?2), ?3)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, resource = excluded.resource, version = excluded.version
         WHERE excluded.version > messages.version`,
      )
        .bind(account, body, version)
        .run();
    const count = async (index: "search_words" | "search_grams", match: string) =>
      (
        await env.DB.prepare(
          `SELECT count(*) AS n FROM ${index} WHERE ${index} MATCH ?1
           AND rowid BETWEEN (SELECT n * 1099511627776 FROM search_accounts WHERE account_id = ?2) AND (SELECT n * 1099511627776 + 1099511627775 FROM search_accounts WHERE account_id = ?2)`,
        )
          .bind(match, account)
          .first<{ n: number }>()
      )?.n;
    await upsert("the original words 包裹还没到", 1);
    expect(await count("search_words", "original")).toBe(1);
    expect(await count("search_grams", "包裹还")).toBe(1);
    await upsert("replaced text", 2);
    expect(await count("search_words", "original")).toBe(0);
    expect(await count("search_grams", "包裹还")).toBe(0);
    expect(await count("search_words", "replaced")).toBe(1);
    await upsert("stale words", 1);
    expect(await count("search_words", "stale")).toBe(0);
    expect(await count("search_words", "replaced")).toBe(1);
    const stats = await env.DB.prepare("SELECT docs, chars FROM search_accounts WHERE account_id = ?").bind(account).first<{ docs: number; chars: number }>();
    expect(stats).toEqual({ docs: 1, chars: "replaced text".length });
  });
});

describe("GET /v1/conversations?q=", () => {
  const listed = async (key: string, query: string) => {
    const res = await call("GET", `/v1/conversations?${query}`, { key });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return (res.json.data as { id: string }[]).map((c) => c.id);
  };

  it("matches names, subjects, participants and contacts by the start of their words", async () => {
    const { key } = await newAccount();
    const order = await newConversation(key, { friendly_name: "Order #1042 for Kofi", unique_name: "ticket-77", subject: "Délivrance tardive" });
    const sms = await newConversation(key, customer("+14155550123"));
    const email = await newConversation(key, { participants: [{ kind: "customer", channel: "email", address: "Pat.Smith@Example.com" }] });
    const chat = await newConversation(key, { participants: [{ kind: "agent", identity: "agent-ada" }] });
    const chinese = await newConversation(key, { friendly_name: "张伟的订单" });
    const contact = await call("POST", "/v1/contacts", { key, body: { name: "Amani Njoroge", addresses: [{ channel: "sms", address: "+14155550123" }] } });
    expect(contact.status).toBe(201);
    const elsewhere = await newAccount();
    const foreign = await newConversation(elsewhere.key, { friendly_name: "Order #1042 for Kofi" });
    await settle(order.id, sms.id, email.id, chat.id, chinese.id, foreign.id);

    expect(await listed(key, "q=1042")).toEqual([order.id]);
    expect(await listed(key, "q=ord%20kof")).toEqual([order.id]);
    expect(await listed(key, "q=ticket")).toEqual([order.id]);
    expect(await listed(key, "q=delivrance")).toEqual([order.id]);
    expect(await listed(key, "q=%2B1415555")).toEqual([sms.id]);
    expect(await listed(key, "q=(415)%20555-0123")).toEqual([]);
    expect(await listed(key, "q=1%20415%20555%200123")).toEqual([sms.id]);
    expect(await listed(key, "q=PAT.SMITH%40")).toEqual([email.id]);
    expect(await listed(key, "q=agent-a")).toEqual([chat.id]);
    expect(await listed(key, "q=amani")).toEqual([sms.id]);
    expect(await listed(key, "q=njor")).toEqual([sms.id]);
    expect(await listed(key, `q=${encodeURIComponent("张伟")}`)).toEqual([chinese.id]);
    expect(await listed(key, "q=nobody")).toEqual([]);
    expect(await listed(key, "q=%21%21")).toEqual([]);
    // It combines with the other filters.
    expect(await listed(key, `q=amani&contact_id=${contact.json.id}`)).toEqual([sms.id]);
    expect(await listed(key, "q=1042&status=closed")).toEqual([]);

    // A rename shows once projected, and the old name no longer matches.
    expect((await call("PATCH", `/v1/conversations/${order.id}`, { key, body: { friendly_name: "Refund for Kwame" } })).status).toBe(200);
    await call("PATCH", `/v1/contacts/${contact.json.id}`, { key, body: { name: "Baraka" } });
    await settle(order.id);
    expect(await listed(key, "q=kwame")).toEqual([order.id]);
    expect(await listed(key, "q=kofi")).toEqual([]);
    expect(await listed(key, "q=amani")).toEqual([]);
    expect(await listed(key, "q=baraka")).toEqual([sms.id]);
    // A deleted conversation leaves the index with it.
    expect((await call("DELETE", `/v1/conversations/${order.id}`, { key })).status).toBe(204);
    await settle(order.id);
    expect(await listed(key, "q=kwame")).toEqual([]);
    expect(await listed(elsewhere.key, "q=kofi")).toEqual([foreign.id]);
  });

  it("is planned from indexes: the account's range of the names index and the participants' indexes, rows by primary key", async () => {
    const { id } = await newAccount();
    for (const text of ["pat", "pat 1042", "+1415"]) {
      const { sql, params } = listingQuery(env.DB, id, { q: text, limit: 25 }).toSQL();
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>()).results.map((r) => r.detail);
      const has = (pattern: RegExp) => expect(plan.some((d) => pattern.test(d)), `${text}\n${plan.join("\n")}`).toBe(true);
      if (text !== "+1415") has(/SCAN search_names VIRTUAL TABLE INDEX \d+:M[^ ]*[<>][^ ]*[<>]/);
      if (text === "pat") has(/participants_identity \(account_id=\? AND identity>\? AND identity<\?\)/);
      if (text !== "pat 1042") has(/participants_address \(account_id=\? AND address>\? AND address<\?\)/);
      for (const d of plan) {
        expect(d, text).not.toMatch(/^SCAN (conversations|conversation_participants|contact_addresses|search_name_docs)\b/);
        // Not a walk over the account's conversations, nor over every account's name documents of a kind.
        expect(d, text).not.toMatch(/conversations_activity|(conversations|conversation_participants|contact_addresses) USING (COVERING )?INDEX \w+ \(account_id=\?\)$|\(kind=\?\)$/);
      }
    }
  });
});

describe("the migration's backfill", () => {
  // Last in the file: it empties the index and rebuilds it from the tables, as migration 0014 does
  // for a database that had messages, conversations and contacts before it.
  it("indexes what D1 held before the migration as the triggers would have", async () => {
    const { key } = await newAccount();
    const contact = await call("POST", "/v1/contacts", { key, body: { name: "Wanjiru", addresses: [{ channel: "sms", address: PHONE }] } });
    const conv = await conversationWith(key, ["a backfilled parcel", "我的包裹还没到"], { friendly_name: "Backfill case", ...customer() });
    const count = async (table: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
    const before = { docs: await count("search_docs"), names: await count("search_name_docs"), accounts: await count("search_accounts") };

    await env.DB.batch([
      env.DB.prepare("INSERT INTO search_words (search_words) VALUES ('delete-all')"),
      env.DB.prepare("INSERT INTO search_grams (search_grams) VALUES ('delete-all')"),
      env.DB.prepare("INSERT INTO search_names (search_names) VALUES ('delete-all')"),
      env.DB.prepare("DELETE FROM search_docs"),
      env.DB.prepare("DELETE FROM search_name_docs"),
      env.DB.prepare("DELETE FROM search_accounts"),
    ]);
    expect(await bodies(key, "parcel")).toEqual([]);
    const migration = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] }).TEST_MIGRATIONS.find((m) => m.name.startsWith("0014_"))!;
    const backfill = migration.queries.filter((sql) => /^\s*(INSERT|UPDATE)\b/i.test(sql.replace(/^(\s*--[^\n]*\n)+/, "")));
    expect(backfill.length).toBeGreaterThan(5);
    await env.DB.batch(backfill.map((sql) => env.DB.prepare(sql)));

    expect({ docs: await count("search_docs"), names: await count("search_name_docs"), accounts: await count("search_accounts") }).toEqual(before);
    expect(await bodies(key, "backfilled")).toEqual(["a backfilled parcel"]);
    expect(await bodies(key, "包裹还")).toEqual(["我的包裹还没到"]);
    expect(await bodies(key, "包裹")).toEqual(["我的包裹还没到"]);
    const listed = async (query: string) => ((await call("GET", `/v1/conversations?${query}`, { key })).json.data as { id: string }[]).map((c) => c.id);
    expect(await listed("q=backf")).toEqual([conv.id]);
    expect(await listed("q=wanjiru")).toEqual([conv.id]);
    expect(contact.status).toBe(201);
    await env.DB.prepare("INSERT INTO search_words (search_words, rank) VALUES ('integrity-check', 1)").run();
    await env.DB.prepare("INSERT INTO search_grams (search_grams, rank) VALUES ('integrity-check', 1)").run();
    // The triggers carry on from the backfilled numbering.
    await send(key, conv.id, { body: "a later parcel", author: PHONE });
    await settle(conv.id);
    expect(new Set(await bodies(key, "parcel"))).toEqual(new Set(["a backfilled parcel", "a later parcel"]));
  });
});

