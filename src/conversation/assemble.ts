import type { Env } from "../env";
import { LIMITS } from "../lib/limits";
import { RoutingSink } from "../routing/sink";
import * as deletion from "./commands/deletion";
import * as drafts from "./commands/drafts";
import { ConversationCore } from "./core";
import { fire as fireLifecycle } from "./lifecycle/lifecycle";
import { Outbox } from "./outbox/outbox";
import { AssistSink } from "./outbox/sinks/assist";
import { D1Sink } from "./outbox/sinks/d1";
import { DeliverySink } from "./outbox/sinks/delivery";
import { DraftsSink } from "./outbox/sinks/drafts";
import { hasSchema, migrate } from "./schema";
import { Live } from "./sockets/live";
import { Room } from "./sockets/room";
import { SWEEP_EVERY_MS } from "./sockets/upgrade";
import { ConversationStore } from "./store";
import { Timers } from "./timers";

/** The parts of one conversation object, wired together. */
export type Assembled = {
  store: ConversationStore;
  room: Room;
  live: Live;
  timers: Timers;
  outbox: Outbox;
  core: ConversationCore;
};

/**
 * Builds a conversation object's parts from its state and bindings, and starts it: the alarm's
 * duties (timers.ts), the outbox's sinks in the order they are carried (D1 first: the account
 * stream and everything that reads D1 come after it), and the start-up sequence. Called from the
 * ConversationDO's constructor; a new capability's sink or duty is one line here.
 */
export function assemble(ctx: DurableObjectState, env: Env): Assembled {
  const store = new ConversationStore(ctx.storage.sql);
  const room = new Room(ctx);
  const live = new Live(room, store);
  // The duties close over `outbox` and `core`, built below: they only run once the alarm fires.
  const timers: Timers = new Timers(ctx.storage, {
    outbox: async () => {
      await outbox.onAlarm();
      return null;
    },
    liveness: (now) => {
      live.sweep(now);
      return room.sockets().length > 0 ? now + SWEEP_EVERY_MS : null;
    },
    lifecycle: (now) => fireLifecycle(core, now),
    drafts: (now) => drafts.expire(core, now),
    erase: (now) => deletion.erase(core, ctx.storage, env.DB, now),
    idempotency: (now) => {
      store.idempotency.forgetBefore(now - LIMITS.idempotencyWindowMs);
      const oldest = store.idempotency.oldestAt();
      return oldest === null ? null : oldest + LIMITS.idempotencyWindowMs;
    },
  });
  const sinks = [new D1Sink(env), new DeliverySink(env), new RoutingSink(env), new AssistSink(env), new DraftsSink(env)];
  const outbox: Outbox = new Outbox(ctx.storage, store, sinks, (at) => timers.schedule("outbox", at));
  // Synchronous, so it completes before any request is delivered. Only `create` gives a schema to
  // an object that has none, so probing an unknown id leaves no storage behind (see hasSchema).
  const created = hasSchema(ctx.storage.sql);
  const core: ConversationCore = new ConversationCore(store, room, outbox, timers, created);
  if (!created) {
    timers.none();
    return { store, room, live, timers, outbox, core };
  }
  migrate(ctx.storage.sql);
  outbox.load();
  void ctx.blockConcurrencyWhile(async () => {
    await timers.load();
    // An alarm that exhausted its retries (say, through a D1 outage) leaves work with nothing
    // scheduled; the outbox asks for the alarm again whenever the object starts with work pending.
    if (outbox.pending()) timers.schedule("outbox", Date.now());
  });
  return { store, room, live, timers, outbox, core };
}
