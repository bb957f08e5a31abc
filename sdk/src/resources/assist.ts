// AI assistance and handoffs: reply drafts to approve or reject, the knowledge base they answer
// from, and a conversation's handoff to a human agent.
import type { PagePromise } from "../pagination";
import type { BodyOf, ItemOf, ListParams, RequestOptions, ResponseOf } from "../types";
import { Resource, seg } from "./base";

type Drafts_ = "/v1/drafts";
type Draft_ = "/v1/drafts/{draft_id}";
type Knowledge_ = "/v1/knowledge";
type Document_ = "/v1/knowledge/{document_id}";
type Handoff_ = "/v1/conversations/{conversation_id}/handoff";

export type Draft = ResponseOf<Draft_, "get">;
export type KnowledgeDocument = ResponseOf<Document_, "get">;
export type KnowledgePassage = ResponseOf<"/v1/knowledge/passages/{passage_id}", "get">;
export type Handoff = ResponseOf<Handoff_, "get">;

export class Drafts extends Resource {
  list(params?: ListParams<Drafts_>, opts?: RequestOptions): PagePromise<ItemOf<Drafts_>> {
    return this.paginate("/v1/drafts", params, opts);
  }

  get(draftId: string, opts?: RequestOptions): Promise<Draft> {
    return this.ctx.http.request({ method: "GET", path: `/v1/drafts/${seg(draftId)}` }, opts);
  }

  /** Sends the draft (as written, or with your edits) as the agent's message. */
  approve(draftId: string, body: BodyOf<"/v1/drafts/{draft_id}/approve", "post">, opts?: RequestOptions): Promise<Draft> {
    return this.ctx.http.request({ method: "POST", path: `/v1/drafts/${seg(draftId)}/approve`, body }, opts);
  }

  reject(draftId: string, body: BodyOf<"/v1/drafts/{draft_id}/reject", "post">, opts?: RequestOptions): Promise<Draft> {
    return this.ctx.http.request({ method: "POST", path: `/v1/drafts/${seg(draftId)}/reject`, body }, opts);
  }
}

export class Knowledge extends Resource {
  create(body: BodyOf<Knowledge_, "post">, opts?: RequestOptions): Promise<KnowledgeDocument> {
    return this.ctx.http.request({ method: "POST", path: "/v1/knowledge", body }, opts);
  }

  list(params?: ListParams<Knowledge_>, opts?: RequestOptions): PagePromise<ItemOf<Knowledge_>> {
    return this.paginate("/v1/knowledge", params, opts);
  }

  get(documentId: string, opts?: RequestOptions): Promise<KnowledgeDocument> {
    return this.ctx.http.request({ method: "GET", path: `/v1/knowledge/${seg(documentId)}` }, opts);
  }

  update(documentId: string, patch: BodyOf<Document_, "patch">, opts?: RequestOptions): Promise<ResponseOf<Document_, "patch">> {
    return this.ctx.http.request({ method: "PATCH", path: `/v1/knowledge/${seg(documentId)}`, body: patch }, opts);
  }

  delete(documentId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/knowledge/${seg(documentId)}` }, opts);
  }

  passage(passageId: string, opts?: RequestOptions): Promise<KnowledgePassage> {
    return this.ctx.http.request({ method: "GET", path: `/v1/knowledge/passages/${seg(passageId)}` }, opts);
  }
}

export class Handoffs extends Resource {
  get(conversationId: string, opts?: RequestOptions): Promise<Handoff> {
    return this.ctx.http.request({ method: "GET", path: `/v1/conversations/${seg(conversationId)}/handoff` }, opts);
  }

  update(conversationId: string, patch: BodyOf<Handoff_, "patch">, opts?: RequestOptions): Promise<ResponseOf<Handoff_, "patch">> {
    return this.ctx.http.request({ method: "PATCH", path: `/v1/conversations/${seg(conversationId)}/handoff`, body: patch }, opts);
  }

  /** Asks for a human agent. */
  request(conversationId: string, opts?: RequestOptions): Promise<Handoff> {
    return this.ctx.http.request({ method: "POST", path: `/v1/conversations/${seg(conversationId)}/handoff/request`, body: {} }, opts);
  }

  accept(conversationId: string, body: BodyOf<"/v1/conversations/{conversation_id}/handoff/accept", "post">, opts?: RequestOptions): Promise<Handoff> {
    return this.ctx.http.request({ method: "POST", path: `/v1/conversations/${seg(conversationId)}/handoff/accept`, body }, opts);
  }
}
