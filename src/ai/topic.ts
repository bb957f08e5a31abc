import { confidenceOf } from "./confidence";
import { retrieve } from "./retrieve";

/**
 * The knowledge-base topic a customer's text is about: the `topic` of the document whose passage
 * answers it best, when the match is at least reviewable. Exported for routing (agents' skills).
 */
const MIN_CONFIDENCE = 0.3;

export async function matchTopic(db: D1Database, accountId: string, text: string): Promise<{ topic: string; document_id: string; confidence: number } | null> {
  const r = await retrieve(db, accountId, text);
  const best = r.passages[0];
  const confidence = confidenceOf(r.features);
  if (!best?.topic || confidence < MIN_CONFIDENCE) return null;
  return { topic: best.topic, document_id: best.document_id, confidence };
}
