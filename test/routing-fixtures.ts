import { call, newConversation, sleep } from "./helpers";
import { open, type Client } from "./ws";

/** Agents and their presence sockets for the routing suites. */

export async function newAgent(key: string, body: Record<string, unknown>) {
  const res = await call("POST", "/v1/agents", { key, body });
  if (res.status !== 201) throw new Error(`agent creation failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** An agent that is online: created, then holding its presence socket. */
export async function onlineAgent(key: string, body: Record<string, unknown>): Promise<{ agent: any; socket: Client }> {
  const agent = await newAgent(key, body);
  const socket = await open(`/v1/agents/${encodeURIComponent(agent.identity)}/stream`, { key });
  return { agent, socket };
}

export const route = (key: string, conversationId: string, body: Record<string, unknown> = {}) =>
  call("POST", `/v1/conversations/${conversationId}/route`, { key, body });

/** Polls the conversation's routing until `done` holds (the seat freeing runs off the request path). */
export async function routingUntil(key: string, conversationId: string, done: (r: any) => boolean, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/v1/conversations/${conversationId}/route`, { key });
    if (res.status === 200 && done(res.json)) return res.json;
    if (Date.now() > deadline) throw new Error(`routing of ${conversationId} never matched: ${res.status} ${JSON.stringify(res.json)}`);
    await sleep(25);
  }
}

export async function participantsOf(key: string, conversationId: string): Promise<any[]> {
  const res = await call("GET", `/v1/conversations/${conversationId}/participants`, { key });
  return res.json.data;
}

/** A conversation whose customer has written `said` (on chat), for language detection. */
export async function conversationSaying(key: string, said: string, extra: Record<string, unknown> = {}) {
  const conv = await newConversation(key, { participants: [{ kind: "customer", identity: `cust-${crypto.randomUUID()}` }], ...extra });
  const customer = conv.participants?.[0]?.id ?? (await participantsOf(key, conv.id))[0].id;
  const sent = await call("POST", `/v1/conversations/${conv.id}/messages`, { key, body: { author: customer, body: said } });
  if (sent.status !== 201) throw new Error(`send failed: ${sent.status} ${JSON.stringify(sent.json)}`);
  return conv;
}
