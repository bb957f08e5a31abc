import { z } from "@hono/zod-openapi";
import { checkAddress } from "../channels/registry";
import { LIMITS } from "../lib/limits";
import { Attributes, Cursor, EXTERNAL_CHANNELS, Limit, Timestamp } from "./common";

/**
 * Contacts: one person with addresses on several external channels, so an inbound message on any
 * of them finds the same contact (and through it the same thread). An address (channel and
 * normalised address) belongs to at most one contact of an account.
 */

export const AddressChannel = z.enum(EXTERNAL_CHANNELS).openapi("AddressChannel");

/** An address as given, checked and put in its one stored form by the channel registry. */
export const ContactAddress = z
  .object({
    channel: AddressChannel,
    address: z.string().min(1).max(320).openapi({ example: "+14155550100" }),
  })
  .transform((a, ctx) => {
    const checked = checkAddress(a.channel, a.address);
    if (checked.ok) return { channel: a.channel, address: checked.address };
    ctx.addIssue({ code: "custom", path: ["address"], message: checked.message });
    return z.NEVER;
  })
  .openapi("ContactAddress");
export type ContactAddress = z.infer<typeof ContactAddress>;

/** One string per address, for comparing addresses in their normal form. */
export const addressKey = (a: ContactAddress) => `${a.channel} ${a.address}`;

/** 1..max addresses, none listed twice (compared in their normal form, so `Pat@x.com` and `pat@x.com` are one). */
const Addresses = (min: number) =>
  z
    .array(ContactAddress)
    .min(min)
    .max(LIMITS.contactAddresses)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((a, i) => {
        if (seen.has(addressKey(a))) ctx.addIssue({ code: "custom", path: [i, "address"], message: `${a.address} on ${a.channel} is listed twice` });
        seen.add(addressKey(a));
      });
    });

const Name = z.string().min(1).max(LIMITS.contactNameChars).openapi({ example: "Pat Doe" });

export const CreateContact = z
  .object({
    name: Name.optional(),
    addresses: Addresses(1).openapi({ description: `1–${LIMITS.contactAddresses} addresses; one already on another contact is a 409.` }),
    attributes: Attributes(LIMITS.contactAttributesBytes).optional(),
  })
  .openapi("CreateContact");
export type CreateContact = z.infer<typeof CreateContact>;

export const UpdateContact = z
  .object({
    name: Name.nullable().optional(),
    attributes: Attributes(LIMITS.contactAttributesBytes).optional().openapi({ description: "Replaces the attributes." }),
    add_addresses: Addresses(0).optional().openapi({ description: "One on another contact is a 409; one the contact has is kept." }),
    remove_addresses: Addresses(0).optional().openapi({ description: "Addresses the contact does not have are ignored." }),
  })
  .superRefine((u, ctx) => {
    // Adding and removing one address in the same request has no order to settle it: refused.
    const removed = new Set((u.remove_addresses ?? []).map(addressKey));
    u.add_addresses?.forEach((a, i) => {
      if (removed.has(addressKey(a))) ctx.addIssue({ code: "custom", path: ["add_addresses", i, "address"], message: "also listed in remove_addresses" });
    });
  })
  .openapi("UpdateContact");
export type UpdateContact = z.infer<typeof UpdateContact>;

export const MergeContact = z
  .object({
    from: z.string().openapi({
      example: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T",
      description: "The contact merged away: its addresses move to this one, and its id then answers 404.",
    }),
  })
  .openapi("MergeContact");
export type MergeContact = z.infer<typeof MergeContact>;

export const Contact = z
  .object({
    id: z.string().openapi({ example: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    name: z.string().nullable(),
    addresses: z.array(z.object({ channel: AddressChannel, address: z.string() })),
    attributes: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("Contact");
export type Contact = z.infer<typeof Contact>;

export const ListContactsQuery = z.object({
  address: z.string().min(1).optional().openapi({ description: "Only the contact with this address (normalised as stored)." }),
  channel: AddressChannel.optional().openapi({ description: "Only contacts with an address on this channel." }),
  limit: Limit,
  cursor: Cursor,
});
export type ListContactsQuery = z.infer<typeof ListContactsQuery>;
