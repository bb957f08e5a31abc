import type { KnowledgeFormat } from "../../contract/knowledge";
import { LIMITS } from "../../lib/limits";

/**
 * A document as passages: sections (Markdown headings, HTML h1–h6) cut into paragraphs, and
 * paragraphs joined up to LIMITS.knowledgePassageChars (a longer paragraph is cut at sentences).
 * Each passage keeps its section heading, which retrieval weighs with its text.
 */
export type PassageText = { heading: string; text: string };

export async function passagesOf(format: KnowledgeFormat, content: string, title: string): Promise<PassageText[]> {
  const sections = format === "markdown" ? markdownSections(content, title) : format === "html" ? await htmlSections(content, title) : [{ heading: title, body: content }];
  const out: PassageText[] = [];
  for (const s of sections) for (const text of pack(paragraphs(s.body))) out.push({ heading: s.heading, text });
  return out;
}

type Section = { heading: string; body: string };

function markdownSections(md: string, title: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: title, body: "" };
  let fenced = false;
  for (const line of md.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      if (current.body.trim()) sections.push(current);
      current = { heading: inline(h[1]!), body: "" };
    } else current.body += `${inline(line.replace(/^\s{0,3}(?:[-*+]|\d+[.)])\s+/, "").replace(/^\s{0,3}>\s?/, ""))}\n`;
  }
  if (current.body.trim()) sections.push(current);
  return sections;
}

/** Markdown's inline syntax away: links keep their text, emphasis and code their content. */
function inline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, "$2")
    .replace(/<[^>]+>/g, "");
}

/**
 * HTML read with the runtime's HTMLRewriter (a streaming parser, no DOM): text outside script,
 * style and the like, a paragraph break at each block element, h1–h6 starting sections.
 */
async function htmlSections(html: string, title: string): Promise<Section[]> {
  const sections: Section[] = [];
  let current: Section = { heading: title, body: "" };
  let heading: string | null = null;
  let skip = 0;
  const BLOCKS = "p,div,li,tr,br,section,article,blockquote,pre,table,ul,ol,dd,dt";
  const rewriter = new HTMLRewriter()
    .on("script,style,noscript,template,head", {
      element(e) {
        skip++;
        e.onEndTag(() => void skip--);
      },
    })
    .on("h1,h2,h3,h4,h5,h6", {
      element(e) {
        heading = "";
        e.onEndTag(() => {
          if (current.body.trim()) sections.push(current);
          current = { heading: decode(heading ?? "").replace(/\s+/g, " ").trim() || title, body: "" };
          heading = null;
        });
      },
    })
    .on(BLOCKS, {
      element(e) {
        current.body += "\n\n";
        if (e.tagName !== "br") e.onEndTag(() => void (current.body += "\n\n"));
      },
    })
    .onDocument({
      text(t) {
        if (skip > 0) return;
        if (heading !== null) heading += t.text;
        else current.body += t.text;
      },
    });
  await rewriter.transform(new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } })).text();
  if (current.body.trim()) sections.push(current);
  return sections.map((s) => ({ heading: s.heading, body: decode(s.body) }));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", mdash: "—", ndash: "–", hellip: "…", rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“", euro: "€", pound: "£", copy: "©" };

/** HTMLRewriter hands text as written: entities are decoded here (named ones of common use, and every numeric one). */
function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p.length > 0);
}

/** Paragraphs joined while they fit; a paragraph over the size cut at sentence ends. */
function pack(paras: string[]): string[] {
  const max = LIMITS.knowledgePassageChars;
  const pieces = paras.flatMap((p) => (p.length <= max ? [p] : cut(p, max)));
  const out: string[] = [];
  for (const p of pieces) {
    const last = out.at(-1);
    if (last !== undefined && last.length + 1 + p.length <= max) out[out.length - 1] = `${last}\n${p}`;
    else out.push(p);
  }
  return out;
}

function cut(p: string, max: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const s of p.split(/(?<=[.!?])\s+/)) {
    if (cur && cur.length + 1 + s.length > max) {
      out.push(cur);
      cur = "";
    }
    cur = cur ? `${cur} ${s}` : s;
    while (cur.length > max) {
      out.push(cur.slice(0, max));
      cur = cur.slice(max);
    }
  }
  if (cur) out.push(cur);
  return out;
}
