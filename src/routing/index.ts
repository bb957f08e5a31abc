import type { Priority, Routing } from "../contract/agent";
import type { Env } from "../env";
import { err, type Outcome } from "../lib/problem";
import { detectLanguage } from "../ai/language";
import { conversationRpc, routingRpc } from "./stubs";

export { RoutingDO } from "./routing-do";
export { RoutingSink } from "./sink";

/** Customer messages read to detect the language, newest first. */
const LANGUAGE_SAMPLE_MESSAGES = 10;

export { routingRpc } from "./stubs";

/** What a conversation that needs a human asks for. Unset fields are worked out from the conversation. */
export type AgentRequest = {
  accountId: string;
  conversationId: string;
  /** A topic an agent must list as a skill; else the conversation's tags that are some agent's skill. */
  topic?: string;
  /** ISO 639-1; else detected offline from the customer's latest messages (src/ai/language.ts; unsure: any agent). */
  language?: string;
  priority?: Priority;
};

/**
 * Asks for a human agent for a conversation (the AI's handoff, and POST /v1/conversations/{id}/route):
 * assigned at once to the best agent that fits and is online, who is added to the conversation as an
 * `agent` participant; else queued until one frees a seat. Asking again for a conversation already
 * assigned answers its assignment; one already queued keeps its place and takes the new need.
 * A 404 for an unknown or foreign conversation, a 409 for a closed one.
 */
export async function requestAgent(env: Pick<Env, "ROUTING" | "CONVERSATION">, req: AgentRequest): Promise<Outcome<Routing>> {
  const conv = conversationRpc(env, req.conversationId);
  const got = await conv.get(req.accountId);
  if (!got.ok) return got;
  if (got.value.status === "closed") return err(409, "the conversation is closed; reopen it to route it", "path.conversation_id");
  let language = req.language?.toLowerCase() ?? null;
  if (language === null) {
    const page = await conv.listMessages(req.accountId, { order: "desc", limit: LANGUAGE_SAMPLE_MESSAGES });
    const said = page.ok ? page.value.data.filter((m) => m.author_kind === "customer").map((m) => m.body).join("\n") : "";
    language = said ? detectLanguage(said) : null;
  }
  return routingRpc(env, req.accountId).request(req.accountId, {
    conversationId: req.conversationId,
    topic: req.topic?.toLowerCase() ?? null,
    tags: got.value.tags,
    language,
    priority: req.priority ?? "normal",
  });
}
