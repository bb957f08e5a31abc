/** Product limits, checked by name wherever they apply and documented in the OpenAPI schemas. */
export const LIMITS = {
  messageBodyBytes: 32 * 1024,
  messageAttributesBytes: 4 * 1024,
  conversationAttributesBytes: 16 * 1024,
  participantAttributesBytes: 4 * 1024,
  friendlyNameChars: 256,
  uniqueNameChars: 256,
  subjectChars: 1024,
  tags: 20,
  tagChars: 64,
  mediaPerMessage: 10,
  participantsPerConversation: 1000,
  channelParticipantsPerConversation: 50,
  participantsOnCreate: 50,
  pageSizeDefault: 25,
  pageSizeMax: 100,
  requestBodyBytes: 256 * 1024,
  idempotencyKeyChars: 255,
  idempotencyWindowMs: 24 * 60 * 60 * 1000,
  /** Inbound mail: a larger raw message is refused before it is read; its text and HTML are cut before parsing. */
  emailRawBytes: 10 * 1024 * 1024,
  emailTextChars: 64 * 1024,
  emailHtmlChars: 64 * 1024,
  tokenTtlSecondsMax: 24 * 60 * 60,
  /** Objects and arrays nested in an `attributes` value, the value itself being level 1. */
  attributesDepth: 32,
  /** A channel's sender: a phone number, a provider's numeric id, an email address or domain. */
  senderChars: 320,
  /** One credential value (Meta's long-lived access tokens run to several hundred characters). */
  credentialChars: 4096,
  baseUrlChars: 2048,
  contactNameChars: 256,
  contactAttributesBytes: 16 * 1024,
  /** Addresses a create or update may leave a contact with (a merge may go past it). */
  contactAddresses: 20,
} as const;
