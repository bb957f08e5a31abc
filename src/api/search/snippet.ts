/**
 * Search snippets as HTML (src/db/queries/search.ts makes them): FTS5's snippet() output with its
 * match markers turned into <mark> tags once the text is escaped, and a snippet for a scan's match,
 * which has no index to mark it.
 */

/** Private-use characters marking matches in highlight() and snippet() output, replaced by <mark> once the text is escaped. */
export const OPEN = "\uE000";
export const CLOSE = "\uE001";

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/**
 * snippet() output as HTML: the text escaped, the match markers as <mark> tags. A marker character
 * in the message itself (they are private-use characters, so it would be odd, not harmful) could
 * unbalance them, so tags are only opened when closed and closed when open.
 */
export function markup(marked: string): string {
  let html = "";
  let open = false;
  for (const part of marked.split(/([\uE000\uE001])/u)) {
    if (part === OPEN) {
      if (!open) html += "<mark>";
      open = true;
    } else if (part === CLOSE) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += escapeHtml(part);
    }
  }
  return open ? `${html}</mark>` : html;
}

/**
 * A snippet for a scan's match: the text around the first occurrence of a term, every occurrence
 * in it marked (case-insensitively, like the scan).
 */
export function textSnippet(body: string, positive: string[], context = 40): string {
  const chars = Array.from(body);
  const lower = chars.map((c) => c.toLowerCase());
  const needles = positive.map((t) => Array.from(t.toLowerCase())).filter((n) => n.length > 0);
  const at = (i: number) => needles.find((n) => n.every((c, k) => lower[i + k] === c));
  let first = chars.findIndex((_, i) => at(i) !== undefined);
  if (first < 0) first = 0;
  const start = Math.max(0, first - context);
  const end = Math.min(chars.length, first + context * 2);
  let html = start > 0 ? "…" : "";
  for (let i = start; i < end; ) {
    const n = at(i);
    if (n !== undefined) {
      html += `<mark>${escapeHtml(chars.slice(i, i + n.length).join(""))}</mark>`;
      i += n.length;
    } else {
      html += escapeHtml(chars[i]!);
      i++;
    }
  }
  return end < chars.length ? `${html}…` : html;
}
