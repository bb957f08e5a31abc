import type { PagePromise } from "../pagination";
import type { BodyOf, ListParams, Message, RequestOptions } from "../types";
import { Resource, seg } from "./base";

type Messages_ = "/v1/conversations/{conversation_id}/messages";
export type SendMessageBody = BodyOf<Messages_, "post">;
export type ListMessagesParams = ListParams<Messages_>;

export class Messages extends Resource {
  /** Stores a message (Idempotency-Key: `opts.idempotencyKey`, or one generated for this call and reused by its retries). */
  send(conversationId: string, body: SendMessageBody, opts?: RequestOptions): Promise<Message> {
    return this.ctx.http.request({ method: "POST", path: `/v1/conversations/${seg(conversationId)}/messages`, body, idempotencyKey: true }, opts);
  }

  /** Oldest first (`order: "desc"` for newest first); `for await` goes through every page. */
  list(conversationId: string, params?: ListMessagesParams, opts?: RequestOptions): PagePromise<Message> {
    return this.paginate(`/v1/conversations/${seg(conversationId)}/messages`, params, opts);
  }

  get(conversationId: string, messageId: string, opts?: RequestOptions): Promise<Message> {
    return this.ctx.http.request({ method: "GET", path: `/v1/conversations/${seg(conversationId)}/messages/${seg(messageId)}` }, opts);
  }

  /** Makes the message a tombstone (body and media erased, id and index kept); `message` is its id or its index. */
  delete(conversationId: string, message: string | number, opts?: RequestOptions): Promise<Message> {
    return this.ctx.http.request({ method: "DELETE", path: `/v1/conversations/${seg(conversationId)}/messages/${seg(String(message))}` }, opts);
  }
}
