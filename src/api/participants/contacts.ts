import type { Contact } from "../../contract/contact";
import type { AddParticipant } from "../../contract/participant";
import type { ExternalChannel } from "../../channels/registry";
import { linkAddresses, unlinkAddresses, type Link } from "../../db/queries/contact-addresses";
import { findContacts } from "../../db/queries/contacts";
import { isId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { problem, ProblemError, type FieldError } from "../../lib/problem";

/**
 * Contacts named in requests about conversations: the listing's `?contact_id=` and a participant's
 * `contact_id`. Resolved here, in the Worker, against D1, so the conversation's Durable Object only
 * ever sees participants with their address.
 */

type Found = Contact | { mergedInto: string } | undefined;

/** Why a contact named at `path` cannot be used: unknown, malformed and foreign ids alike, or merged (naming where it went). */
function notLive(found: Found, id: string, path: string): FieldError | undefined {
  if (found === undefined) return { path, message: "contact not found" };
  if ("mergedInto" in found) return { path, message: `contact ${id} was merged into ${found.mergedInto}` };
  return undefined;
}

/** The problem for these field errors; as elsewhere, a 404's detail is its message, a 409's or 422's names the field too. */
const refuse = (status: number, errors: FieldError[]) =>
  new ProblemError(problem(status, status === 404 ? errors[0]!.message : `${errors[0]!.path}: ${errors[0]!.message}`, errors));

/** A live contact of the account, or a 404 naming `path`. */
export async function liveContact(db: D1Database, accountId: string, id: string, path: string): Promise<Contact> {
  const found = isId("contact", id) ? (await findContacts(db, accountId, [id])).get(id) : undefined;
  const error = notLive(found, id, path);
  if (error) throw refuse(404, [error]);
  return found as Contact;
}

/** Participants ready for the conversation, and how to take back the addresses given to contacts for them. */
export type WithContacts = { participants: AddParticipant[]; undo: () => Promise<void> };

/**
 * Resolves the participants that name a contact. Without an address, a participant takes the
 * contact's first address on its channel (422 naming the address when there is none). With one, the
 * address is given to the contact unless it is the contact's already (409 naming it when another
 * contact has it; 422 when the contact has as many addresses as it may). An unknown, foreign or
 * merged contact is a 404 naming `contact_id`. `pathOf(i)` names the i-th participant in errors.
 *
 * Refused, it gives no contact anything: the first failing participant's status is answered, with
 * every participant that failed the same way named. Once this returns, the caller runs `undo` if
 * the conversation then refuses the participants, so a failed request leaves contacts as they were.
 */
export async function withContacts(db: D1Database, accountId: string, inputs: AddParticipant[], pathOf: (i: number) => string): Promise<WithContacts> {
  const named = [...new Set(inputs.flatMap((p) => (p.contact_id !== undefined && isId("contact", p.contact_id) ? [p.contact_id] : [])))];
  const found = await findContacts(db, accountId, named);
  const failures: { i: number; status: number; error: FieldError }[] = [];
  const links: (Link & { i: number })[] = [];
  const participants = inputs.map((input, i) => {
    const { contact_id: contactId, ...participant } = input;
    if (contactId === undefined) return participant;
    const path = pathOf(i);
    const gone = notLive(found.get(contactId), contactId, `${path}.contact_id`);
    if (gone) {
      failures.push({ i, status: 404, error: gone });
      return participant;
    }
    const contact = found.get(contactId) as Contact;
    // The contract lets a contact_id through only with an external channel.
    const channel = participant.channel as ExternalChannel;
    if (participant.address === undefined) {
      const address = contact.addresses.find((a) => a.channel === channel)?.address;
      if (address === undefined) failures.push({ i, status: 422, error: { path: `${path}.address`, message: `contact ${contactId} has no address on channel ${channel}` } });
      return { ...participant, address };
    }
    links.push({ i, contactId, address: { channel, address: participant.address } });
    return participant;
  });
  if (failures.length === 0 && links.length > 0) {
    const linked = await linkAddresses(db, accountId, links);
    linked.forEach((result, k) => {
      const { i, contactId, address } = links[k]!;
      const path = pathOf(i);
      if (typeof result === "object") {
        failures.push({ i, status: 409, error: { path: `${path}.address`, message: `${address.address} on ${address.channel} belongs to another contact` } });
      } else if (result === "full") {
        failures.push({ i, status: 422, error: { path: `${path}.address`, message: `contact ${contactId} already has ${LIMITS.contactAddresses} addresses, the most a contact may have` } });
      } else if (result === "gone") {
        failures.push({ i, status: 404, error: { path: `${path}.contact_id`, message: "contact not found" } });
      }
    });
    const added = links.filter((_, k) => linked[k] === "added");
    const undo = () => unlinkAddresses(db, accountId, added);
    if (failures.length > 0) await undo();
    else return { participants, undo };
  }
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => (b.i < a.i ? b : a));
    throw refuse(first.status, failures.filter((f) => f.status === first.status).sort((a, b) => a.i - b.i).map((f) => f.error));
  }
  return { participants, undo: async () => {} };
}
