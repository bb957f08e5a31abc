import type { Conversation } from "../contract/conversation";
import type { Message } from "../contract/message";
import type { Outcome } from "../lib/problem";
import { LIMITS } from "../lib/limits";
import { conversationLine, messageLine } from "./lines";

/** What a transcript reads its messages through: the conversation's Durable Object (its `listMessages` RPC). */
export type TranscriptSource = {
  listMessages(accountId: string, q: { order: "asc"; after: number; before: number; limit: number }): Promise<Outcome<{ data: Message[]; next: number | null }>>;
};

const encoder = new TextEncoder();

/**
 * A conversation's whole transcript as NDJSON, read from its Durable Object (the source of truth:
 * read-your-writes) a page at a time as the client reads. The stream pulls the next page only when
 * its queue is empty (highWaterMark 1 chunk, a page's lines), so however long the conversation,
 * at most a page waits in memory, and a client that reads slowly slows the reads from the object.
 *
 * The messages are those the conversation had when the export began (`conversation.message_count`
 * in its line): indexes 0 to message_count − 1, gapless, each once; a message sent meanwhile is the
 * next export's. A conversation deleted mid-way errors the stream (the response ends short).
 */
export function transcriptStream(source: TranscriptSource, accountId: string, conversation: Conversation, pageMessages: number = LIMITS.exportPageMessages): ReadableStream<Uint8Array> {
  const end = conversation.message_count;
  let after = -1;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(conversationLine(conversation)));
          if (end === 0) controller.close();
          return;
        }
        const page = await source.listMessages(accountId, { order: "asc", after, before: end, limit: pageMessages });
        if (!page.ok) {
          controller.error(new Error(`conversation ${conversation.id}: ${page.problem.detail} during its export`));
          return;
        }
        const { data, next } = page.value;
        if (data.length > 0) {
          controller.enqueue(encoder.encode(data.map(messageLine).join("")));
          after = data[data.length - 1]!.index;
        }
        if (next === null || data.length === 0) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
