import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { checkAddress, isExternal } from "../channels/registry";
import { Attributes, Channel, EXTERNAL_CHANNELS, Identity, Timestamp } from "./common";

export const ParticipantKind = z.enum(["customer", "agent", "bot"]).openapi("ParticipantKind");
export type ParticipantKind = z.infer<typeof ParticipantKind>;

/**
 * A participant is reached either on an external channel at an address, or in-app as a chat
 * identity. One object with a refinement (rather than a union) so errors name the exact field; the
 * address rules and their normal form come from the channel registry.
 *
 * `contact_id` names the contact the participant is (resolved by the Worker before the conversation
 * sees the input): without an address, the address is the contact's on that channel; with one, the
 * address is given to the contact.
 */
export const AddParticipant = z
  .object({
    kind: ParticipantKind,
    channel: Channel.optional(),
    address: z.string().min(1).max(320).optional().openapi({ example: "+14155550100" }),
    identity: Identity.optional(),
    contact_id: z.string().optional().openapi({
      example: "cont_01JD5V7J3E9Q8M2K4N6P0R1S2T",
      description:
        "The contact this participant is (needs an external channel). Without an address, the address is the contact's first one on the channel (422 naming the address when it has none); with one, the address is added to the contact (409 naming it when another contact has it). An unknown, foreign or merged contact is a 404 naming this field.",
    }),
    attributes: Attributes(LIMITS.participantAttributesBytes).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.channel !== undefined && isExternal(p.channel)) {
      if (p.address === undefined) {
        // With a contact, the Worker takes the contact's address on this channel.
        if (p.contact_id === undefined) ctx.addIssue({ code: "custom", path: ["address"], message: `address is required on channel ${p.channel}` });
        return;
      }
      const checked = checkAddress(p.channel, p.address);
      if (!checked.ok) ctx.addIssue({ code: "custom", path: ["address"], message: checked.message });
    } else {
      if (p.address !== undefined) {
        ctx.addIssue({ code: "custom", path: ["channel"], message: `an address needs an external channel (${EXTERNAL_CHANNELS.join(", ")})` });
      } else if (p.contact_id !== undefined) {
        ctx.addIssue({ code: "custom", path: ["channel"], message: `a contact_id needs an external channel (${EXTERNAL_CHANNELS.join(", ")})` });
      }
      if (p.identity === undefined) {
        ctx.addIssue({ code: "custom", path: ["identity"], message: "identity is required for a chat participant" });
      }
    }
  })
  // Only runs once the refinement passed: the address is stored in its one normalised form.
  .transform((p) => {
    if (p.channel === undefined || !isExternal(p.channel) || p.address === undefined) return p;
    const checked = checkAddress(p.channel, p.address);
    return checked.ok ? { ...p, address: checked.address } : p;
  })
  .openapi("AddParticipant");
export type AddParticipant = z.infer<typeof AddParticipant>;

export const Participant = z
  .object({
    id: z.string().openapi({ example: "part_01JD5V7J3E9Q8M2K4N6P0R1S2T" }),
    conversation_id: z.string(),
    kind: ParticipantKind,
    channel: Channel,
    address: z.string().nullable(),
    identity: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    last_read_index: z.number().int().nullable(),
    unread_count: z.number().int().openapi({ description: "Messages after the read horizon; 0 when all are read." }),
    online: z.boolean().openapi({ description: "Whether at least one of the participant's sockets is open." }),
    last_seen_at: Timestamp.nullable().openapi({ description: "When the last socket closed; null while online or if never connected." }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("Participant");
export type Participant = z.infer<typeof Participant>;

export const MarkRead = z.object({ last_read_index: z.number().int().min(0) }).openapi("MarkRead");
