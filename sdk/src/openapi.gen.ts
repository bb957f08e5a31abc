// Generated from Parley's /openapi.json by openapi-typescript (sdk/scripts/generate.mjs).
// Do not edit: run `npm run generate` in sdk/; test/e2e/sdk-types.test.ts fails when this drifts.

export interface paths {
    "/v1/conversations/{conversation_id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open the conversation's WebSocket
         * @description Frames are JSON `{ type, … }`: the `ServerFrame`/`ClientFrame` unions of src/contract/frames.ts. Send the text `ping` every 30 s.
         */
        get: {
            parameters: {
                query?: {
                    /** @description A participant token, for clients that cannot set headers. */
                    token?: string;
                    /** @description With an API key: connect as this chat identity of the conversation. */
                    identity?: string;
                    /** @description The last message index you saw: every later message is sent first, in order. */
                    last_index?: number | null;
                };
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Switching protocols */
                101: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Upgrade required */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open the account-wide WebSocket (agent consoles)
         * @description `conversation.created`, `conversation.updated`, `conversation.deleted` and `message.added` summaries for every conversation of the account. Browsers, which cannot set headers on a WebSocket, offer the API key as a subprotocol beside `parley.v1`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Switching protocols */
                101: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Upgrade required */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{identity}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open the agent's WebSocket: its presence for routing
         * @description While this socket is open and pinged (the text `ping` every 30 s), the agent is online and takes conversations (if `available`). Frames: `ready`, then `conversation.assigned` with the routing for each conversation given to it. A participant token must name this identity; a browser offers it as `?token=` or a subprotocol beside `parley.v1`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Switching protocols */
                101: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Upgrade required */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a file
         * @description The request body is the file itself, with its type as `Content-Type` (such as `image/jpeg`; not a multipart form), at most 5242880 bytes. The answer's `url` is a signed URL that serves it without an API key, usable as a message's `media[].url`. A missing or unusable content type is a 415, an empty file a 422, a larger one a 413; none stores anything. 503 when the deployment has no TOKEN_SECRET or ADMIN_TOKEN to sign URLs with.
         */
        post: {
            parameters: {
                query?: {
                    /** @description The file's name, kept with it and offered when it is downloaded. */
                    filename?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "*/*": string;
                };
            };
            responses: {
                /** @description Stored */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MediaResource"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/media/{media_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a media resource, with a freshly signed URL */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    media_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The media */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MediaResource"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a media file
         * @description Its signed URLs answer 404 from then on (a copy a client has cached may be kept up to 3600 s). Messages that carry one keep the URL.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    media_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{media_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bytes of a media file, by signed URL (no API key; HEAD too)
         * @description The URL a media resource's `url` gives, for providers (Twilio, Meta fetch media by URL) and browsers. A signature that does not match, or an expired one, is a 403; a deleted file a 404. Images, audio and video are served inline; anything else as an attachment, so an uploaded page never runs on this origin.
         */
        get: {
            parameters: {
                query: {
                    account: string;
                    expires: string;
                    signature: string;
                };
                header?: never;
                path: {
                    media_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file, with its stored Content-Type */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "*/*": string;
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound/{channel_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Meta's webhook verification handshake */
        get: {
            parameters: {
                query?: {
                    "hub.mode"?: string;
                    "hub.verify_token"?: string;
                    "hub.challenge"?: string;
                };
                header?: never;
                path: {
                    channel_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The hub.challenge, echoed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * A provider's webhook: customers' messages and delivery receipts
         * @description Paste the channel's `inbound_url` into the provider's console. Every request is verified with that channel's secret before anything in it is read: `X-Twilio-Signature` (Twilio), `X-Hub-Signature-256` (Meta), the posted `signature` (Mailgun). A message is stored once per provider message id, in the sender's open conversation. Receipts (Twilio status callbacks, WhatsApp statuses, Messenger delivery and read events) update the delivery of the messages Parley sent, found by the provider's id among the account's sends.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Accepted (Twilio gets an empty TwiML response) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                        "text/xml": string;
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account with its first API key */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description The account and its first key */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            account: components["schemas"]["Account"];
                            api_key: components["schemas"]["IssuedKey"];
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an account's keys (never their secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    account_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Keys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["ApiKey"][];
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Issue another API key */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    account_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description The new key */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IssuedKey"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{account_id}/keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    account_id: string;
                    key_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List conversations, latest activity first
         * @description Served from D1: a conversation created or changed a moment ago may take a moment to appear. Filters combine (all must match). `contact_id` finds the conversations with a participant at any of the contact's addresses as they are now, so a merge or an added address shows at once; a contact that is unknown, another account's or merged away is a 404 naming `query.contact_id` (a merged one's detail names the contact it went into), never an empty page. `q` finds conversations by name, subject, participant or contact as you type (each word a prefix); for the text of messages, see `GET /v1/search/messages`.
         */
        get: {
            parameters: {
                query?: {
                    /** @description `inactive`: set by the `inactive_after` timer, back to `open` with the next message. `resolved`: an agent's call; the customer writing again reopens it. `closed`: read-only until reopened; a customer's next inbound message starts a new conversation. Moves the API may make: open → resolved | closed; inactive → open | resolved | closed; resolved → open | closed; closed → open (others are a 422). */
                    status?: components["schemas"]["ConversationStatus"];
                    channel?: components["schemas"]["Channel"];
                    tag?: string;
                    /** @description Only conversations with a participant at this address. */
                    address?: string;
                    /** @description Only conversations with this chat identity. */
                    identity?: string;
                    /** @description Only conversations with a participant at one of this contact's addresses (as the contact is now). An unknown, foreign or merged contact is a 404. */
                    contact_id?: string;
                    /** @description Only conversations that match every word of `q` as the start of a word of their friendly_name, unique_name or subject, or of a contact's name (the contact's conversations, as for `contact_id`); or whose `q` begins a participant's address or identity (`+1415`, `pat@`, `agent-a`). */
                    q?: string;
                    created_after?: string;
                    created_before?: string;
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of conversations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a conversation, optionally with participants and a first message
         * @description A participant may name its contact (`contact_id`): see AddParticipant. An unknown, foreign or merged contact is a 404 naming `body.participants[i].contact_id`; an address another contact has is a 409 naming `body.participants[i].address`. A refused create gives no contact an address.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Retry-safe key: the same key and body return the first response for 24 h. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateConversation"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedConversation"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a conversation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The conversation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a conversation with all its messages
         * @description Removes it everywhere: listings, history, participants, search and its events (but `conversation.deleted`) at once, its Durable Object's storage soon after; its id is a 404 from then on. Under a legal hold (the conversation's own, or the account's `retention.legal_hold`) it is a 409 naming the hold, and nothing changes.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Update a conversation */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Retry-safe key: the same key and body return the first response for 24 h. */
                    "idempotency-key"?: string;
                };
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateConversation"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/participants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List participants in the order they joined */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of participants */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Participant"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a participant: an address on a channel, or a chat identity
         * @description With `contact_id` and a channel, the address may be left out: it is the contact's first address on that channel (422 naming `body.address` when it has none). With `contact_id` and an address, the address is added to the contact unless it has it (409 naming `body.address` when another contact does). An unknown, foreign or merged contact is a 404 naming `body.contact_id`. A refused add gives the contact nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Retry-safe key: the same key and body return the first response for 24 h. */
                    "idempotency-key"?: string;
                };
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AddParticipant"];
                };
            };
            responses: {
                /** @description Added */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Participant"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/participants/{participant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a participant */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                    participant_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The participant */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Participant"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove a participant */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                    participant_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/participants/{participant_id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a participant's read horizon forward */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                    participant_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MarkRead"];
                };
            };
            responses: {
                /** @description The participant with its new horizon */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Participant"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Message history, oldest first unless order=desc */
        get: {
            parameters: {
                query?: {
                    order?: "asc" | "desc";
                    /** @description Only messages with a greater index. */
                    after_index?: number | null;
                    /** @description Only messages with a smaller index. */
                    before_index?: number | null;
                    /** @description `failed`: only messages whose delivery failed for some recipient (failed or undelivered on every channel it tried). */
                    delivery?: "failed";
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of messages */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Send a message
         * @description The message is committed at the conversation's next index before this returns.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Retry-safe key: the same key and body return the first response for 24 h. */
                    "idempotency-key"?: string;
                };
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SendMessage"];
                };
            };
            responses: {
                /** @description Committed */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Message"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a message */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                    message_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The message */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Message"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a message (it leaves a tombstone in its slot)
         * @description `message_id` is the message's id or its index. The message becomes a tombstone: body empty, media, attributes and delivery erased, `deleted_at` set, id and index kept, so indexes stay gapless; it is gone from search when this returns, and sockets get a `message.deleted` frame, webhooks a `message.deleted` event. Deleting a tombstone answers it again. Under a legal hold (the conversation's own, or the account's `retention.legal_hold`) it is a 409 naming the hold, and nothing changes.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                    message_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The tombstone */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Message"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/handoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who answers the conversation: the bot, or a person */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The handoff state */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Handoff"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Turn AI drafts on or off for this conversation */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateAssistant"];
                };
            };
            responses: {
                /** @description The handoff state */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Handoff"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/handoff/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand the conversation to a person (`handoff_pending`), as the escalation rules do
         * @description Routing is asked for an agent. 201 when this request moved it; 200 when a person already has it or is being found.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Already handed off */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Handoff"];
                    };
                };
                /** @description Handed off */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Handoff"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/handoff/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An agent takes the conversation (`agent_active`): the bot stops sending on its own
         * @description The agent joins as an `agent` participant if not in it. Resolving the conversation hands it back to the bot. A 409 when another agent has it, or the identity is a non-agent participant.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AcceptHandoff"];
                };
            };
            responses: {
                /** @description Accepted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Handoff"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a participant token for a browser or app
         * @description A short-lived JWT that acts as one chat identity: for the conversation stream and the identity's inbox.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MintToken"];
                };
            };
            responses: {
                /** @description The token */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ParticipantToken"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identities/{identity}/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A chat identity's inbox: its conversations, latest activity first, with unread counts
         * @description Served from D1, so it may lag a conversation's own view by a moment.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path: {
                    identity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of the inbox */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["InboxEntry"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List channels, in the order they were connected */
        get: {
            parameters: {
                query?: {
                    type?: components["schemas"]["ChannelType"];
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of channels */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["ChannelConnection"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Connect a provider
         * @description Credentials are encrypted at rest and never returned; the answer's `inbound_url` goes into the provider's console. A second channel of the same type for the same sender is a 409. 503 when the deployment has no CREDENTIALS_KEYS keyring to seal or open credentials with.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateChannel"];
                };
            };
            responses: {
                /** @description Connected */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChannelConnection"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/{channel_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a channel */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The channel */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChannelConnection"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Disconnect a channel */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Disconnected */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Rotate a channel's credentials, rename it, or change its base_url
         * @description Type, provider and sender are fixed. 503 when the deployment has no CREDENTIALS_KEYS keyring to seal or open credentials with.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateChannel"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChannelConnection"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's settings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the account's settings
         * @description Fields left out stay as they are; a timer set to null is turned off, and so is the hook. Timers apply to conversations created from then on (their own are changed with PATCH /v1/conversations/{id}). Setting `pre_event_hook` issues its signing secret, in this answer only (`pre_event_hook_secret`); other isolates see a hook change within 30 s.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateSettings"];
                };
            };
            responses: {
                /** @description The settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UpdatedSettings"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List contacts, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Only the contact with this address (normalised as stored). */
                    address?: string;
                    /** @description Only contacts with an address on this channel. */
                    channel?: components["schemas"]["AddressChannel"] & unknown;
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of contacts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Contact"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a contact with its addresses
         * @description Each address is normalised by its channel's rules. An address already on another contact of the account is a 409 naming it, and nothing is created.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateContact"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Contact"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a contact
         * @description A merged contact's id is a 404 whose detail names the contact it was merged into.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    contact_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The contact */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Contact"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a contact, freeing its addresses
         * @description The contacts merged into it are deleted with it.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    contact_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Rename a contact, replace its attributes, add or remove addresses
         * @description Removals apply before additions, all at once; an added address on another contact is a 409 and nothing changes. A contact keeps at least one address. A merged contact's id is a 404 whose detail names the contact it was merged into.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    contact_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateContact"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Contact"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/contacts/{contact_id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge another contact into this one
         * @description Every address of `from` moves to this contact, which takes `from`'s name if it has none (its own attributes stay), all at once. A merged contact's id is a 404 whose detail names the contact it was merged into.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    contact_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MergeContact"];
                };
            };
            responses: {
                /** @description The contact, with the addresses it gained */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Contact"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List endpoints, in the order they were created */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of endpoints */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Webhook"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Subscribe an endpoint to events
         * @description The answer carries the signing `secret`, shown this once (it is stored encrypted). Each delivery is a POST of the event envelope (`Event`) signed with Standard Webhooks: `webhook-id` (the event id, the same on retries and replays), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64>`; two space-separated entries while a rotated-out secret still signs). Verify with any Standard Webhooks library and the secret. Outside development the URL must be https to a public host (no loopback, private or link-local literal, no `localhost`); no credentials in it: a 422 naming `body.url`. At most 20 endpoints per account (409). 503 when the deployment has no CREDENTIALS_KEYS keyring to seal secrets with.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateWebhook"];
                };
            };
            responses: {
                /** @description Created, with its secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookWithSecret"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an endpoint (never its secret) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete an endpoint and its delivery log
         * @description Deliveries still queued for it are dropped.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an endpoint's url, events, description, or enable or disable it
         * @description Enabling an endpoint Parley disabled (failing for 3 days) clears `disabled_reason` and `failing_since`. Deliveries already queued use what the endpoint is when they are sent.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateWebhook"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a new signing secret; the old one keeps signing for 24 hours
         * @description The answer carries the new `secret`, shown this once. Until `previous_secret_expires_at` (24 h) every delivery carries both signatures, so receivers can switch over at their pace. Rotating again within the overlap retires the older secret at once. 503 when the deployment has no CREDENTIALS_KEYS keyring to seal secrets with.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Rotated, with the new secret */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookWithSecret"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The endpoint's delivery log, newest first
         * @description One entry per attempt: its outcome, the endpoint's status code (null on a network error or timeout), latency, attempt number, the next retry, and the start of the answer. Retries back off from 30 s, doubling, to 2 h, for about 26 hours in all; then the delivery is `failed`.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of attempts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["WebhookDelivery"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery's event again
         * @description Queues the same event (the same `webhook-id`) to the endpoint, signed afresh, as a new delivery marked `replay`. A disabled endpoint is a 409: enable it first.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                    delivery_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookReplayQueued"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send again every event of a time range that the endpoint's filter takes
         * @description The account's events with `from` ≤ `occurred_at` < `to`, oldest first, at most 1000 per request: `truncated` and `next_from` say where the rest start. A disabled endpoint is a 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookReplayRange"];
                };
            };
            responses: {
                /** @description Queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookReplayQueued"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge/passages/{passage_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One passage, current or retired
         * @description What a draft cited, as it was, with the document version it came from.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    passage_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The passage */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgePassage"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The knowledge base's documents, oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of documents */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeDocument"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a document to the knowledge base
         * @description Plain text, Markdown or HTML, split into passages (sections, then paragraphs) and indexed for AI drafts at once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateKnowledgeDocument"];
                };
            };
            responses: {
                /** @description Indexed */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgeDocument"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/knowledge/{document_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A document with the passages of its current version */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    document_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgeDocumentWithPassages"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a document
         * @description Its passages leave the index at once; those a draft cited stay readable by id.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    document_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a document
         * @description A new title, format or content is a new version: new passages are indexed and the old ones leave the index; passages a draft cited are kept (GET /v1/knowledge/passages/{id}). A topic alone changes no passage. A 409 if another change landed meanwhile.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    document_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateKnowledgeDocument"];
                };
            };
            responses: {
                /** @description The document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnowledgeDocument"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/drafts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's AI drafts, oldest first (status=pending: the review queue)
         * @description Served from D1, which the conversations keep up to date moments after each change.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only drafts in this state (`pending`: the review queue). */
                    status?: components["schemas"]["DraftStatus"] & unknown;
                    conversation_id?: string;
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of drafts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Draft"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drafts/{draft_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One draft, with its cited passages and its history */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    draft_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The draft */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Draft"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drafts/{draft_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a pending draft, as it is or edited: it is sent
         * @description Sent through normal delivery, by the approving agent's participant when they are in the conversation, else by the bot. The history records who approved, when, and the body before and after an edit. A draft that is not pending is a 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    draft_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ApproveDraft"];
                };
            };
            responses: {
                /** @description Approved and sent */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Draft"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drafts/{draft_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a pending draft: nothing is sent */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    draft_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RejectDraft"];
                };
            };
            responses: {
                /** @description Rejected */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Draft"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/search/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the account's messages, best match first
         * @description Full text over the account's whole history, served from D1: a message sent a moment ago is findable once it is projected (typically tens of milliseconds), and a deleted message or conversation leaves the results in the same transaction that removes it from D1. Results are ranked by BM25 computed from the account's own messages, each with the message, a highlighted snippet and its score. Filters combine (all must match). A query matching more than 500 messages (after the filters) is ranked 500 matches at a time, newest block first: an older match, however good, comes after the newer block; paging goes on through every block, each match once, in full pages. `next_cursor` continues after the last row of the page as that row ranks when the next page is asked for, in the blocks its first page began: matches that arrive meanwhile are on a new first page. A `contact_id` that is unknown, another account's or merged away is a 404 naming `query.contact_id`.
         */
        get: {
            parameters: {
                query: {
                    /** @description Words match whole words (any case, Latin accents ignored); all of them must match. `"two words"` is a phrase, `deliv*` a prefix (at least 2 letters), `a OR b`, `a NOT b` (or `a -b`) and parentheses combine them; `AND` is implied. Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar and emoji match as substrings. At most 16 terms. A query that cannot be read (an unbalanced quote, an operator without its terms, a lone `*`) is a 422 naming `query.q`. */
                    q: string;
                    /** @description Only messages of this conversation. */
                    conversation_id?: string;
                    /** @description Only messages that came in or first went out on this channel. */
                    channel?: components["schemas"]["Channel"] & unknown;
                    author_kind?: "customer" | "agent" | "bot" | "system";
                    /** @description Only messages of conversations with a participant at one of this contact's addresses (as the contact is now). An unknown, foreign or merged contact is a 404. */
                    contact_id?: string;
                    created_after?: string;
                    created_before?: string;
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of matches, best first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["SearchResult"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agents, by identity */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of agents */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Agent"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an agent that conversations can be routed to
         * @description The identity is the agent's chat identity: it is added to conversations under it, and its participant tokens name it. An identity the account already has is a 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateAgent"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{identity}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an agent, with its load and whether it is online */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The agent */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete an agent
         * @description Its seats are given up (its conversations keep it as a participant, and are no longer routing's), and its sockets are closed.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an agent's skills, languages, capacity or status
         * @description A lower capacity takes nothing away: the agent keeps its conversations and takes new ones once under it. A higher one, or `available` again, serves the queue at once.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    identity: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateAgent"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Agent"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/route": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the conversation stands in routing
         * @description Its agent, or its place in the queue and how long it has waited. 404 when it is not being routed.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The routing */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Routing"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Route the conversation to an agent
         * @description Assigned at once to the best online, available agent with a free seat who has the topic as a skill and speaks the language (least loaded first); that agent is added as an `agent` participant. Else the conversation waits in the queue (201 either way, 200 when it was already being routed: an assigned one keeps its agent, a queued one its place in time and takes the new need). The seat frees when the conversation is resolved, closed or deleted, or the agent leaves it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RouteConversation"];
                };
            };
            responses: {
                /** @description Already being routed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Routing"];
                    };
                };
                /** @description Routed: assigned or queued */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Routing"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routing/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Conversations waiting for an agent, next first
         * @description Ordered by priority, then by how long each has waited (`waiting_ms`).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of the queue */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Routing"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{conversation_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The conversation's whole transcript, as NDJSON
         * @description Streamed from the conversation itself (read-your-writes), 200 messages at a time as you read, so any length exports in constant memory. The transcript holds the messages the conversation had when the export began (`message_count` in its first line): indexes 0 to message_count − 1 with no gaps, each with its delivery state and attempts; a deleted message is its tombstone. A conversation deleted while it streams ends the response early.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The transcript */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": string;
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's exports, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page size, 1–100. */
                    limit?: number;
                    /** @description `next_cursor` from the previous page. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of exports */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Export"][];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Export the account's conversations and messages to a file, in the background
         * @description Filters are the listing's (`GET /v1/conversations`), over D1 (which may lag a conversation by moments); `from`/`to` bound the messages by creation time, and a conversation is included when it matches the filters and was created before `to` and active since `from`. The file is NDJSON, each conversation's line followed by its messages', conversations in creation order. Answers 202 at once; `GET /v1/exports/{export_id}` shows progress and, once completed, a signed download link. A `contact_id` that is unknown, another account's or merged away is a 404 naming `body.contact_id`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateExport"];
                };
            };
            responses: {
                /** @description Queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Export"];
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Payload too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unprocessable request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An export: its status and progress, and its download link once completed */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    export_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The export */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Export"];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An export's file, by signed URL (no API key)
         * @description The URL an export's `download_url` gives. A signature that does not match, or an expired one, is a 403 (`GET /v1/exports/{export_id}` signs a fresh one); an export that is not completed a 404.
         */
        get: {
            parameters: {
                query: {
                    account: string;
                    expires: string;
                    signature: string;
                };
                header?: never;
                path: {
                    export_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The NDJSON file */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": string;
                    };
                };
                /** @description Bad request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Service unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "/event": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An event, POSTed to each endpoint whose filter takes its type
         * @description Each delivery is a POST of the event envelope (`Event`) signed with Standard Webhooks: `webhook-id` (the event id, the same on retries and replays), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64>`; two space-separated entries while a rotated-out secret still signs). Verify with any Standard Webhooks library and the secret. Retried with backoff (30 s doubling to 2 h, about 26 h in all) until a 2xx; the same event may arrive more than once: deduplicate by `webhook-id` (or order by `sequence` per conversation).
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description The event id. */
                    "webhook-id": string;
                    /** @description Unix seconds when this attempt was signed; refuse ones more than 5 minutes off. */
                    "webhook-timestamp": string;
                    /** @description Space-separated `v1,<base64 HMAC-SHA256>` entries over `id.timestamp.body`; any one matching is enough. */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            responses: {
                /** @description Any 2xx: delivered. Anything else (a redirect included) or no answer within 10 s: retried. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        Event: {
            id: string;
            type: components["schemas"]["EventType"];
            account_id: string;
            /** @description Null for account events (`webhook.disabled`). */
            conversation_id: string | null;
            /** @description Increases with each event of the conversation: consumers order and deduplicate by it. */
            sequence: number;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            occurred_at: string;
            reason?: components["schemas"]["EventReason"];
            /** @description What changed; its shape depends on `type`. */
            data: {
                [key: string]: unknown;
            };
        };
        /** @enum {string} */
        EventType: "conversation.created" | "conversation.updated" | "conversation.closed" | "conversation.deleted" | "participant.added" | "participant.removed" | "message.added" | "message.updated" | "message.deleted" | "delivery.updated" | "delivery.fallback" | "draft.created" | "draft.updated" | "handoff.requested" | "handoff.accepted" | "webhook.disabled" | "conversation.queued" | "conversation.assigned";
        /**
         * @description Conversation events: what made the change.
         * @enum {string}
         */
        EventReason: "api" | "timer" | "inbound" | "retention";
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            errors?: {
                path: string;
                message: string;
            }[];
        };
        MediaResource: {
            /** @example med_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            /** @example image/jpeg */
            content_type: string;
            filename: string | null;
            /** @description Bytes. */
            size: number;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * @description A signed URL that serves the bytes without an API key until `url_expires_at`; usable as a message's `media[].url`. Each read of the resource signs a fresh one.
             * @example https://parley.example.com/media/med_01JD5V7J3E9Q8M2K4N6P0R1S2T?account=acct_01JD5V7J3E9Q8M2K4N6P0R1S2T&expires=1795253400&signature=…
             */
            url: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            url_expires_at: string;
        };
        Account: {
            id: string;
            name: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
        };
        IssuedKey: {
            id: string;
            prefix: string;
            /** @description The secret itself. Shown once: only a hash is stored. */
            key: string;
            name: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
        };
        ApiKey: {
            id: string;
            prefix: string;
            name: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            revoked_at: string | null;
        };
        CreatedConversation: components["schemas"]["Conversation"] & {
            participants: components["schemas"]["Participant"][];
            message: components["schemas"]["Message"];
        };
        /** @enum {string|null} */
        Channel: "sms" | "mms" | "whatsapp" | "messenger" | "email" | "chat" | null;
        /**
         * @description `inactive`: set by the `inactive_after` timer, back to `open` with the next message. `resolved`: an agent's call; the customer writing again reopens it. `closed`: read-only until reopened; a customer's next inbound message starts a new conversation. Moves the API may make: open → resolved | closed; inactive → open | resolved | closed; resolved → open | closed; closed → open (others are a 422).
         * @enum {string}
         */
        ConversationStatus: "open" | "inactive" | "resolved" | "closed";
        MessagePreview: {
            id: string;
            index: number;
            author: string;
            body: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
        } | null;
        ConversationRetention: {
            /** @description This conversation's message period; null: the account's (`/v1/settings`). */
            messages: string | null;
            /** @description How long this conversation is kept after its last activity; null: the account's. */
            conversations: string | null;
        };
        Participant: {
            /** @example part_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            conversation_id: string;
            kind: components["schemas"]["ParticipantKind"];
            channel: components["schemas"]["Channel"];
            address: string | null;
            identity: string | null;
            attributes: {
                [key: string]: unknown;
            };
            last_read_index: number | null;
            /** @description Messages after the read horizon; 0 when all are read. */
            unread_count: number;
            /** @description Whether at least one of the participant's sockets is open. */
            online: boolean;
            /**
             * Format: date-time
             * @description When the last socket closed; null while online or if never connected.
             * @example 2026-11-21T09:30:00.000Z
             */
            last_seen_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        /** @enum {string} */
        ParticipantKind: "customer" | "agent" | "bot";
        Message: {
            /** @example msg_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            conversation_id: string;
            /** @description Position in the conversation: 0, 1, 2, … with no gaps. */
            index: number;
            author: string;
            /** @enum {string} */
            author_kind: "customer" | "agent" | "bot" | "system";
            participant_id: string | null;
            body: string;
            media: components["schemas"]["MessageMedia"][];
            channel: components["schemas"]["Channel"];
            attributes: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
            /**
             * Format: date-time
             * @description Set when the message was deleted (DELETE, or the retention period): it stays in its index slot as a tombstone, with its body empty and its media, attributes and delivery erased, so indexes stay gapless.
             * @example 2026-11-21T09:30:00.000Z
             */
            deleted_at: string | null;
            delivery: components["schemas"]["Delivery"];
        } | null;
        MessageMedia: {
            /**
             * @description Where the file is: a signed URL of ours when `media_id` is set, else the URL the message was sent with (or, with `unavailable`, the provider's own reference).
             * @example https://parley.example.com/media/med_01JD5V7J3E9Q8M2K4N6P0R1S2T?account=acct_01JD5V7J3E9Q8M2K4N6P0R1S2T&expires=1795253400&signature=…
             */
            url: string;
            /** @example image/jpeg */
            content_type: string;
            filename?: string;
            /**
             * @description The media resource (`/v1/media/{media_id}`) holding the file.
             * @example med_01JD5V7J3E9Q8M2K4N6P0R1S2T
             */
            media_id?: string;
            /** @description Inbound only: the customer's file could not be copied in and is not sent on. `too_large`: over the media limit; `empty`: no bytes; `refused`: the provider would not give it (a 4xx); `unreachable`: its URL is not one to fetch (not https); `failed`: fetching it failed (a network error, the provider's 5xx) from a provider that would not retry the webhook (Twilio). */
            unavailable?: {
                /** @enum {string} */
                code: "too_large" | "empty" | "refused" | "unreachable" | "failed";
                reason: string;
            };
        };
        /** @description Outbound delivery to the channel-bound participants other than the author, one recipient each, sent through the account's connected channel (`/v1/channels`) and updated by the provider's receipts (`message.updated`); null when nobody is reached outside the app. */
        Delivery: {
            /**
             * @description Across recipients: the status of the one least far along (queued < sent < delivered < read) among those not failed; `failed` or `undelivered` only when every recipient ended so (any failure is on its recipient).
             * @enum {string}
             */
            status: "queued" | "sent" | "delivered" | "read" | "failed" | "undelivered";
            channel: components["schemas"]["ExternalChannel"];
            recipients: components["schemas"]["DeliveryRecipient"][];
            /** @description Every try, oldest first, for every recipient. */
            attempts: components["schemas"]["DeliveryAttempt"][];
        } | null;
        /**
         * @description The first recipient's channel.
         * @enum {string}
         */
        ExternalChannel: "sms" | "mms" | "whatsapp" | "messenger" | "email";
        DeliveryRecipient: {
            participant_id: string;
            /** @description The fallback order for this recipient: the message's `channels`, else the account's `fallback_order`, else the recipient's own channel; SMS last for a critical message. */
            channels: components["schemas"]["ExternalChannel"][];
            /** @description The channel of `channels` the delivery is on now, from 0. */
            step: number;
            channel: components["schemas"]["ExternalChannel"] & unknown;
            /** @description Where on `channel`: the participant's address, or their contact's on that channel (null until looked up). */
            address: string | null;
            /**
             * @description On the current channel; `failed` or `undelivered` only once every channel of the order has been tried.
             * @enum {string}
             */
            status: "queued" | "sent" | "delivered" | "read" | "failed" | "undelivered";
            provider_message_id: string | null;
            error_code: string | null;
            reason: string | null;
            /** @description SMS only: the GSM-7 or UCS-2 segments the body was sent as (what carriers bill). */
            segments: number | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        DeliveryAttempt: {
            participant_id: string;
            channel: components["schemas"]["ExternalChannel"];
            /** @description The connected channel (`/v1/channels`) used; null when the account has none for this channel. */
            channel_id: string | null;
            provider: string | null;
            provider_message_id: string | null;
            /** @description Which channel of the recipient's fallback order (`recipients[].channels`) this try was on, from 0. */
            step: number;
            /**
             * @description `accepted`: the provider took it; `retrying`: a transient failure (5xx, 429, network), tried again with backoff; `failed`: refused for good, or the last retry failed; `skipped`: not sent on this channel (no address on it, outside WhatsApp's 24-hour window with no template, opted out); `timed_out`: accepted, but no delivered receipt within the channel's timeout; `unknown`: the consumer stopped between the provider call and its record, so it is not sent again blindly (its receipt is waited for until the timeout); `read_in_chat`: the recipient read it in chat first, so it was not sent outside.
             * @enum {string}
             */
            outcome: "accepted" | "retrying" | "failed" | "skipped" | "timed_out" | "unknown" | "read_in_chat";
            /** @description Whether the recipient's delivery moved on to the next channel after this (`delivery.fallback`). */
            moved_on: boolean;
            /** @description The provider's own code (Twilio 21610, WhatsApp 131026) or ours (`channel_not_connected`, `network_error`, `timeout`, `unsupported`). */
            error_code: string | null;
            reason: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            started_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            completed_at: string;
        };
        Conversation: {
            /** @example conv_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            unique_name: string | null;
            friendly_name: string | null;
            subject: string | null;
            channel: components["schemas"]["Channel"];
            status: components["schemas"]["ConversationStatus"];
            tags: string[];
            attributes: {
                [key: string]: unknown;
            };
            message_count: number;
            participant_count: number;
            last_message: components["schemas"]["MessagePreview"];
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            last_activity_at: string;
            /** @description The conversation's lifecycle timers (ISO 8601 durations), null when off. */
            timers: {
                inactive_after: string | null;
                closed_after: string | null;
            };
            retention: components["schemas"]["ConversationRetention"];
            /** @description The conversation's own legal hold (an account-wide hold, in `/v1/settings`, holds it too). */
            legal_hold: boolean;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        CreateConversation: {
            friendly_name?: string;
            /** @description Your own key for the conversation; unique within the account (409 on a duplicate). */
            unique_name?: string;
            subject?: string;
            channel?: components["schemas"]["Channel"];
            tags?: string[];
            /**
             * @description Free-form JSON object, at most 16384 bytes serialized and 32 levels deep.
             * @example {
             *       "crm_id": "A-1042"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
            participants?: components["schemas"]["AddParticipant"][];
            timers?: components["schemas"]["Timers"];
            retention?: components["schemas"]["SetConversationRetention"];
            /** @description Keeps everything of the conversation, whatever the retention periods: nothing of it is deleted while set, and DELETE of it or of its messages is a 409. */
            legal_hold?: boolean;
            message?: components["schemas"]["SendMessage"];
        };
        AddParticipant: {
            kind: components["schemas"]["ParticipantKind"];
            channel?: components["schemas"]["Channel"];
            /** @example +14155550100 */
            address?: string;
            /** @example agent-ada */
            identity?: string;
            /**
             * @description The contact this participant is (needs an external channel). Without an address, the address is the contact's first one on the channel (422 naming the address when it has none); with one, the address is added to the contact (409 naming it when another contact has it). An unknown, foreign or merged contact is a 404 naming this field.
             * @example cont_01JD5V7J3E9Q8M2K4N6P0R1S2T
             */
            contact_id?: string;
            /**
             * @description Free-form JSON object, at most 4096 bytes serialized and 32 levels deep.
             * @example {
             *       "crm_id": "A-1042"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
        };
        /** @description Lifecycle timers; those left out take the account's defaults (`/v1/settings`). */
        Timers: {
            /**
             * @description An open conversation with no message for this long becomes `inactive`.
             * @example P1D
             */
            inactive_after?: string | null;
            /**
             * @description A conversation (open, inactive or resolved) with no message for this long becomes `closed`.
             * @example P1D
             */
            closed_after?: string | null;
        };
        /** @description Retention periods of its own; those left out follow the account's (`/v1/settings`), as it is at each run of the retention job. */
        SetConversationRetention: {
            /**
             * @description Overrides the account's message period; null: back to the account's.
             * @example P365D
             */
            messages?: string | null;
            /**
             * @description Overrides the account's conversation period; null: back to the account's.
             * @example P365D
             */
            conversations?: string | null;
        };
        /** @description A first message, committed with the conversation. */
        SendMessage: {
            /** @example Hi! How can we help? */
            body?: string;
            /** @description A participant id, identity or address of this conversation; omitted means `system`. */
            author?: string;
            media?: components["schemas"]["Media"][];
            /** @description Channels to try, in fallback order, for each channel-bound recipient (else the account's `fallback_order` from `/v1/settings`, else the channel each recipient is on). A channel the recipient has no address on is skipped. */
            channels?: components["schemas"]["Channel"][];
            /** @description SMS is the last resort: added to the end of the fallback order when it does not name it. */
            critical?: boolean;
            /**
             * @description Free-form JSON object, at most 4096 bytes serialized and 32 levels deep.
             * @example {
             *       "crm_id": "A-1042"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
        };
        Media: {
            /**
             * Format: uri
             * @description An https URL the providers can fetch. Required unless `media_id` is given.
             * @example https://example.com/cat.jpg
             */
            url?: string;
            /**
             * @description One of the account's uploads (`POST /v1/media`), instead of `url`: the message is stored with a signed URL of it. An unknown id, or another account's, is a 404 naming the field.
             * @example med_01JD5V7J3E9Q8M2K4N6P0R1S2T
             */
            media_id?: string;
            /**
             * @description The file's MIME type: required with `url`; with `media_id` the upload's own (if given, it must be that one).
             * @example image/jpeg
             */
            content_type?: string;
            /** @description With `media_id`, the upload's filename unless given here. */
            filename?: string;
        };
        UpdateConversation: {
            status?: components["schemas"]["ConversationStatus"];
            friendly_name?: string | null;
            subject?: string | null;
            tags?: string[];
            /**
             * @description Free-form JSON object, at most 16384 bytes serialized and 32 levels deep.
             * @example {
             *       "crm_id": "A-1042"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
            timers?: components["schemas"]["Timers"] & unknown;
            retention?: components["schemas"]["SetConversationRetention"] & unknown;
            /** @description Place (true) or lift (false) a legal hold on the conversation. */
            legal_hold?: boolean;
        };
        MarkRead: {
            last_read_index: number;
        };
        Handoff: {
            conversation_id: string;
            state: components["schemas"]["HandoffState"];
            /** @description This conversation's override of the account's `ai.enabled`; null: the account's setting applies. */
            ai_enabled: boolean | null;
            /** @description Why the current handoff was requested (empty while the bot answers). */
            reasons: components["schemas"]["EscalationReason"][];
            /** @description The identity of the agent who accepted. */
            agent: string | null;
            /** @description The knowledge-base topic of the customer's question, when one matched (what routing looks for in agents' skills). */
            topic: string | null;
            /** @description The customer's language as detected offline (ISO 639-1 where it has one, else 639-3). */
            language: string | null;
            /** @description Drafts in a row below the review threshold. */
            low_confidence_streak: number;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            requested_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            accepted_at: string | null;
        };
        /** @enum {string} */
        HandoffState: "bot" | "handoff_pending" | "agent_active";
        /**
         * @description `human_requested`: the customer asked for a person; `keyword`: a word of the account's list; `negative_sentiment`: the offline lexicon scored the message negative; `low_confidence`: drafts below the review threshold in a row; `api`: requested by POST …/handoff; `draft_failed`: drafting a reply to the customer's message failed on every try (the DRAFTS queue's dead letters), so a person answers it.
         * @enum {string}
         */
        EscalationReason: "human_requested" | "keyword" | "negative_sentiment" | "low_confidence" | "api" | "draft_failed";
        UpdateAssistant: {
            /** @description true or false overrides the account's `ai.enabled` for this conversation; null follows it again. */
            ai_enabled: boolean | null;
        };
        AcceptHandoff: {
            /**
             * @description The accepting agent's identity: joins the conversation as an agent participant if not in it.
             * @example agent-ada
             */
            agent: string;
        };
        ParticipantToken: {
            token: string;
            identity: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            expires_at: string;
        };
        MintToken: {
            /** @example agent-ada */
            identity: string;
            /** @description Limit the token to this conversation. */
            conversation_id?: string;
            /** @description Limit the token to these conversations. */
            conversation_ids?: string[];
            /** @default 3600 */
            ttl_seconds?: number;
        };
        InboxEntry: components["schemas"]["Conversation"] & {
            participant_id: string;
            last_read_index: number | null;
            unread_count: number;
        };
        ChannelConnection: {
            /** @example chan_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            type: components["schemas"]["ChannelType"];
            provider: components["schemas"]["ChannelProvider"];
            sender: string;
            /** @description The API this channel calls: yours, else the provider's default; null for cloudflare. */
            base_url: string | null;
            friendly_name: string | null;
            /** @description Paste into the provider's console as the webhook (and status callback) URL. */
            inbound_url: string;
            /** @description Which credentials are set, never their values. Null when the stored credentials cannot be read on this deployment (sealed with a key no longer in its keyring): PATCH the whole credentials object to replace them. */
            credentials: {
                [key: string]: components["schemas"]["CredentialHint"];
            } | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        /** @enum {string} */
        ChannelType: "sms" | "mms" | "whatsapp" | "messenger" | "email";
        /** @enum {string} */
        ChannelProvider: "twilio" | "meta" | "cloudflare" | "mailgun";
        CredentialHint: {
            /** @description Its last 4 characters; null when it is too short to show any. */
            last4: string | null;
        };
        CreateChannel: {
            /** @enum {string} */
            type: "sms";
            /** @enum {string} */
            provider: "twilio";
            /** @example +14155550100 */
            sender: string;
            credentials: components["schemas"]["TwilioCredentials"];
            /**
             * @description The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.
             * @example https://api.twilio.com
             */
            base_url?: string;
            friendly_name?: string;
        } | {
            /** @enum {string} */
            type: "mms";
            /** @enum {string} */
            provider: "twilio";
            /** @example +14155550100 */
            sender: string;
            credentials: components["schemas"]["TwilioCredentials"];
            /**
             * @description The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.
             * @example https://api.twilio.com
             */
            base_url?: string;
            friendly_name?: string;
        } | ({
            /** @enum {string} */
            type: "whatsapp";
            /** @enum {string} */
            provider: "twilio";
            /** @example +14155550100 */
            sender: string;
            credentials: components["schemas"]["TwilioCredentials"];
            /**
             * @description The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.
             * @example https://api.twilio.com
             */
            base_url?: string;
            friendly_name?: string;
        } | {
            /** @enum {string} */
            type: "whatsapp";
            /** @enum {string} */
            provider: "meta";
            /** @example 106540352242922 */
            sender: string;
            credentials: components["schemas"]["MetaCredentials"];
            /**
             * @description The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.
             * @example https://api.twilio.com
             */
            base_url?: string;
            friendly_name?: string;
        }) | {
            /** @enum {string} */
            type: "messenger";
            /** @enum {string} */
            provider: "meta";
            /** @example 106540352242922 */
            sender: string;
            credentials: components["schemas"]["MetaCredentials"];
            /**
             * @description The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.
             * @example https://api.twilio.com
             */
            base_url?: string;
            friendly_name?: string;
        } | ({
            /** @enum {string} */
            type: "email";
            /** @enum {string} */
            provider: "cloudflare";
            /** @example support@example.com */
            sender: string;
            credentials?: components["schemas"]["CloudflareCredentials"];
            base_url?: unknown;
            friendly_name?: string;
        } | {
            /** @enum {string} */
            type: "email";
            /** @enum {string} */
            provider: "mailgun";
            /** @example support@example.com */
            sender: string;
            credentials: components["schemas"]["MailgunCredentials"];
            /**
             * @description The provider's API, e.g. a regional endpoint or a simulator; defaults to the provider's own.
             * @example https://api.twilio.com
             */
            base_url?: string;
            friendly_name?: string;
        });
        TwilioCredentials: {
            account_sid: string;
            auth_token: string;
        };
        MetaCredentials: {
            /** @description Sends messages (a system user's token). */
            access_token: string;
            /** @description Verifies `X-Hub-Signature-256` on webhooks. */
            app_secret: string;
            /** @description Your string for Meta's webhook verification handshake. */
            verify_token: string;
        };
        CloudflareCredentials: Record<string, never>;
        MailgunCredentials: {
            api_key: string;
            /** @description Verifies the signature on inbound webhooks. */
            signing_key: string;
        };
        UpdateChannel: {
            friendly_name?: string | null;
            /**
             * @description null goes back to the provider's default.
             * @example https://api.twilio.com
             */
            base_url?: string | null;
            /** @description Rotate credentials: the provider's whole credentials object, or only some of its fields (the others keep their values). */
            credentials?: {
                [key: string]: string;
            };
            /** @description Cannot change; sending it is a 422. */
            type?: unknown;
            /** @description Cannot change; sending it is a 422. */
            provider?: unknown;
            /** @description Cannot change; sending it is a 422. */
            sender?: unknown;
        };
        Settings: {
            /** @description Lifecycle timers new conversations take unless their create says otherwise (ISO 8601 durations, null: off). */
            timers: {
                inactive_after: string | null;
                closed_after: string | null;
            };
            /** @description Asked before each message sent by the API or a socket is committed (5 s timeout), signed with Standard Webhooks under the hook's secret: it may allow, modify (body, attributes) or reject (a 422 with its reason) the message. No answer in time, or no valid verdict, lets the message through unchanged with `attributes.parley.pre_event_hook` saying so (`timeout`, `failed`). */
            pre_event_hook: {
                url: string;
            } | null;
            /** @description The channels a message tries in turn when its send names none (a recipient's own channel is added at the end if missing); null: each recipient's own channel only. */
            fallback_order: components["schemas"]["ExternalChannel"][] | null;
            /** @description Seconds to wait, per channel, for a delivered receipt before moving on to the next channel; a channel left out waits for ever. */
            delivery_timeouts: {
                sms?: number;
                mms?: number;
                whatsapp?: number;
                messenger?: number;
                email?: number;
            };
            /** @description A recipient who also has the conversation open in chat (a socket of theirs is connected) is sent to externally only this long after the message, and not at all if they have read it in chat by then; 0: no wait. */
            chat_grace_seconds: number;
            /** @description Sent instead of the text to a WhatsApp recipient outside the 24-hour customer-service window; null: such a recipient is skipped to the next channel. */
            whatsapp_template: {
                name: string;
                language: string;
            } | null;
            retention: components["schemas"]["Retention"];
            ai: components["schemas"]["AiSettings"];
            /**
             * Format: date-time
             * @description Null until the settings are first changed.
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string | null;
        };
        /** @description How long messages and conversations are kept (12 months each until changed), and the account-wide legal hold. Applies to every conversation that does not set its own period; a conversation's own legal hold adds to the account's. */
        Retention: {
            /**
             * @description A message is deleted (it becomes a tombstone in its index slot) once it is this old; null: kept for ever.
             * @example P365D
             */
            messages: string | null;
            /**
             * @description A conversation is deleted with everything in it once it has had no activity for this long; null: kept for ever.
             * @example P365D
             */
            conversations: string | null;
            /** @description While true nothing of the account is deleted: the retention job skips it and DELETE of a conversation or a message is a 409. */
            legal_hold: boolean;
        };
        /** @description AI reply drafts: on or off, the engine, the confidence gates, review expiry and escalation rules. */
        AiSettings: {
            /** @description Draft replies to customers' messages (each conversation may override it). */
            enabled: boolean;
            engine: components["schemas"]["DraftEngine"];
            thresholds: {
                /** @description A draft this confident or more is sent by the bot on its own. */
                auto_send: number;
                /** @description A draft this confident or more (and under `auto_send`) waits for an agent's review; under it nothing is sent. */
                review: number;
            };
            /** @description How long a draft waits for review before it expires. */
            review_ttl_seconds: number;
            escalation: {
                /** @description A customer asking for a person ("talk to a human", "real agent", …) is handed off. */
                human_request: boolean;
                /** @description Words or phrases (any case, whole words) that hand the conversation off. */
                keywords: string[];
                /** @description A message the offline lexicon (AFINN-165, with negation) scores clearly negative hands off. */
                negative_sentiment: boolean;
                /** @description This many drafts in a row below `review` hand off (0: never). */
                low_confidence_streak: number;
            };
            openai: {
                base_url: string;
                model: string;
                timeout_ms: number;
                /** @description The key is sealed at rest and never returned. */
                api_key_set: boolean;
            } | null;
            workers_ai_model: string;
        };
        /**
         * @description `offline`: retrieval with extractive answers (no network); `openai`: any OpenAI-compatible chat completions endpoint (`openai` below); `workers_ai`: the deployment's Workers AI binding (production only). Either LLM engine falls back to `offline` on error or timeout.
         * @enum {string}
         */
        DraftEngine: "offline" | "openai" | "workers_ai";
        UpdatedSettings: components["schemas"]["Settings"] & {
            /** @description `whsec_…`: shown only in the answer that set the hook's url. */
            pre_event_hook_secret?: string;
        };
        UpdateSettings: {
            timers?: components["schemas"]["Timers"];
            fallback_order?: components["schemas"]["ExternalChannel"][] | null;
            /** @description Replaces the whole map. */
            delivery_timeouts?: {
                sms?: number;
                mms?: number;
                whatsapp?: number;
                messenger?: number;
                email?: number;
            };
            whatsapp_template?: {
                name: string;
                language: string;
            } | null;
            chat_grace_seconds?: number;
            ai?: components["schemas"]["UpdateAiSettings"];
            retention?: components["schemas"]["UpdateRetention"];
            /** @description Set (a new secret is issued) or, with null, remove the hook. The url follows the webhook rules (https to a public host outside development). */
            pre_event_hook?: {
                /**
                 * @description https in production, to a public host (no loopback, private or link-local address); redirects are not followed.
                 * @example https://crm.example.com/hooks/parley
                 */
                url: string;
            } | null;
        };
        /** @description Fields left out stay as they are (thresholds and escalation field by field); `openai: null` removes the endpoint and its key. */
        UpdateAiSettings: {
            enabled?: boolean;
            engine?: components["schemas"]["DraftEngine"];
            thresholds?: {
                /** @description A draft this confident or more is sent by the bot on its own. */
                auto_send?: number;
                /** @description A draft this confident or more (and under `auto_send`) waits for an agent's review; under it nothing is sent. */
                review?: number;
            };
            review_ttl_seconds?: number;
            escalation?: {
                /** @description A customer asking for a person ("talk to a human", "real agent", …) is handed off. */
                human_request?: boolean;
                /** @description Words or phrases (any case, whole words) that hand the conversation off. */
                keywords?: string[];
                /** @description A message the offline lexicon (AFINN-165, with negation) scores clearly negative hands off. */
                negative_sentiment?: boolean;
                /** @description This many drafts in a row below `review` hand off (0: never). */
                low_confidence_streak?: number;
            };
            openai?: {
                /**
                 * Format: uri
                 * @description `/chat/completions` is appended.
                 * @example https://api.openai.com/v1
                 */
                base_url: string;
                model: string;
                /** @description Sealed at rest, never returned; absent keeps the stored one. */
                api_key?: string;
                timeout_ms?: number;
            } | null;
            workers_ai_model?: string;
        };
        /** @description Fields left out stay as they are; a period set to null keeps for ever. */
        UpdateRetention: {
            /** @example P365D */
            messages?: string | null;
            /** @example P365D */
            conversations?: string | null;
            legal_hold?: boolean;
        };
        Contact: {
            /** @example cont_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            name: string | null;
            addresses: {
                channel: components["schemas"]["AddressChannel"];
                address: string;
            }[];
            attributes: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        /** @enum {string} */
        AddressChannel: "sms" | "mms" | "whatsapp" | "messenger" | "email";
        CreateContact: {
            /** @example Pat Doe */
            name?: string;
            /** @description 1–20 addresses; one already on another contact is a 409. */
            addresses: components["schemas"]["ContactAddress"][];
            /**
             * @description Free-form JSON object, at most 16384 bytes serialized and 32 levels deep.
             * @example {
             *       "crm_id": "A-1042"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
        };
        ContactAddress: {
            channel: components["schemas"]["AddressChannel"];
            /** @example +14155550100 */
            address: string;
        };
        UpdateContact: {
            /** @example Pat Doe */
            name?: string | null;
            /**
             * @description Replaces the attributes.
             * @example {
             *       "crm_id": "A-1042"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
            /** @description One on another contact is a 409; one the contact has is kept. */
            add_addresses?: components["schemas"]["ContactAddress"][];
            /** @description Addresses the contact does not have are ignored. */
            remove_addresses?: components["schemas"]["ContactAddress"][];
        };
        MergeContact: {
            /**
             * @description The contact merged away: its addresses move to this one, and its id then answers 404.
             * @example cont_01JD5V7J3E9Q8M2K4N6P0R1S2T
             */
            from: string;
        };
        WebhookWithSecret: components["schemas"]["Webhook"] & {
            /**
             * @description The signing secret (Standard Webhooks: `whsec_` and base64). Shown only in this answer.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        Webhook: {
            /** @example wh_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            url: string;
            events: string[];
            enabled: boolean;
            description: string | null;
            /** @description Why Parley disabled the endpoint (failing for 3 days); null otherwise. */
            disabled_reason: string | null;
            /**
             * Format: date-time
             * @description The first failed delivery since the last successful one; null while healthy.
             * @example 2026-11-21T09:30:00.000Z
             */
            failing_since: string | null;
            /**
             * Format: date-time
             * @description Until then the secret replaced by the last rotation still signs too.
             * @example 2026-11-21T09:30:00.000Z
             */
            previous_secret_expires_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        CreateWebhook: {
            /**
             * @description https in production, to a public host (no loopback, private or link-local address); redirects are not followed.
             * @example https://crm.example.com/hooks/parley
             */
            url: string;
            /**
             * @description 1–32 entries: event names (`message.added`), family wildcards (`message.*`) or `*` for every event.
             * @example [
             *       "message.*",
             *       "conversation.closed"
             *     ]
             */
            events: string[];
            /** @default true */
            enabled?: boolean;
            description?: string;
        };
        UpdateWebhook: {
            /**
             * @description https in production, to a public host (no loopback, private or link-local address); redirects are not followed.
             * @example https://crm.example.com/hooks/parley
             */
            url?: string;
            /**
             * @description 1–32 entries: event names (`message.added`), family wildcards (`message.*`) or `*` for every event.
             * @example [
             *       "message.*",
             *       "conversation.closed"
             *     ]
             */
            events?: string[];
            /** @description true enables it again after Parley disabled it (clearing `disabled_reason`). */
            enabled?: boolean;
            description?: string | null;
        };
        WebhookDelivery: {
            /** @example whd_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            webhook_id: string;
            event_id: string;
            event_type: string;
            /** @description 1 for the first send of the event (or of a replay), 2 for its first retry, … */
            attempt: number;
            replay: boolean;
            outcome: components["schemas"]["WebhookDeliveryOutcome"];
            /** @description The endpoint's HTTP status; null when none came (network error, timeout). */
            status_code: number | null;
            /** @description From the request to the response headers (or to the failure). */
            latency_ms: number | null;
            /** @description The first 500 characters of the answer. */
            response_excerpt: string | null;
            error: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            next_retry_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
        };
        /** @enum {string} */
        WebhookDeliveryOutcome: "delivered" | "retrying" | "failed";
        WebhookReplayQueued: {
            /** @description Deliveries queued, each marked `replay`. */
            queued: number;
            /** @description More events matched than one replay queues (1000). */
            truncated: boolean;
            /**
             * Format: date-time
             * @description When truncated: replay again from here for the rest (events at that very millisecond may come twice).
             * @example 2026-11-21T09:30:00.000Z
             */
            next_from: string | null;
        };
        WebhookReplayRange: {
            /**
             * Format: date-time
             * @description The first instant (inclusive) of events' `occurred_at`.
             */
            from: string;
            /**
             * Format: date-time
             * @description The end (exclusive).
             */
            to: string;
        };
        KnowledgePassage: {
            /** @example kbp_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            document_id: string;
            /** @description The document version this passage belongs to. */
            version: number;
            position: number;
            /** @description The section the passage is in (the document's title when it has no headings). */
            heading: string;
            text: string;
            /** @description False once a later version (or the document's deletion) retired it; kept because a draft cited it. */
            live: boolean;
        };
        KnowledgeDocument: {
            /** @example kb_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            title: string;
            topic: string | null;
            format: components["schemas"]["KnowledgeFormat"];
            content: string;
            /** @description 1 when created; each change of its title, format or content adds one. */
            version: number;
            passage_count: number;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        /** @enum {string} */
        KnowledgeFormat: "text" | "markdown" | "html";
        CreateKnowledgeDocument: {
            title: string;
            format?: components["schemas"]["KnowledgeFormat"] & unknown;
            content: string;
            /**
             * @description What the document is about, as agents' skills name it: routing sends a conversation whose question this document answers best to agents with this skill.
             * @example billing
             */
            topic?: string | null;
        };
        KnowledgeDocumentWithPassages: components["schemas"]["KnowledgeDocument"] & {
            passages: components["schemas"]["KnowledgePassage"][];
        };
        UpdateKnowledgeDocument: {
            title?: string;
            format?: components["schemas"]["KnowledgeFormat"];
            content?: string;
            /**
             * @description What the document is about, as agents' skills name it: routing sends a conversation whose question this document answers best to agents with this skill.
             * @example billing
             */
            topic?: string | null;
        };
        Draft: {
            /** @example drf_01JD5V7J3E9Q8M2K4N6P0R1S2T000001 */
            id: string;
            conversation_id: string;
            /** @description The customer's message it answers. */
            message_id: string;
            message_index: number;
            status: components["schemas"]["DraftStatus"];
            gate: components["schemas"]["DraftGate"];
            /** @description The reply (as sent, when approved with an edit); null when the engine had nothing to say. */
            body: string | null;
            confidence: number;
            features: components["schemas"]["ConfidenceFeatures"];
            engine: components["schemas"]["DraftEngine"] & unknown;
            /** @description Why the account's LLM engine was not used (`timeout`, `error: …`), when it was not. */
            fallback: string | null;
            passages: components["schemas"]["CitedPassage"][];
            /** @description The escalation rules this message met. */
            escalation: components["schemas"]["EscalationReason"][];
            /** @description The message it became, once sent or approved. */
            reply_message_id: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            expires_at: string | null;
            history: components["schemas"]["DraftAuditEntry"][];
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        /**
         * @description `sent`: auto-sent by the bot; `pending`: waiting for review; `approved` (sent) and `rejected` by a reviewer; `expired`: not reviewed in time; `discarded`: below the review threshold, or nothing to say: never sent.
         * @enum {string}
         */
        DraftStatus: "sent" | "pending" | "approved" | "rejected" | "expired" | "discarded";
        /**
         * @description What the account's thresholds made of the draft when it was made.
         * @enum {string}
         */
        DraftGate: "auto_send" | "review" | "none";
        ConfidenceFeatures: {
            /** @description Share of the question's terms (weighted by rarity) the best passage contains. */
            coverage: number;
            /** @description How far the best passage's score is ahead of the second's, relative to the best. */
            margin: number;
            /** @description The best score relative to the most the question's terms could score. */
            strength: number;
        };
        CitedPassage: {
            passage_id: string;
            document_id: string;
            document_version: number;
            heading: string;
            /** @description The passage as it was when cited (GET /v1/knowledge/passages/{id} still reads it after the document changes). */
            text: string;
            /** @description Its BM25 score for the question, from the account's own knowledge base. */
            score: number;
        };
        DraftAuditEntry: {
            /** @enum {string} */
            action: "created" | "sent" | "approved" | "rejected" | "expired";
            /** @description An agent's identity, or `bot` / `system`. */
            by: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            at: string;
            /** @description Approvals: whether the reviewer changed the body. */
            edited?: boolean;
            /** @description Approvals with an edit: the body as drafted. */
            body_before?: string;
            /** @description Approvals with an edit: the body as sent. */
            body_after?: string;
            reason?: string;
        };
        ApproveDraft: {
            /**
             * @description Who approves (recorded in the draft's history). Their participant sends it when they are in the conversation; else the bot does.
             * @example agent-ada
             */
            agent: string;
            /** @description The reply as edited; absent: the draft as it is. */
            body?: string;
        };
        RejectDraft: {
            /** @example agent-ada */
            agent: string;
            reason?: string;
        };
        SearchResult: {
            message: components["schemas"]["Message"];
            conversation_id: string;
            /**
             * @description An HTML fragment: the text around the best match, HTML-escaped, each match in `<mark>`…`</mark>`, and `…` where the text was cut. Safe to insert as HTML.
             * @example My <mark>parcel</mark> has not arrived, and the tracking…
             */
            snippet: string;
            /** @description The BM25 score of the match, computed from the caller's own messages only (how rare the query is among them, how often it occurs in this message, how long the message is). Higher is better; results come best first (for a query with more matches than one ranked block, block by block, newest block first: see the route). Comparable within one query only. */
            rank: number;
        };
        Agent: {
            identity: string;
            name: string | null;
            skills: string[];
            languages: string[];
            capacity: number;
            status: components["schemas"]["AgentStatus"];
            /** @description Whether the agent holds a live socket on GET /v1/agents/{identity}/stream. */
            online: boolean;
            /** @description Conversations assigned to the agent now. */
            load: number;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
        };
        /** @enum {string} */
        AgentStatus: "available" | "away" | "offline";
        CreateAgent: {
            /**
             * @description The chat identity the agent uses in conversations and on sockets (participant tokens name it).
             * @example agent-ada
             */
            identity: string;
            name?: string;
            /**
             * @description Topics the agent takes. An agent with none takes conversations with no topic only.
             * @default []
             */
            skills?: string[];
            /**
             * @description Languages the agent answers in (ISO 639-1). An agent with none takes any language.
             * @default []
             */
            languages?: string[];
            /**
             * @description Conversations the agent holds at once; 0 takes none.
             * @default 5
             */
            capacity?: number;
            status?: components["schemas"]["AgentStatus"];
        };
        UpdateAgent: {
            name?: string | null;
            skills?: string[];
            languages?: string[];
            /** @description Conversations the agent holds at once; 0 takes none. */
            capacity?: number;
            status?: components["schemas"]["AgentStatus"];
        };
        Routing: {
            conversation_id: string;
            /** @enum {string} */
            status: "assigned" | "queued";
            /** @description The assigned agent's identity; null while queued. */
            agent: string | null;
            /** @description The agent's participant in the conversation; null until the add has gone through. */
            participant_id: string | null;
            topics: string[];
            language: string | null;
            priority: components["schemas"]["Priority"];
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            requested_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            assigned_at: string | null;
            /** @description How long it waited (so far, while queued). */
            waiting_ms: number;
            /** @description 1 for the next to be assigned; null once assigned. */
            position: number | null;
        };
        /** @enum {string} */
        Priority: "low" | "normal" | "high" | "urgent";
        RouteConversation: {
            /**
             * @description The topic an agent must have as a skill. Without it, the conversation's tags that are some agent's skill.
             * @example billing
             */
            topic?: string;
            /**
             * @description The customer's language. Without it, detected offline from the customer's latest messages.
             * @example en
             */
            language?: string;
            priority?: components["schemas"]["Priority"];
        };
        Export: {
            /** @example exp_01JD5V7J3E9Q8M2K4N6P0R1S2T */
            id: string;
            status: components["schemas"]["ExportStatus"];
            /** @description The filters it was created with (listing filters by name). */
            filters: {
                [key: string]: string;
            };
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            from: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            to: string;
            progress: {
                /** @description Conversations written so far. */
                conversations: number;
                /** @description Messages written so far. */
                messages: number;
                /** @description NDJSON bytes written so far. */
                bytes: number;
            };
            /** @description Once completed: a signed URL that serves the NDJSON without an API key, until `download_expires_at`. Each GET signs a fresh one. */
            download_url: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            download_expires_at: string | null;
            /** @description Why it failed, when it did. */
            error: string | null;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            updated_at: string;
            /**
             * Format: date-time
             * @example 2026-11-21T09:30:00.000Z
             */
            completed_at: string | null;
        };
        /** @enum {string} */
        ExportStatus: "queued" | "running" | "completed" | "failed";
        CreateExport: {
            status?: components["schemas"]["ConversationStatus"];
            channel?: components["schemas"]["Channel"];
            tag?: string;
            /** @description Only conversations with a participant at this address. */
            address?: string;
            /**
             * @description Only conversations with this chat identity.
             * @example agent-ada
             */
            identity?: string;
            /**
             * @description Only conversations with a participant at one of this contact's addresses (as the contact is now). An unknown, foreign or merged contact is a 404.
             * @example cont_01JD5V7J3E9Q8M2K4N6P0R1S2T
             */
            contact_id?: string;
            /** Format: date-time */
            created_after?: string;
            /** Format: date-time */
            created_before?: string;
            /**
             * Format: date-time
             * @description Messages created at or after this time (default: the beginning).
             */
            from?: string;
            /**
             * Format: date-time
             * @description Messages created before this time (default: when the export is created).
             */
            to?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
