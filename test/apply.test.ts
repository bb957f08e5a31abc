import { describe, expect, it } from "vitest";
import { applyProjections } from "../src/projection/apply";
import type { ProjectionPayload } from "../src/projection/payload";
import { newId } from "../src/lib/ids";
import { d1Number, env } from "./helpers";

// The projection consumer's guarded writes, fed payloads out of order and twice, as a queue may.

function payload(conversationId: string, version: number, over: Partial<ProjectionPayload> = {}): ProjectionPayload {
  const status = over.conversation === undefined ? `v${version}` : "";
  return {
    v: 1,
    account_id: "acct_test",
    conversation_id: conversationId,
    version,
    deleted: false,
    announce: "updated",
    conversation: {
      status,
      channel: "sms",
      tags: [`tag${version}`],
      last_activity_at: version,
      created_at: 1,
      message_count: version,
      resource: { id: conversationId, status } as never,
    },
    participants: [],
    removed_participants: [],
    messages: [],
    ...over,
  };
}

const message = (id: string, index: number, body: string) => ({ id, index, created_at: index, resource: { id, index, body, author: "x", author_kind: "customer", created_at: "" } as never });
const listing = (id: string) => env.DB.prepare("SELECT status, version FROM conversations WHERE id = ?").bind(id).first<{ status: string; version: number }>();
const tags = async (id: string) => (await env.DB.prepare("SELECT tag FROM conversation_tags WHERE conversation_id = ?").bind(id).all<{ tag: string }>()).results.map((r) => r.tag);

describe("projection writes under redelivery and reordering", () => {
  it("an older snapshot arriving late changes nothing and is not reported as written", async () => {
    const id = newId("conversation");
    const newer = await applyProjections(env.DB, [payload(id, 7)]);
    expect(newer.listings.has(`${id}@7`)).toBe(true);
    const older = await applyProjections(env.DB, [payload(id, 5)]);
    expect(older.listings.size).toBe(0);
    expect(await listing(id)).toEqual({ status: "v7", version: 7 });
    // The tag index follows the row that won, not the last payload.
    expect(await tags(id)).toEqual(["tag7"]);
    // The same payload twice writes it once.
    expect((await applyProjections(env.DB, [payload(id, 7)])).listings.size).toBe(0);
  });

  it("two snapshots of one conversation in one batch: the newer wins whatever their order", async () => {
    const a = newId("conversation");
    const b = newId("conversation");
    await applyProjections(env.DB, [payload(a, 3), payload(a, 9), payload(b, 9), payload(b, 3)]);
    expect(await listing(a)).toEqual({ status: "v9", version: 9 });
    expect(await listing(b)).toEqual({ status: "v9", version: 9 });
    expect(await tags(b)).toEqual(["tag9"]);
  });

  it("a deletion keeps out every older payload that arrives after it, messages included", async () => {
    const id = newId("conversation");
    const m0 = newId("message");
    await applyProjections(env.DB, [payload(id, 2, { messages: [message(m0, 0, "hi")] })]);
    const deletion = await applyProjections(env.DB, [payload(id, 10, { deleted: true, announce: null, conversation: null })]);
    expect(deletion.deleted.has(id)).toBe(true);
    const m1 = newId("message");
    const late = await applyProjections(env.DB, [payload(id, 6, { messages: [message(m1, 1, "late")] })]);
    expect(late.listings.size + late.messages.size).toBe(0);
    expect(await listing(id)).toBeNull();
    expect(await d1Number("SELECT count(*) AS n FROM messages WHERE conversation_id = ?", id)).toBe(0);
    // A repeated deletion is not announced again.
    expect((await applyProjections(env.DB, [payload(id, 10, { deleted: true, announce: null, conversation: null })])).deleted.size).toBe(0);
  });

  it("a removed participant is not brought back by an older upsert", async () => {
    const id = newId("conversation");
    const pid = newId("participant");
    const p = { id: pid, kind: "customer", channel: "sms", address: "+14155550100", identity: null, last_read_index: null };
    await applyProjections(env.DB, [payload(id, 3, { participants: [p] })]);
    await applyProjections(env.DB, [payload(id, 8, { removed_participants: [pid] })]);
    await applyProjections(env.DB, [payload(id, 5, { participants: [{ ...p, last_read_index: 0 }] })]);
    expect(await d1Number("SELECT count(*) AS n FROM conversation_participants WHERE id = ?", pid)).toBe(0);
  });
});
