// End to end: the retention job as a developer runs it locally, through wrangler dev's
// /cdn-cgi/local/scheduled with the cron of wrangler.toml and a `time` (epoch ms) to judge it at.
import { describe, expect, it } from "vitest";
import { useLocalServer, type Reply } from "./local";

const local = useLocalServer("retention");
const api = local.api;
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Re-asks until `done` holds (the projection reaches D1 asynchronously); returns the last answer. */
async function eventually(ask: () => Promise<Reply>, done: (r: Reply) => boolean, ms = 10_000): Promise<Reply> {
  const deadline = Date.now() + ms;
  for (;;) {
    const reply = await ask();
    if (done(reply) || Date.now() > deadline) return reply;
    await sleep(100);
  }
}

/** `curl "$BASE/cdn-cgi/local/scheduled?cron=17+*+*+*+*&time=…"`. */
async function tick(time: number, cron = "17 * * * *"): Promise<number> {
  const res = await fetch(`${local.url()}/cdn-cgi/local/scheduled?${new URLSearchParams({ cron, time: String(time) })}`);
  await res.text();
  return res.status;
}

describe("the retention job under wrangler dev", () => {
  it("runs from /cdn-cgi/local/scheduled: messages past their period become tombstones, conversations past theirs go, a held one stays", async () => {
    const account = await api("POST", "/v1/accounts", { key: local.adminToken, body: { name: "Retention e2e" } });
    const key = account.body.api_key.key as string;
    expect((await api("PATCH", "/v1/settings", { key, body: { retention: { messages: "P30D", conversations: "P90D" } } })).status).toBe(200);
    const create = async (body: Record<string, unknown>) => (await api("POST", "/v1/conversations", { key, body: { message: { body: "a quoll was here" }, ...body } })).body.id as string;
    const plain = await create({});
    const held = await create({ legal_hold: true });
    // The job finds its work through D1: wait for the projection.
    await eventually(() => api("GET", "/v1/conversations", { key }), (r) => r.body.data?.length === 2);

    expect(await tick(Date.now() + 31 * DAY)).toBe(200);
    const history = await api("GET", `/v1/conversations/${plain}/messages`, { key });
    expect(history.body.data).toEqual([expect.objectContaining({ index: 0, body: "", deleted_at: expect.any(String) })]);
    expect((await api("GET", `/v1/conversations/${held}/messages`, { key })).body.data[0].body).toBe("a quoll was here");

    expect(await tick(Date.now() + 91 * DAY)).toBe(200);
    expect((await api("GET", `/v1/conversations/${plain}`, { key })).status).toBe(404);
    const listed = await eventually(() => api("GET", "/v1/conversations", { key }), (r) => r.body.data?.length === 1);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([held]);
    expect((await api("GET", `/v1/conversations/${held}/messages`, { key })).body.data[0].body).toBe("a quoll was here");

    // A cron the Worker has no job for is an error, not a silent retention run.
    expect(await tick(Date.now(), "* * * * *")).toBe(500);
  });
});
