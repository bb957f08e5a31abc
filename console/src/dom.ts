// The few DOM helpers the console's views share: build elements without innerHTML (every value is
// text unless a view says otherwise), find the page's fixed elements by id.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** `h("button", { type: "button", onclick: fn, "aria-label": "…" }, "text", child)`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** One of the page's fixed elements (public/console/index.html); a missing one is a bug in the page. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/**
 * A search snippet is an HTML fragment whose text is escaped and whose matches are in <mark>: it is
 * parsed inertly and rebuilt from its text and <mark> elements only, so nothing else can get in.
 */
export function snippet(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  const out = document.createDocumentFragment();
  for (const node of Array.from(parsed.childNodes)) {
    if (node.nodeType === Node.ELEMENT_NODE && (node as Element).tagName === "MARK") out.append(h("mark", {}, node.textContent ?? ""));
    else out.append(node.textContent ?? "");
  }
  return out;
}
