// The smaller resources: tokens, settings, search, media, an identity's inbox, and account
// administration (with the deployment's admin token as the client's key).
import type { PagePromise } from "../pagination";
import type { Account, ApiKey, BodyOf, InboxEntry, IssuedKey, ListParams, MediaResource, ParticipantToken, QueryOf, RequestOptions, ResponseOf, SearchResult, Settings, UpdatedSettings } from "../types";
import { Resource, seg } from "./base";

export class Tokens extends Resource {
  /** A participant token (JWT) for a browser or app: one identity, maybe only some conversations. */
  create(body: BodyOf<"/v1/tokens", "post">, opts?: RequestOptions): Promise<ParticipantToken> {
    return this.ctx.http.request({ method: "POST", path: "/v1/tokens", body }, opts);
  }
}

export class SettingsResource extends Resource {
  get(opts?: RequestOptions): Promise<Settings> {
    return this.ctx.http.request({ method: "GET", path: "/v1/settings" }, opts);
  }

  update(patch: BodyOf<"/v1/settings", "patch">, opts?: RequestOptions): Promise<UpdatedSettings> {
    return this.ctx.http.request({ method: "PATCH", path: "/v1/settings", body: patch }, opts);
  }
}

export class Search extends Resource {
  /** Best match first; `for await` goes through every page. */
  messages(params: ListParams<"/v1/search/messages">, opts?: RequestOptions): PagePromise<SearchResult> {
    return this.paginate("/v1/search/messages", params, opts);
  }
}

export type Upload = Blob | ArrayBuffer | Uint8Array;

export class MediaFiles extends Resource {
  /** Uploads a file (its bytes are the body); `contentType` defaults to a Blob's own type. */
  upload(file: Upload, options: { contentType?: string; filename?: string } = {}, opts?: RequestOptions): Promise<MediaResource> {
    const contentType = options.contentType ?? (file instanceof Blob ? file.type : "");
    if (!contentType) throw new TypeError("media.upload needs a contentType (or a Blob with a type)");
    const query: QueryOf<"/v1/media", "post"> = options.filename === undefined ? {} : { filename: options.filename };
    return this.ctx.http.request({ method: "POST", path: "/v1/media", query, body: file, contentType }, opts);
  }

  /** The resource, with a freshly signed URL. */
  get(mediaId: string, opts?: RequestOptions): Promise<MediaResource> {
    return this.ctx.http.request({ method: "GET", path: `/v1/media/${seg(mediaId)}` }, opts);
  }

  delete(mediaId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/media/${seg(mediaId)}` }, opts);
  }
}

export class Identities extends Resource {
  /** A chat identity's inbox, latest activity first, with unread counts (API key, or that identity's token). */
  conversations(identity: string, params?: ListParams<"/v1/identities/{identity}/conversations">, opts?: RequestOptions): PagePromise<InboxEntry> {
    return this.paginate(`/v1/identities/${seg(identity)}/conversations`, params, opts);
  }
}

/** Account administration: the client's key is the deployment's ADMIN_TOKEN here. */
export class Accounts extends Resource {
  create(body: BodyOf<"/v1/accounts", "post">, opts?: RequestOptions): Promise<ResponseOf<"/v1/accounts", "post"> & { account: Account; api_key: IssuedKey }> {
    return this.ctx.http.request({ method: "POST", path: "/v1/accounts", body }, opts);
  }

  readonly keys = {
    create: (accountId: string, body: BodyOf<"/v1/accounts/{account_id}/keys", "post"> = {}, opts?: RequestOptions): Promise<IssuedKey> =>
      this.ctx.http.request({ method: "POST", path: `/v1/accounts/${seg(accountId)}/keys`, body }, opts),
    list: (accountId: string, params?: ListParams<"/v1/accounts/{account_id}/keys">, opts?: RequestOptions): PagePromise<ApiKey> =>
      this.paginate(`/v1/accounts/${seg(accountId)}/keys`, params, opts),
    revoke: (accountId: string, keyId: string, opts?: RequestOptions): Promise<void> =>
      this.ctx.http.request({ method: "DELETE", path: `/v1/accounts/${seg(accountId)}/keys/${seg(keyId)}` }, opts),
  };
}
