import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Outbox } from "../src/conversation/outbox/outbox";
import type { PassBatch, Sink } from "../src/conversation/outbox/sink";
import { migrate } from "../src/conversation/schema";
import { ConversationStore } from "../src/conversation/store";
import { newId } from "../src/lib/ids";
import { conversationStub } from "./helpers";

/** A sink that records the refs of every batch it is handed, and fails while told to. */
function recordingSink(name: string) {
  const batches: string[][] = [];
  const sink: Sink & { failing: boolean; batches: string[][] } = {
    name,
    failing: false,
    batches,
    async deliver(batch: PassBatch) {
      const refs = batch.rows.map((r) => r.ref);
      if (sink.failing) throw new Error(`${name} is down`);
      batches.push(refs);
    },
  };
  return sink;
}

describe("the outbox and its sinks", () => {
  it("a failing sink neither blocks the others nor makes them redo their work, and catches up alone", async () => {
    // An object nobody created: its own outbox never runs, so this one has the tables to itself.
    await runInDurableObject(conversationStub(newId("conversation")), async (_instance, state) => {
      migrate(state.storage.sql);
      const store = new ConversationStore(state.storage.sql);
      const good = recordingSink("good");
      const flaky = recordingSink("flaky");
      const outbox = new Outbox(state.storage, store, [good, flaky], () => {});
      outbox.mode = "manual";
      const record = (...refs: string[]) => outbox.change(() => refs.forEach((ref) => outbox.record("message", ref)), () => {});
      const rows = () => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;

      flaky.failing = true;
      record("0", "1");
      await expect(outbox.drain()).rejects.toThrow(/flaky/);
      expect(good.batches).toEqual([["0", "1"]]);
      // Kept for the sink that has not carried them.
      expect(rows()).toBe(2);

      record("2");
      await expect(outbox.drain()).rejects.toThrow(/flaky/);
      // The healthy sink got only what is new.
      expect(good.batches).toEqual([["0", "1"], ["2"]]);

      // Its progress survives a restart, so it would not redo its work then either.
      const restarted = new Outbox(state.storage, store, [recordingSink("good"), recordingSink("flaky")], () => {});
      restarted.load();
      expect(restarted.delivered("good")).toBe(outbox.delivered("good"));
      expect(restarted.delivered("flaky")).toBe(0);

      flaky.failing = false;
      await outbox.drain();
      expect(flaky.batches).toEqual([["0", "1", "2"]]);
      expect(good.batches).toEqual([["0", "1"], ["2"]]);
      // Every sink has carried every row: they are gone.
      expect(rows()).toBe(0);
      expect(outbox.pending()).toBe(false);
    });
  });

  it("rows are recorded only inside a change, and a rolled-back change leaves none", async () => {
    await runInDurableObject(conversationStub(newId("conversation")), async (_instance, state) => {
      migrate(state.storage.sql);
      const store = new ConversationStore(state.storage.sql);
      const sink = recordingSink("only");
      const outbox = new Outbox(state.storage, store, [sink], () => {});
      outbox.mode = "manual";
      expect(() => outbox.record("message", "0")).toThrow(/inside a change/);
      expect(() =>
        outbox.change(() => {
          outbox.record("message", "0");
          throw new Error("bad input");
        }, () => {}),
      ).toThrow("bad input");
      expect(outbox.pending()).toBe(false);
      await outbox.drain();
      expect(sink.batches).toEqual([]);
    });
  });

  it("passes carry exactly the committed rows, in order, through rollbacks, acks and a restart on an emptied table", async () => {
    await runInDurableObject(conversationStub(newId("conversation")), async (_instance, state) => {
      migrate(state.storage.sql);
      const store = new ConversationStore(state.storage.sql);
      const seqs: number[][] = [];
      const sink: Sink = { name: "only", deliver: async (batch: PassBatch) => void seqs.push(batch.rows.map((r) => r.seq)) };
      const emptyChange = (o: Outbox) => o.change(() => {}, () => {});
      let outbox = new Outbox(state.storage, store, [sink], () => {});
      outbox.mode = "manual";
      const record = (...r: string[]) => outbox.change(() => r.forEach((ref) => outbox.record("message", ref)), () => {});
      const table = () => state.storage.sql.exec<{ seq: number }>("SELECT seq FROM outbox ORDER BY seq").toArray().map((r) => r.seq);

      record("0", "1");
      await outbox.drain();
      record("2");
      // A change that fails takes its rows with it, whatever the object remembered of them.
      expect(() => outbox.change(() => { outbox.record("message", "x"); throw new Error("bad input"); }, () => {})).toThrow("bad input");
      record("3");
      expect(table()).toHaveLength(2);
      await outbox.drain();
      emptyChange(outbox); // the next change deletes what every sink has carried
      expect(table()).toEqual([]);

      // As after an eviction, on a table that is now empty: new rows still follow the old ones.
      outbox = new Outbox(state.storage, store, [sink], () => {});
      outbox.mode = "manual";
      outbox.load();
      record("4");
      await outbox.drain();
      record("5", "6");
      await outbox.drain();

      const all = seqs.flat();
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(new Set(all).size).toBe(all.length);
      expect(seqs.map((b) => b.length)).toEqual([2, 2, 1, 2]);
    });
  });
});
