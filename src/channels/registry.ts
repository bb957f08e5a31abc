/**
 * The one home for channel rules: which channels exist, what an address looks like on each external
 * channel and how it is normalised, and which channel a message is recorded on.
 *
 * Pure: it imports nothing from the server, so the API contract (src/contract) can use it.
 */

// The `min` metadata (about 80 kB) carries each country's number lengths, which is all `isPossible()`
// needs; `max` (about 145 kB) adds the digit patterns only `isValid()` would use.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

export const CHANNELS = ["sms", "mms", "whatsapp", "messenger", "email", "chat"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels that reach someone at an external address (as opposed to an in-app chat identity). */
export const EXTERNAL_CHANNELS = ["sms", "mms", "whatsapp", "messenger", "email"] as const satisfies readonly Channel[];
export type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];

export function isExternal(channel: Channel): channel is ExternalChannel {
  return channel !== "chat";
}

export type AddressCheck = { ok: true; address: string } | { ok: false; message: string };

/** What goes between `+` and the end of a phone number: digits and the usual separators, no extension. */
const PHONE_CHARS = /^\+[0-9][0-9 ().-]*$/;
const PSID = /^\d{5,32}$/;
/** Something@domain with at least one dot, no whitespace, no empty domain label. */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/**
 * A phone number in international form as E.164, or null. `isPossible()` (length for the country
 * code) rather than `isValid()` (the digit patterns of each numbering plan): `isValid()` refuses
 * numbers that exist or will, such as the UK's 07700 900xxx range reserved for drama and tests, and
 * ranges allocated after the metadata was published; the carrier is the judge of a real number.
 */
function e164(raw: string): string | null {
  if (!PHONE_CHARS.test(raw)) return null;
  const phone = parsePhoneNumberFromString(raw, { extract: false });
  return phone !== undefined && phone.isPossible() ? phone.number : null;
}

/**
 * The API takes phone numbers in E.164 only (as Twilio's does): one spelling per number, so an
 * address given twice is recognised as the same. libphonenumber-js then checks it is possible.
 */
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;
const strictE164 = (raw: string) => (E164_SHAPE.test(raw) ? e164(raw) : null);

function email(raw: string): string | null {
  return EMAIL.test(raw) ? raw.toLowerCase() : null;
}

const phoneRule = { normalize: strictE164, shape: "an E.164 phone number such as +14155550100" };

/** How an address must look on each external channel, and its one stored form. */
const ADDRESS_RULES: Record<ExternalChannel, { normalize: (raw: string) => string | null; shape: string }> = {
  sms: phoneRule,
  mms: phoneRule,
  whatsapp: phoneRule,
  messenger: { normalize: (raw) => (PSID.test(raw) ? raw : null), shape: "a Messenger page-scoped id (digits)" },
  // Lowercased whole: providers treat local parts case-insensitively in practice.
  email: { normalize: email, shape: "an email address" },
};

/** Checks an address given for an external channel and returns its normalised form. */
export function checkAddress(channel: ExternalChannel, raw: string): AddressCheck {
  const rule = ADDRESS_RULES[channel];
  const address = rule.normalize(raw);
  return address === null
    ? { ok: false, message: `address must be ${rule.shape} on channel ${channel}` }
    : { ok: true, address };
}

/**
 * Normalises a value given where the channel is unknown (a message author that may be a participant
 * id, chat identity or address; the listing's `?address=` filter): an email-looking value is
 * lowercased, a `+` phone number however formatted becomes E.164, anything else is returned as given.
 */
export function normalizeRef(ref: string): string {
  if (ref.startsWith("+")) return e164(ref) ?? ref;
  return email(ref) ?? ref;
}

/**
 * The channel a message is recorded on, the one it came in on or first went out on: the first
 * requested; else an external author's own; else the channel its first recipient is sent on (an
 * agent's reply to a WhatsApp customer is a WhatsApp message); else the author's (chat), the
 * conversation's, or chat.
 */
export function messageChannel(
  requested: readonly Channel[] | undefined,
  author: { channel: Channel } | undefined,
  conversationChannel: Channel | null,
  firstRecipientChannel?: ExternalChannel,
): Channel {
  const external = author && isExternal(author.channel) ? author.channel : undefined;
  return requested?.[0] ?? external ?? firstRecipientChannel ?? author?.channel ?? conversationChannel ?? "chat";
}
