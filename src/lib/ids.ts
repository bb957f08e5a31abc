import { monotonicFactory } from "ulidx";

/** Monotonic: ids made in the same millisecond still sort in the order they were made. */
const ulid = monotonicFactory();

/** Every public id is a ULID behind a type prefix, so a pasted id says what it is. */
export const ID_PREFIX = {
  account: "acct",
  apiKey: "key",
  conversation: "conv",
  participant: "part",
  message: "msg",
  channel: "chan",
  contact: "cont",
  media: "med",
  webhook: "wh",
  webhookDelivery: "whd",
  hook: "hook",
  event: "evt",
  export: "exp",
  knowledge: "kb",
  passage: "kbp",
} as const;

export type IdKind = keyof typeof ID_PREFIX;

const ULID_BODY = "[0-9A-HJKMNP-TV-Z]{26}";
const PATTERNS = Object.fromEntries(
  Object.entries(ID_PREFIX).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}_${ULID_BODY}$`)]),
) as Record<IdKind, RegExp>;

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${ulid()}`;
}

/** A well-formed id of the given kind. Anything else is treated as unknown (404) without a lookup. */
export function isId(kind: IdKind, value: string): boolean {
  return PATTERNS[kind].test(value);
}
