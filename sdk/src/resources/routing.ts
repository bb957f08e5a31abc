// Agents (skills, languages, capacity) and routing a conversation to one of them.
import type { PagePromise } from "../pagination";
import { RealtimeAgent } from "../realtime/account";
import type { ReconnectOptions } from "../realtime/socket";
import type { BodyOf, ItemOf, ListParams, RequestOptions, ResponseOf } from "../types";
import { Resource, seg } from "./base";

type Agents_ = "/v1/agents";
type Agent_ = "/v1/agents/{identity}";
type Route_ = "/v1/conversations/{conversation_id}/route";

export type Agent = ResponseOf<Agent_, "get">;
export type Routing = ResponseOf<Route_, "get">;

export class Agents extends Resource {
  create(body: BodyOf<Agents_, "post">, opts?: RequestOptions): Promise<Agent> {
    return this.ctx.http.request({ method: "POST", path: "/v1/agents", body }, opts);
  }

  list(params?: ListParams<Agents_>, opts?: RequestOptions): PagePromise<ItemOf<Agents_>> {
    return this.paginate("/v1/agents", params, opts);
  }

  get(identity: string, opts?: RequestOptions): Promise<Agent> {
    return this.ctx.http.request({ method: "GET", path: `/v1/agents/${seg(identity)}` }, opts);
  }

  update(identity: string, patch: BodyOf<Agent_, "patch">, opts?: RequestOptions): Promise<ResponseOf<Agent_, "patch">> {
    return this.ctx.http.request({ method: "PATCH", path: `/v1/agents/${seg(identity)}`, body: patch }, opts);
  }

  delete(identity: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/agents/${seg(identity)}` }, opts);
  }

  /** The agent's own stream (API key, or that identity's token): holding it makes the agent available; `conversation.assigned` frames. */
  connect(identity: string, options?: ReconnectOptions): RealtimeAgent {
    return new RealtimeAgent(this.ctx.sockets(), identity, options);
  }
}

export class RoutingResource extends Resource {
  /** Asks for an agent: assigned at once when one is free and fits, else queued. */
  route(conversationId: string, body: BodyOf<Route_, "post">, opts?: RequestOptions): Promise<Routing> {
    return this.ctx.http.request({ method: "POST", path: `/v1/conversations/${seg(conversationId)}/route`, body }, opts);
  }

  get(conversationId: string, opts?: RequestOptions): Promise<Routing> {
    return this.ctx.http.request({ method: "GET", path: `/v1/conversations/${seg(conversationId)}/route` }, opts);
  }

  /** Conversations waiting for an agent, next first. */
  queue(params?: ListParams<"/v1/routing/queue">, opts?: RequestOptions): PagePromise<ItemOf<"/v1/routing/queue">> {
    return this.paginate("/v1/routing/queue", params, opts);
  }
}
