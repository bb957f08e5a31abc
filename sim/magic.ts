/**
 * Magic recipients: addresses whose sends behave badly on purpose, so what Parley does with a
 * refusal, a retry or a missing receipt can be seen locally. Matched on the digits, so each works
 * as an SMS or WhatsApp number (+15550100001, whatsapp:+15550100001) and as a Messenger PSID
 * (15550100001). Listed in sim/README.md: keep the two in step.
 */
export const MAGIC = {
  /** WhatsApp: accepted, then a `failed` status with 131026; SMS: `undelivered` with 30003. */
  undeliverable: "15550100001",
  /** Twilio: a send with MediaUrl is refused (400, 21612); text alone goes through. */
  refusesMms: "15550100002",
  /** Every provider: a 5xx twice, then accepted on the third try (and so on, in threes). */
  flaky: "15550100003",
  /** Accepted and `sent`, but the delivered receipt never comes. */
  noReceipt: "15550100004",
} as const;

export type Magic = keyof typeof MAGIC | null;

/** The magic behaviour of a recipient (phone, whatsapp: address, PSID, or an email's local part). */
export function magicOf(to: string): Magic {
  const email = to.match(/^([^@\s]+)@/);
  if (email) {
    // Email has one: flaky@any.domain (Mailgun gives Parley no delivery receipts to withhold).
    return email[1]?.toLowerCase() === "flaky" ? "flaky" : null;
  }
  const digits = to.replace(/^whatsapp:/, "").replace(/^\+/, "");
  for (const [name, value] of Object.entries(MAGIC)) if (digits === value) return name as keyof typeof MAGIC;
  return null;
}

/** Meta's error for the undeliverable number, as its statuses[].errors[] carry it. */
export const WHATSAPP_UNDELIVERABLE = {
  code: 131026,
  title: "Message undeliverable",
  details: "Message Undeliverable: the recipient is not a WhatsApp user, has not accepted the current Terms of Service, or uses an old client.",
};
