import type { Env } from "../env";
import { problem, ProblemError } from "../lib/problem";

/**
 * Where a webhook may point. The Worker POSTs to whatever URL an API key names, so outside
 * development the URL must be https to a public host: not this machine, not a private network,
 * not link-local (cloud metadata services live at 169.254.169.254). Only literals can be checked
 * here (a Worker cannot resolve DNS); a public name that resolves to a private address is left to
 * the platform, whose outbound fetch does not reach private networks.
 *
 * Development (`ENVIRONMENT=development`, as wrangler.toml sets for `npm start` and the tests)
 * allows http and loopback, for a receiver on the developer's machine. Every other value, or none,
 * gets production's rules: a deployment that forgot to set ENVIRONMENT fails closed.
 */
export function webhookUrlRefusal(value: string, env: Pick<Env, "ENVIRONMENT">): string | null {
  const url = new URL(value); // the contract already refused what does not parse
  if (env.ENVIRONMENT === "development") return null;
  if (url.protocol !== "https:") return "url must be https";
  const host = url.hostname.replace(/\.$/, "").toLowerCase();
  if (host.startsWith("[")) {
    const groups = ipv6Groups(host.slice(1, -1));
    // One the URL parser took but this does not read is refused rather than let through.
    return !groups || privateIpv6(groups) ? `url's host ${host} is a loopback, private, link-local or reserved address` : null;
  }
  const v4 = ipv4(host);
  if (v4 !== null) return privateIpv4(v4) ? `url's host ${host} is a loopback, private, link-local or reserved address` : null;
  if (host === "localhost" || /\.(localhost|local|internal|home\.arpa)$/.test(host)) return `url's host ${host} is not a public host`;
  if (!host.includes(".")) return `url's host ${host} is not a public host name`;
  return null;
}

/** The 422 naming the field, when `webhookUrlRefusal` refuses. */
export function checkWebhookUrl(value: string, env: Pick<Env, "ENVIRONMENT">, path = "body.url"): void {
  const refusal = webhookUrlRefusal(value, env);
  if (refusal) throw new ProblemError(problem(422, `${path}: ${refusal}`, [{ path, message: refusal }]));
}

/** A dotted quad as a 32-bit number; the URL parser has already turned `0x7f.1` and `2130706433` into one. */
function ipv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** [network, prefix length] of every range that is not the public internet. */
const PRIVATE_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const V4_RANGES = PRIVATE_V4.map(([net, bits]) => [ipv4(net)!, bits] as const);

function privateIpv4(address: number): boolean {
  return V4_RANGES.some(([net, bits]) => Math.floor(address / 2 ** (32 - bits)) === Math.floor(net / 2 ** (32 - bits)));
}

/** An IPv6 literal (without brackets) as its eight 16-bit groups; null if it is not one. */
function ipv6Groups(text: string): number[] | null {
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two groups written another way.
  let body = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4(dotted[1]!);
    if (v4 === null) return null;
    body = `${text.slice(0, -dotted[1]!.length)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const given = head.length + rest.length;
  if ([...head, ...rest].some(Number.isNaN) || given > 8 || (halves.length === 1 && given !== 8)) return null;
  return [...head, ...new Array<number>(8 - given).fill(0), ...rest];
}

function privateIpv6(g: number[]): boolean {
  const embeddedV4 = (hi: number, lo: number) => privateIpv4(hi * 65536 + lo);
  // ::, ::1 and the old IPv4-compatible ::a.b.c.d: the first 96 bits zero.
  if (g.slice(0, 6).every((x) => x === 0)) return true;
  // IPv4-mapped ::ffff:a.b.c.d is that IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return embeddedV4(g[6]!, g[7]!);
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address inside them.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embeddedV4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return embeddedV4(g[1]!, g[2]!);
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // site-local (deprecated) fec0::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0x0db8) || // documentation
    (first === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) // discard 100::/64
  );
}
