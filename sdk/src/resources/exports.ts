// Exports: one conversation's transcript streamed as NDJSON, and bulk exports to R2.
import type { PagePromise } from "../pagination";
import type { BodyOf, ExportConversationLine, ExportMessageLine, ItemOf, ListParams, RequestOptions, ResponseOf } from "../types";
import { Resource, seg } from "./base";

type Exports_ = "/v1/exports";
export type Export = ResponseOf<"/v1/exports/{export_id}", "get">;
export type TranscriptLine = ExportConversationLine | ExportMessageLine;

/** The lines of an NDJSON body, parsed one at a time as the bytes arrive. */
async function* ndjson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim()) yield JSON.parse(line);
      }
      if (done) break;
    }
    if (buffered.trim()) yield JSON.parse(buffered);
  } finally {
    reader.releaseLock();
  }
}

export class Exports extends Resource {
  /** The conversation's whole transcript: its line first, then every message in index order, read as it streams. */
  async *transcript(conversationId: string, opts?: RequestOptions): AsyncGenerator<TranscriptLine> {
    const res = await this.ctx.http.request<Response>({ method: "GET", path: `/v1/conversations/${seg(conversationId)}/export`, stream: true }, opts);
    if (!res.body) return;
    yield* ndjson(res.body) as AsyncGenerator<TranscriptLine>;
  }

  /** A bulk export of the account's conversations (the listing's filters, a time range) to files behind signed links. */
  create(body: BodyOf<Exports_, "post">, opts?: RequestOptions): Promise<Export> {
    return this.ctx.http.request({ method: "POST", path: "/v1/exports", body }, opts);
  }

  list(params?: ListParams<Exports_>, opts?: RequestOptions): PagePromise<ItemOf<Exports_>> {
    return this.paginate("/v1/exports", params, opts);
  }

  get(exportId: string, opts?: RequestOptions): Promise<Export> {
    return this.ctx.http.request({ method: "GET", path: `/v1/exports/${seg(exportId)}` }, opts);
  }
}
