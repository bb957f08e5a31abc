import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { Attributes, Channel, EXTERNAL_CHANNELS, Identity, Timestamp } from "./common";

export const ParticipantKind = z.enum(["customer", "agent", "bot"]).openapi("ParticipantKind");
export type ParticipantKind = z.infer<typeof ParticipantKind>;

const E164 = /^\+[1-9]\d{6,14}$/;
const PSID = /^\d{5,32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How an address must look on each external channel. */
const ADDRESS_RULES: Record<(typeof EXTERNAL_CHANNELS)[number], [RegExp, string]> = {
  sms: [E164, "an E.164 phone number such as +14155550100"],
  mms: [E164, "an E.164 phone number such as +14155550100"],
  whatsapp: [E164, "an E.164 phone number such as +14155550100"],
  messenger: [PSID, "a Messenger page-scoped id (digits)"],
  email: [EMAIL, "an email address"],
};

/**
 * A participant is reached either on an external channel at an address, or in-app as a chat
 * identity. One object with a refinement (rather than a union) so errors name the exact field.
 */
export const AddParticipant = z
  .object({
    kind: ParticipantKind,
    channel: Channel.optional(),
    address: z.string().min(1).max(320).optional().openapi({ example: "+14155550100" }),
    identity: Identity.optional(),
    attributes: Attributes(LIMITS.participantAttributesBytes).optional(),
  })
  .superRefine((p, ctx) => {
    const external = p.channel !== undefined && p.channel !== "chat";
    if (external) {
      if (p.address === undefined) {
        ctx.addIssue({ code: "custom", path: ["address"], message: `address is required on channel ${p.channel}` });
        return;
      }
      const [pattern, shape] = ADDRESS_RULES[p.channel as keyof typeof ADDRESS_RULES];
      if (!pattern.test(p.address)) {
        ctx.addIssue({ code: "custom", path: ["address"], message: `address must be ${shape} on channel ${p.channel}` });
      }
    } else {
      if (p.address !== undefined) {
        ctx.addIssue({ code: "custom", path: ["channel"], message: "an address needs an external channel (sms, mms, whatsapp, messenger, email)" });
      }
      if (p.identity === undefined) {
        ctx.addIssue({ code: "custom", path: ["identity"], message: "identity is required for a chat participant" });
      }
    }
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
