import { describe, expect, it } from "vitest";
import { twoParticipants } from "./fixtures";
import { call } from "./helpers";

describe("conversation stream", () => {
  it("delivers ready, then message.added in order, typing to others only, presence and read", async () => {
    // (The fixture mints bob's token for the conversation and insists on its 201.)
    const { key, conv, openAda, openBob } = await twoParticipants();

    const ada = await openAda();
    const ready = await ada.next("ready");
    expect(ready.participant?.identity).toBe("ada");
    expect(ready.last_index).toBe(-1);

    const bob = await openBob();
    await bob.next("ready");
    const presence = await ada.next("presence");
    expect(presence.status).toBe("online");

    await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "one", author: "ada" } });
    await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { body: "two", author: "ada" } });
    expect((await bob.next("message.added")).message.index).toBe(0);
    expect((await bob.next("message.added")).message.index).toBe(1);

    bob.send({ type: "typing", state: "started" });
    const typing = await ada.next("typing");
    expect(typing.state).toBe("started");
    expect(typing.expires_at).not.toBeNull();

    bob.send({ type: "read", last_read_index: 1 });
    const read = await ada.next("read.updated", (f) => f.participant_id !== ready.participant?.id);
    expect(read.last_read_index).toBe(1);
    expect(read.unread_count).toBe(0);

    bob.send("{not json");
    expect((await bob.next("error")).code).toBe("bad_frame");

    bob.close();
    const offline = await ada.next("presence", (f) => f.status === "offline");
    expect(offline.participant_id).not.toBe(ready.participant?.id);
    expect(bob.frames.some((f) => f.type === "typing")).toBe(false);
    ada.close();
  });
});
