import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Identity, Timestamp } from "./common";

/**
 * Agents and routing: who can take a conversation that needs a human, and where each such
 * conversation stands (assigned to an agent, or waiting in the account's queue).
 */

/** A skill is a topic an agent takes (matched against the topic asked for, or the conversation's tags). */
const Skill = z
  .string()
  .min(1)
  .max(LIMITS.tagChars)
  .transform((s) => s.toLowerCase())
  .openapi({ example: "billing" });

/** ISO 639-1, lowercased: what the offline detector answers and agents list. */
export const Language = z
  .string()
  .regex(/^[a-zA-Z]{2}$/, "a language is a two-letter ISO 639-1 code, such as en or es")
  .transform((s) => s.toLowerCase())
  .openapi({ example: "en" });

/**
 * An agent's own say on taking work: `available` takes new conversations while the agent is online;
 * `away` keeps what it has and takes nothing new; `offline` likewise. Online is presence, not this.
 */
export const AgentStatus = z.enum(["available", "away", "offline"]).openapi("AgentStatus");
export type AgentStatus = z.infer<typeof AgentStatus>;

/** Queue order: higher first, then the longest waiting. */
export const Priority = z.enum(["low", "normal", "high", "urgent"]).openapi("Priority");
export type Priority = z.infer<typeof Priority>;
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

const Skills = z.array(Skill).max(LIMITS.agentSkills);
const Languages = z.array(Language).max(LIMITS.agentLanguages);
const Capacity = z.number().int().min(0).max(LIMITS.agentCapacityMax).openapi({ description: "Conversations the agent holds at once; 0 takes none." });

export const CreateAgent = z
  .object({
    identity: Identity.openapi({ description: "The chat identity the agent uses in conversations and on sockets (participant tokens name it)." }),
    name: z.string().min(1).max(200).optional(),
    skills: Skills.default([]).openapi({ description: "Topics the agent takes. An agent with none takes conversations with no topic only." }),
    languages: Languages.default([]).openapi({ description: "Languages the agent answers in (ISO 639-1). An agent with none takes any language." }),
    capacity: Capacity.default(LIMITS.agentCapacityDefault),
    status: AgentStatus.default("available"),
  })
  .strict()
  .openapi("CreateAgent");
export type CreateAgent = z.infer<typeof CreateAgent>;

export const UpdateAgent = z
  .object({
    name: z.string().min(1).max(200).nullable().optional(),
    skills: Skills.optional(),
    languages: Languages.optional(),
    capacity: Capacity.optional(),
    status: AgentStatus.optional(),
  })
  .strict()
  .openapi("UpdateAgent");
export type UpdateAgent = z.infer<typeof UpdateAgent>;

export const Agent = z
  .object({
    identity: z.string(),
    name: z.string().nullable(),
    skills: z.array(z.string()),
    languages: z.array(z.string()),
    capacity: z.number().int(),
    status: AgentStatus,
    online: z.boolean().openapi({ description: "Whether the agent holds a live socket on GET /v1/agents/{identity}/stream." }),
    load: z.number().int().openapi({ description: "Conversations assigned to the agent now." }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("Agent");
export type Agent = z.infer<typeof Agent>;

/** `POST /v1/conversations/{id}/route`: what the conversation needs. */
export const RouteConversation = z
  .object({
    topic: Skill.optional().openapi({ description: "The topic an agent must have as a skill. Without it, the conversation's tags that are some agent's skill." }),
    language: Language.optional().openapi({ description: "The customer's language. Without it, detected offline from the customer's latest messages." }),
    priority: Priority.default("normal"),
  })
  .strict()
  .openapi("RouteConversation");
export type RouteConversation = z.infer<typeof RouteConversation>;

/** Where a conversation stands in routing. */
export const Routing = z
  .object({
    conversation_id: z.string(),
    status: z.enum(["assigned", "queued"]),
    agent: z.string().nullable().openapi({ description: "The assigned agent's identity; null while queued." }),
    participant_id: z.string().nullable().openapi({ description: "The agent's participant in the conversation; null until the add has gone through." }),
    topics: z.array(z.string()),
    language: z.string().nullable(),
    priority: Priority,
    requested_at: Timestamp,
    assigned_at: Timestamp.nullable(),
    waiting_ms: z.number().int().openapi({ description: "How long it waited (so far, while queued)." }),
    position: z.number().int().nullable().openapi({ description: "1 for the next to be assigned; null once assigned." }),
  })
  .openapi("Routing");
export type Routing = z.infer<typeof Routing>;

/** Frames on the agent's own socket (server to client). */
export type AgentFrame =
  | { type: "ready"; identity: string }
  | { type: "conversation.assigned"; routing: Routing };
