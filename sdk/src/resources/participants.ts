import type { PagePromise } from "../pagination";
import type { BodyOf, ListParams, Participant, RequestOptions, ResponseOf } from "../types";
import { Resource, seg } from "./base";

type List = "/v1/conversations/{conversation_id}/participants";
type Read = "/v1/conversations/{conversation_id}/participants/{participant_id}/read";

const path = (conversationId: string, participantId?: string) =>
  `/v1/conversations/${seg(conversationId)}/participants${participantId === undefined ? "" : `/${seg(participantId)}`}`;

export class Participants extends Resource {
  /** Adds a participant (Idempotency-Key generated once, reused by retries). */
  add(conversationId: string, body: BodyOf<List, "post">, opts?: RequestOptions): Promise<Participant> {
    return this.ctx.http.request({ method: "POST", path: path(conversationId), body, idempotencyKey: true }, opts);
  }

  list(conversationId: string, params?: ListParams<List>, opts?: RequestOptions): PagePromise<Participant> {
    return this.paginate(path(conversationId), params, opts);
  }

  get(conversationId: string, participantId: string, opts?: RequestOptions): Promise<Participant> {
    return this.ctx.http.request({ method: "GET", path: path(conversationId, participantId) }, opts);
  }

  remove(conversationId: string, participantId: string, opts?: RequestOptions): Promise<void> {
    return this.ctx.http.request({ method: "DELETE", path: path(conversationId, participantId) }, opts);
  }

  /** Moves the participant's read horizon (unread counts, `read.updated` on sockets). */
  markRead(conversationId: string, participantId: string, lastReadIndex: number, opts?: RequestOptions): Promise<ResponseOf<Read, "post">> {
    return this.ctx.http.request({ method: "POST", path: `${path(conversationId, participantId)}/read`, body: { last_read_index: lastReadIndex } }, opts);
  }
}
