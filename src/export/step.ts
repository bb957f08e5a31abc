import type { Env } from "../env";
import type { ListingFilters } from "../db/queries/conversations";
import { LIMITS } from "../lib/limits";
import { ExportCursor, exportKey, tailKey, type ExportRow, type UploadedPart } from "./job";
import { storedConversationLine, storedMessageLine } from "./lines";
import { PartWriter } from "./parts";
import { conversationsAfter, messagesAfter, type ConversationRef, type Range } from "./reads";
import type { StepRecord } from "./store";

/** Bounds of one step; tests make them small to cut an export into many steps. */
export type StepBounds = { sliceLines?: number; readRows?: number; stepReads?: number; partBytes?: number };

/**
 * One bounded step of a bulk export: from the recorded place, at most `sliceLines` lines (a
 * conversation, or a message) in at most `stepReads` D1 reads, written on, full parts uploaded as they fill, and
 * the bytes past the last part staged in R2 under the next step's number. Writes nothing to D1:
 * it returns what the caller records, in one conditional statement, which is what makes the
 * step happen. A step that stops before recording is done again from the same place, its parts
 * and staged tail written again over its own earlier ones (same numbers, same keys).
 */
export async function runStep(env: Env, row: ExportRow, bounds: StepBounds = {}): Promise<{ record: StepRecord; done: boolean }> {
  const sliceLines = bounds.sliceLines ?? LIMITS.exportSliceLines;
  const readRows = bounds.readRows ?? LIMITS.exportReadRows;
  const filters = JSON.parse(row.filters) as ListingFilters;
  const range: Range = { from: row.rangeFrom, to: row.rangeTo };
  const writer = new PartWriter(env.MEDIA, exportKey(row), bounds.partBytes ?? LIMITS.exportPartBytes, row.uploadId, JSON.parse(row.parts) as UploadedPart[]);
  if (row.tailBytes > 0) {
    const staged = await env.MEDIA.get(tailKey(row, row.step));
    if (staged === null || staged.size !== row.tailBytes) throw new Error(`export ${row.id}: the staged bytes of step ${row.step} are missing`);
    writer.append(new Uint8Array(await staged.arrayBuffer()));
  }

  let cursor: ExportCursor | null = row.cursor === null ? null : ExportCursor.parse(JSON.parse(row.cursor));
  let budget = sliceLines;
  let reads = bounds.stepReads ?? LIMITS.exportStepReads;
  let conversationsDone = row.conversationsDone;
  let messagesDone = row.messagesDone;
  let next: (ConversationRef & { resource: string })[] = [];
  let lastPage = false;
  let done = false;
  while (budget > 0 && reads > 0) {
    if (cursor !== null) {
      const limit = Math.min(readRows, budget);
      reads--;
      const page = await messagesAfter(env.DB, row.accountId, cursor.conversation.id, range, cursor.after_index, limit);
      for (const m of page) {
        await writer.write(storedMessageLine(m.resource));
        cursor.after_index = m.index;
      }
      messagesDone += page.length;
      budget -= page.length;
      if (page.length === limit) continue;
    }
    // This conversation is written: the next one, from a page read ahead.
    if (next.length === 0 && !lastPage) {
      if (reads-- === 0) break;
      next = await conversationsAfter(env.DB, row.accountId, filters, range, cursor?.conversation ?? null, readRows);
      lastPage = next.length < readRows;
    }
    const conversation = next.shift();
    if (conversation === undefined) {
      done = true;
      break;
    }
    await writer.write(storedConversationLine(conversation.resource));
    conversationsDone++;
    budget--;
    cursor = { conversation: { id: conversation.id, created_at: conversation.created_at }, after_index: -1 };
  }

  const progress = { cursor: cursor === null ? null : JSON.stringify(cursor), conversationsDone, messagesDone };
  if (done) {
    const size = await writer.finish();
    return { done, record: { ...progress, uploadId: writer.uploadId, parts: JSON.stringify(writer.parts), tailBytes: 0, bytesDone: size, status: "completed", completedAt: Date.now() } };
  }
  const bytesDone = writer.written;
  const tail = writer.takeTail();
  if (tail.byteLength > 0) await env.MEDIA.put(tailKey(row, row.step + 1), tail);
  return { done, record: { ...progress, uploadId: writer.uploadId, parts: JSON.stringify(writer.parts), tailBytes: tail.byteLength, bytesDone } };
}
