import { createRoute, z } from "@hono/zod-openapi";
import { ChannelParams } from "../../contract/params";
import { problemResponses } from "../http";

const tags = ["Inbound webhooks"];

export const receive = createRoute({
  method: "post",
  path: "/v1/inbound/{channel_id}",
  tags,
  security: [],
  summary: "A provider's webhook: customers' messages and delivery receipts",
  description:
    "Paste the channel's `inbound_url` into the provider's console. Every request is verified with that channel's secret before anything in it is read: `X-Twilio-Signature` (Twilio), `X-Hub-Signature-256` (Meta), the posted `signature` (Mailgun). A message is stored once per provider message id, in the sender's open conversation. Receipts (Twilio status callbacks, WhatsApp statuses, Messenger delivery and read events) update the delivery of the messages Parley sent, found by the provider's id among the account's sends.",
  request: { params: ChannelParams },
  responses: {
    200: { description: "Accepted (Twilio gets an empty TwiML response)", content: { "text/plain": { schema: z.string() }, "text/xml": { schema: z.string() } } },
    ...problemResponses(400, 401, 404, 413, 503),
  },
});

export const handshake = createRoute({
  method: "get",
  path: "/v1/inbound/{channel_id}",
  tags,
  security: [],
  summary: "Meta's webhook verification handshake",
  request: {
    params: ChannelParams,
    query: z.object({ "hub.mode": z.string().optional(), "hub.verify_token": z.string().optional(), "hub.challenge": z.string().optional() }),
  },
  responses: { 200: { description: "The hub.challenge, echoed", content: { "text/plain": { schema: z.string() } } }, ...problemResponses(403, 404) },
});
