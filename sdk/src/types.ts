// The SDK's public types. REST shapes come from the generated `openapi.gen.ts` (the server's
// /openapi.json); WebSocket frames and the event envelope from the server's own contract, imported
// as types only, so one union is shared by server and client and nothing of zod ships.
import type { components, paths } from "./openapi.gen";

export type { components, paths } from "./openapi.gen";
export type { AccountFrame, ClientFrame, ServerFrame } from "../../src/contract/frames";
export type { EventEnvelope as WebhookEvent, EventType } from "../../src/contract/events";
export type { AgentFrame } from "../../src/contract/agent";
export type { ConversationLine as ExportConversationLine, MessageLine as ExportMessageLine } from "../../src/contract/export";

type Schemas = components["schemas"];

export type Conversation = Schemas["Conversation"];
export type CreatedConversation = Schemas["CreatedConversation"];
export type CreateConversation = Schemas["CreateConversation"];
export type UpdateConversation = Schemas["UpdateConversation"];
export type Participant = Schemas["Participant"];
export type AddParticipant = Schemas["AddParticipant"];
/** The document marks Message nullable where a conversation is created without one; a message itself is never null. */
export type Message = NonNullable<Schemas["Message"]>;
export type SendMessage = Schemas["SendMessage"];
export type Delivery = Schemas["Delivery"];
export type Contact = Schemas["Contact"];
export type CreateContact = Schemas["CreateContact"];
export type UpdateContact = Schemas["UpdateContact"];
export type ChannelConnection = Schemas["ChannelConnection"];
export type CreateChannel = Schemas["CreateChannel"];
export type UpdateChannel = Schemas["UpdateChannel"];
export type Webhook = Schemas["Webhook"];
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
export type CreateWebhook = Schemas["CreateWebhook"];
export type UpdateWebhook = Schemas["UpdateWebhook"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookReplayRange = Schemas["WebhookReplayRange"];
export type WebhookReplayQueued = Schemas["WebhookReplayQueued"];
export type MintToken = Schemas["MintToken"];
export type ParticipantToken = Schemas["ParticipantToken"];
export type Settings = Schemas["Settings"];
export type UpdateSettings = Schemas["UpdateSettings"];
export type UpdatedSettings = Schemas["UpdatedSettings"];
export type InboxEntry = Schemas["InboxEntry"];
export type MediaResource = Schemas["MediaResource"];
export type SearchResult = Schemas["SearchResult"];
export type Account = Schemas["Account"];
export type IssuedKey = Schemas["IssuedKey"];
export type ApiKey = Schemas["ApiKey"];
/** An RFC 9457 problem document; `errors[].path` names the field at fault (`body.participants[0].address`). */
export type ProblemDocument = Schemas["Problem"];

type Method = "get" | "post" | "patch" | "put" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The query parameters of a route, as the document declares them. */
export type QueryOf<P extends keyof paths, M extends Method = "get"> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** What a route answers on success (its 200, 201 or 202; undefined for a 204). */
export type ResponseOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? 200 extends keyof R ? JsonOf<R[200]> : 201 extends keyof R ? JsonOf<R[201]> : 202 extends keyof R ? JsonOf<R[202]> : undefined
    : never;

/** The item type of a list route. */
export type ItemOf<P extends keyof paths> = ResponseOf<P, "get"> extends { data: (infer T)[] } ? T : never;

/** A list route's query without the cursor, which pagination carries. */
export type ListParams<P extends keyof paths> = Omit<QueryOf<P>, "cursor">;

/** Per-call options. */
export type RequestOptions = {
  /** Aborts the call (all its tries). */
  signal?: AbortSignal;
  /** Overrides the client's per-try timeout. */
  timeoutMs?: number;
  /** Overrides the client's retry count. */
  maxRetries?: number;
  /** For routes that take one: the Idempotency-Key to send (default: one generated for this call). */
  idempotencyKey?: string;
  headers?: Record<string, string>;
};
