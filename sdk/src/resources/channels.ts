import type { PagePromise } from "../pagination";
import type { BodyOf, ChannelConnection, ListParams, RequestOptions } from "../types";
import { Resource, seg } from "./base";

type List = "/v1/channels";
type One = "/v1/channels/{channel_id}";

/** Provider connections. Credentials go in and never come back (only which fields are set, and their last 4 characters). */
export class Channels extends Resource {
  create(body: BodyOf<List, "post">, opts?: RequestOptions): Promise<ChannelConnection> {
    return this.ctx.http.request({ method: "POST", path: "/v1/channels", body }, opts);
  }

  get(channelId: string, opts?: RequestOptions): Promise<ChannelConnection> {
    return this.ctx.http.request({ method: "GET", path: `/v1/channels/${seg(channelId)}` }, opts);
  }

  list(params?: ListParams<List>, opts?: RequestOptions): PagePromise<ChannelConnection> {
    return this.paginate("/v1/channels", params, opts);
  }

  update(channelId: string, patch: BodyOf<One, "patch">, opts?: RequestOptions): Promise<ChannelConnection> {
    return this.ctx.http.request({ method: "PATCH", path: `/v1/channels/${seg(channelId)}`, body: patch }, opts);
  }

  delete(channelId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/channels/${seg(channelId)}` }, opts);
  }
}
