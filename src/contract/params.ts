import { z } from "@hono/zod-openapi";
import { Identity } from "./common";

/**
 * Path parameters, one definition each, so every route that names a resource in its path
 * documents and validates it alike. Ids are plain strings here: a malformed id is an unknown one
 * (404 where it is looked up), not a validation error.
 */
const Id = (example: string) => z.string().openapi({ example });

export const ConversationParams = z.object({ conversation_id: Id("conv_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const ParticipantParams = ConversationParams.extend({ participant_id: Id("part_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const MessageParams = ConversationParams.extend({ message_id: Id("msg_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const AccountParams = z.object({ account_id: Id("acct_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const KeyParams = AccountParams.extend({ key_id: Id("key_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const IdentityParams = z.object({ identity: Identity });
export const ChannelParams = z.object({ channel_id: Id("chan_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
export const ContactParams = z.object({ contact_id: Id("cont_01JD5V7J3E9Q8M2K4N6P0R1S2T") });
