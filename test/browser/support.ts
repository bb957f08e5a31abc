// What the browser tests share: where Chromium is, the two screen sizes, where screenshots go and
// a small JSON client for the REST setup around what the page does.

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
export const chromiumPath = "/usr/bin/chromium";

export const DESKTOP = { width: 1280, height: 800 };
/** A phone held upright (iPhone 12–15 class). */
export const PHONE = { width: 390, height: 844 };

/** Screenshots of each step, kept after the run (gitignored) to look at. */
export const artifacts = "test-artifacts/console";

export type Reply = { status: number; body: any };

export async function api(base: string, method: string, path: string, key: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
