import type { PagePromise } from "../pagination";
import type { BodyOf, Contact, ListParams, RequestOptions } from "../types";
import { Resource, seg } from "./base";

type List = "/v1/contacts";
type One = "/v1/contacts/{contact_id}";

export class Contacts extends Resource {
  create(body: BodyOf<List, "post">, opts?: RequestOptions): Promise<Contact> {
    return this.ctx.http.request({ method: "POST", path: "/v1/contacts", body }, opts);
  }

  get(contactId: string, opts?: RequestOptions): Promise<Contact> {
    return this.ctx.http.request({ method: "GET", path: `/v1/contacts/${seg(contactId)}` }, opts);
  }

  /** Newest first; `address` finds a contact by any spelling of it. */
  list(params?: ListParams<List>, opts?: RequestOptions): PagePromise<Contact> {
    return this.paginate("/v1/contacts", params, opts);
  }

  update(contactId: string, patch: BodyOf<One, "patch">, opts?: RequestOptions): Promise<Contact> {
    return this.ctx.http.request({ method: "PATCH", path: `/v1/contacts/${seg(contactId)}`, body: patch }, opts);
  }

  delete(contactId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/contacts/${seg(contactId)}` }, opts);
  }

  /** Moves every address of `fromContactId` onto this contact. */
  merge(contactId: string, fromContactId: string, opts?: RequestOptions): Promise<Contact> {
    return this.ctx.http.request({ method: "POST", path: `/v1/contacts/${seg(contactId)}/merge`, body: { from: fromContactId } }, opts);
  }
}
