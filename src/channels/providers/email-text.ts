/**
 * What every inbound email path does to a message's text and threading headers, whichever
 * provider carried it: message ids without brackets, HTML turned into text, and the quoted history
 * of a reply taken off so it is not stored again as new text.
 */

/** Message ids without their angle brackets, so In-Reply-To and References match a stored Message-Id. */
export function messageIds(value: string | undefined): string[] {
  if (value === undefined) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] ?? "");
  return bracketed.length > 0 ? bracketed : value.split(/\s+/).filter(Boolean);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (!name.startsWith("#")) return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Markers left where tags were: a blockquote opens or closes, a block ends a line, a paragraph leaves a blank one. */
const QUOTE_OPEN = "\u0001";
const QUOTE_CLOSE = "\u0002";
const BLOCK = "\u0003";
const PARAGRAPH = "\u0004";

/**
 * The text of an HTML-only mail, simply: `<br>` is a line break, the edges of blocks end lines
 * (several edges in a row, one break), paragraphs and headings leave a blank line, other tags go,
 * and entities are decoded. A `<blockquote>` (how HTML clients quote the mail answered) comes out
 * as `> ` lines, the way plain-text clients quote, so stripQuoted takes the history off both alike.
 */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/[\u0001-\u0004]/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    // HTML whitespace is not layout: the line breaks come from the tags below.
    .replace(/\s+/g, " ")
    .replace(/<br\b[^>]*>/gi, "\n")
    .replace(/<blockquote\b[^>]*>/gi, `${BLOCK}${QUOTE_OPEN}`)
    .replace(/<\/blockquote\s*>/gi, `${BLOCK}${QUOTE_CLOSE}`)
    .replace(/<\/(p|h[1-6])\s*>/gi, `${BLOCK}${PARAGRAPH}`)
    .replace(/<\/?(p|div|li|tr|h[1-6]|ul|ol|table|pre|hr)\b[^>]*>/gi, BLOCK)
    .replace(/<[^>]*>/g, "");
  const lines: string[] = [];
  let line = "";
  let depth = 0;
  const end = (always: boolean) => {
    if (always || line !== "") lines.push(line.trimEnd());
    line = "";
  };
  for (const token of marked.split(/([\u0001-\u0004\n])/)) {
    if (token === QUOTE_OPEN) depth++;
    else if (token === QUOTE_CLOSE) depth = Math.max(0, depth - 1);
    else if (token === BLOCK) end(false);
    else if (token === PARAGRAPH) lines.at(-1) !== "" && lines.push("");
    else if (token === "\n") end(true);
    else if (token.trim() !== "") {
      // Decoded after the tags are gone, so an escaped `&lt;b&gt;` stays text.
      line += line === "" ? `${"> ".repeat(depth)}${decodeEntities(token).trimStart()}` : decodeEntities(token);
    }
  }
  end(false);
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

const isBlank = (line: string) => line.trim() === "";
const isQuoted = (line: string) => /^\s*>/.test(line);

/** "On Mon, 3 Mar 2025 at 10:00, Ada <ada@example.com> wrote:" as clients write it, in a few languages. */
const ATTRIBUTION = /^(On\s.+\swrote|Le\s.+\sa\s+écrit|Am\s.+\sschrieb\s.+|El\s.+\sescribió)\s*:$/i;
/** Where Outlook begins the mail answered: its own line, or a rule followed by the From: line of a header block. */
const OUTLOOK_ORIGINAL = /^\s*-{3,}\s*Original Message\s*-{3,}\s*$/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const MAX_ATTRIBUTION_CHARS = 400;
/** Attribution lines clients wrap: a long name and address can take up to three. */
const ATTRIBUTION_LINES = 3;

/** The index past the last non-blank line before `end`. */
function contentEnd(lines: string[], end: number): number {
  while (end > 0 && isBlank(lines[end - 1]!)) end--;
  return end;
}

/** Where the attribution line(s) just before `quote` begin, or `quote` when there are none. */
function attributionStart(lines: string[], quote: number): number {
  const last = contentEnd(lines, quote) - 1;
  for (let first = last; first >= 0 && first > last - ATTRIBUTION_LINES; first--) {
    if (isBlank(lines[first]!)) break;
    const joined = lines
      .slice(first, last + 1)
      .map((l) => l.trim())
      .join(" ");
    // A real attribution is a line or three; a long one is not tested (the pattern's `.+` pairs are quadratic on it).
    if (joined.length <= MAX_ATTRIBUTION_CHARS && ATTRIBUTION.test(joined)) return first;
  }
  return quote;
}

/**
 * A reply's new text without what it quotes. Conservative, because what it takes is lost: only a
 * block of `>` lines that ends the mail goes (with the "On … wrote:" line before it), so answers
 * written between quotes stay, with the quotes they answer; then Outlook's "Original Message"
 * and everything after it; then a signature, from the last `-- ` line (RFC 3676's delimiter,
 * trailing space included: a bare `--` can be the writer's own). Text that is nothing but quotes
 * is kept whole: the sender did send something.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let end = contentEnd(lines, lines.length);
  if (end > 0 && isQuoted(lines[end - 1]!)) {
    let quote = end;
    while (quote > 0 && (isQuoted(lines[quote - 1]!) || isBlank(lines[quote - 1]!))) quote--;
    end = attributionStart(lines, quote);
  }
  const outlook = lines.findIndex((line, i) => i < end && (OUTLOOK_ORIGINAL.test(line) || (OUTLOOK_RULE.test(line) && /^\s*From:/i.test(lines[i + 1] ?? ""))));
  if (outlook >= 0) end = outlook;
  // (A negative start would search from the end of the array.)
  const signature = end > 0 ? lines.lastIndexOf("-- ", end - 1) : -1;
  if (signature >= 0) end = signature;
  const kept = lines.slice(0, end).join("\n").trim();
  return kept === "" ? text.trim() : kept;
}

const encoder = new TextEncoder();
const MARK = "\n[…]";

/** `text` in at most `bytes` of UTF-8, cut on a character boundary and marked as cut. */
export function clipUtf8(text: string, bytes: number): string {
  if (encoder.encode(text).byteLength <= bytes) return text;
  const room = bytes - encoder.encode(MARK).byteLength;
  // Decoding a cut buffer drops a partial last character (as U+FFFD, removed with it).
  const cut = new TextDecoder().decode(encoder.encode(text).slice(0, room)).replace(/\uFFFD$/, "");
  return `${cut}${MARK}`;
}
