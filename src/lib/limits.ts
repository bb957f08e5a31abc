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
  /** A provider's webhook post: a Mailgun route forwards the mail with its attachments (a few files at the media cap). */
  inboundBodyBytes: 25 * 1024 * 1024,
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
  /** One uploaded file (POST /v1/media, or a customer's media copied in): WhatsApp's cap on an image. */
  mediaBytes: 5 * 1024 * 1024,
  /** How long a media resource's signed URL works: long enough for a provider to fetch it after a queued send. */
  mediaUrlTtlSeconds: 24 * 60 * 60,
  /** The longest a signed media URL may be minted for. */
  mediaUrlTtlSecondsMax: 7 * 24 * 60 * 60,
  /** How long a browser or provider may keep served bytes (less if the URL expires sooner): a deleted file stops being served within this. */
  mediaCacheSeconds: 60 * 60,
  mediaFilenameChars: 255,
  /** What one SMS (or MMS) body may be, links to media included: Twilio's limit, ten segments of GSM-7. */
  smsBodyChars: 1600,
  /** Attempts a message keeps in `delivery.attempts`, all recipients together (the oldest are dropped). */
  deliveryAttemptsKept: 50,
  /** How long a delivery consumer's claim on a send holds before another may take it over (past the provider call's timeout). */
  deliveryClaimMs: 60_000,
  /** Sends of one recipient's message before it is given up on as failed (transient failures only). */
  deliveryAttempts: 8,
  /** Messenger and WhatsApp: how long after the customer's last message a business may answer freely. */
  customerWindowMs: 24 * 60 * 60 * 1000,
  /** Webhook endpoints per account: each one is a queue message per matching event, so fan-out stays bounded. */
  webhooksPerAccount: 20,
  webhookUrlChars: 2048,
  webhookDescriptionChars: 256,
  /** Entries in one endpoint's `events` filter (exact names and wildcards). */
  webhookEventFilters: 32,
  /** Random bytes behind a `whsec_` secret (Standard Webhooks allows 24 to 64). */
  webhookSecretBytes: 32,
  /** How long the secret a rotation replaced still signs (both signatures are sent meanwhile). */
  webhookSecretOverlapMs: 24 * 60 * 60 * 1000,
  /** One webhook POST, connection to response headers and the excerpt read: a slow endpoint costs its own job this long, no other's. */
  webhookTimeoutMs: 10_000,
  /** Characters of an endpoint's answer kept in its delivery log. */
  webhookResponseExcerptChars: 500,
  /** Retry backoff: the first wait, doubled after each failure up to the cap (about 26 hours over the queue's 20 retries). */
  webhookRetryFirstSeconds: 30,
  webhookRetryMaxSeconds: 2 * 60 * 60,
  /** An endpoint with no successful delivery for this long (and failures meanwhile) is disabled. */
  webhookFailingDisableMs: 3 * 24 * 60 * 60 * 1000,
  /** Events one range replay queues at most; the answer says where the rest start. */
  webhookReplayEvents: 1000,
  /** Lifecycle timers (inactive_after, closed_after): a minute at least, a year at most. */
  lifecycleTimerMinMs: 60_000,
  lifecycleTimerMaxMs: 365 * 24 * 60 * 60 * 1000,
  /** The longest a channel may wait for a delivered receipt before falling back (a queue message's delay is at most 12 hours). */
  deliveryTimeoutSecondsMax: 12 * 60 * 60,
  /** How long an attempt of unknown outcome (the consumer stopped mid-send) is waited out when its channel has no timeout. */
  unknownOutcomeWaitSeconds: 10 * 60,
  /** The longest an online chat recipient's external delivery may be held back for them to read it in chat. */
  chatGraceSecondsMax: 60 * 60,
  /** What the grace is until an account sets it: a minute. */
  chatGraceSecondsDefault: 60,
  /** A webhook's first try waits this long in the first lane; an endpoint slower than that is tried at once in the slow lane with its full timeout. */
  webhookFirstLaneTimeoutMs: 2_000,
  /** How long a message waits for the account's pre-event hook before it goes through unchanged. */
  preEventHookTimeoutMs: 5_000,
  /** A search query (`q` of GET /v1/search/messages and GET /v1/conversations), in characters. */
  searchQueryChars: 256,
  /** Terms (words, prefixes, phrases) in one search query: each one is a posting list FTS5 walks. */
  searchTerms: 16,
  /** Letters before a prefix's `*`: FTS5 merges the posting lists of every word with the prefix, so `a*` would read most of the index. */
  searchPrefixMinChars: 2,
  /**
   * A query made only of one- or two-character terms in the scripts the trigram index serves (包裹, 🎉) cannot use
   * an index: it reads at most this many of the account's newest messages in those scripts.
   */
  searchScanMessages: 20_000,
  /**
   * Messages longer than this have their matches counted for the ranking (BM25's term frequency);
   * in shorter ones each term counts once. Counting reads and re-tokenizes the message (highlight()):
   * measured, it tripled the cost of a query matching a third of an account's 10,000 messages (4 ms to
   * 13 ms), and in a text this short a repeated word says little about what it is about.
   */
  searchCountedChars: 160,
  /** A query matching more of an account's messages than this (after the filters) is ranked this many at a time, newest block first, so a page of a frequent word reads and scores one block of its matches, not all of them (docs/architecture.md "Search"); more than pageSizeMax, so a page spans two blocks at most. */
  searchRankedMatches: 500,
  /** Tokens of context in a search result's snippet (a token is a word, or a character for Chinese and other unspaced scripts). */
  searchSnippetTokens: 24,
  /** Retention periods (/v1/settings and per conversation): a day at least, ten years at most. */
  retentionMinMs: 24 * 60 * 60 * 1000,
  retentionMaxMs: 3650 * 24 * 60 * 60 * 1000,
  /** What an account keeps messages and conversations for until it says otherwise: 12 months (365 days; durations have no months). */
  retentionDefaultMs: 365 * 24 * 60 * 60 * 1000,
  /** The retention job: D1 rows one of its batches reads (conversations past their time, or old messages to find their conversations by). */
  retentionBatchRows: 100,
  /** Messages one conversation turns into tombstones in one call of the job, so its transaction, outbox pass and frames stay small. */
  retentionMessagesPerCall: 200,
  /** Durable Object calls one cron invocation makes before it saves its place and stops (the next tick carries on): under the subrequest limit. */
  retentionCallsPerRun: 400,
  /** How long one invocation holds the job's lease: another tick that starts meanwhile leaves the run to it. */
  retentionLeaseMs: 10 * 60 * 1000,
  /** Agents per account (routing): each routing decision reads them all in one Durable Object. */
  agentsPerAccount: 1_000,
  /** Skills (topics) and languages one agent lists. */
  agentSkills: 50,
  agentLanguages: 20,
  /** The most conversations one agent may hold at once, and what an agent holds until told otherwise. */
  agentCapacityMax: 100,
  agentCapacityDefault: 5,
  /** An agent's socket that has not pinged for this long no longer counts as online (clients ping every 30 s). */
  agentPresenceStaleMs: 90_000,
  /** Conversations one routing pass assigns from the queue before handing the rest to the next pass. */
  routingDrainBatch: 200,
  /** Messages one RPC of a conversation export reads from its Durable Object: at most this many are in memory per stream at a time (plus the one page the stream reads ahead). */
  exportPageMessages: 200,
  /** Lines (a conversation or a message) one step of a bulk export writes before it records its place and queues the next step. */
  exportSliceLines: 5_000,
  /** Rows one D1 read of a bulk export step takes (conversations, or one conversation's messages). */
  exportReadRows: 500,
  /** D1 reads one step makes at most (a conversation with few messages costs a read of its own): well under an invocation's subrequests. */
  exportStepReads: 200,
  /**
   * The size of every part of a bulk export's R2 multipart upload but the last: R2 wants each at least
   * 5 MiB and all but the last of one size, so the output is cut at exactly this many bytes.
   */
  exportPartBytes: 5 * 1024 * 1024,
  /** How long a step holds its export: a duplicate queue message meanwhile waits instead of writing alongside it. */
  exportLeaseMs: 5 * 60 * 1000,
  /** How long an export's signed download link works. */
  exportUrlTtlSeconds: 60 * 60,
  /** A knowledge-base document's text as given (plain text, Markdown or HTML), in characters. */
  knowledgeDocumentChars: 200_000,
  knowledgeTitleChars: 256,
  knowledgeTopicChars: 64,
  /** A passage aims at this many characters: a paragraph or two, what an extractive answer quotes from. */
  knowledgePassageChars: 700,
  /** Documents one account's knowledge base holds. */
  knowledgeDocuments: 1000,
  /** Candidate passages retrieval scores (FTS5 matches in the account's range, best by FTS5's own order first). */
  knowledgeCandidates: 200,
  /** Query terms retrieval uses from a customer's message (each one is a posting list FTS5 walks and a count). */
  knowledgeQueryTerms: 16,
  /** Passages a draft cites and an LLM engine is prompted with. */
  draftPassages: 3,
  /** Characters of an extractive answer. */
  draftAnswerChars: 600,
  /** Earlier messages of the conversation an LLM engine sees besides the customer's question. */
  draftHistoryMessages: 6,
  /** An LLM engine's call, connection to answer: past it (or on any error) the offline engine drafts instead. An account may set less. */
  draftLlmTimeoutMsMax: 20_000,
  draftLlmTimeoutMsDefault: 8_000,
  /** How long a draft waits for review before it expires: at most, and until an account sets it. */
  draftReviewTtlSecondsMax: 7 * 24 * 60 * 60,
  draftReviewTtlSecondsDefault: 60 * 60,
  /** Escalation keywords an account may list, and the length of each. */
  escalationKeywords: 50,
  escalationKeywordChars: 64,
} as const;
