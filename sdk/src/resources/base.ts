import type { Http } from "../http";
import { PagePromise, type PageBody } from "../pagination";
import type { ConversationSocketConfig } from "../realtime/conversation";
import type { RequestOptions } from "../types";

/** What every resource is given: the HTTP transport, and how to open sockets (asked lazily: Node 20 has no WebSocket until one is injected). */
export type Context = { http: Http; sockets: () => ConversationSocketConfig };

/** A path segment: ids and identities are escaped, so an odd one cannot change the route. */
export const seg = encodeURIComponent;

export abstract class Resource {
  constructor(protected readonly ctx: Context) {}

  protected paginate<T>(path: string, params: object | undefined, opts?: RequestOptions): PagePromise<T> {
    return new PagePromise<T>((cursor) => this.ctx.http.request<PageBody<T>>({ method: "GET", path, query: { ...params, cursor } }, opts));
  }
}
