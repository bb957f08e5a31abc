import { createRoute } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { ChannelConnection, CreateChannel, ListChannelsQuery, UpdateChannel } from "../../contract/channel";
import { ChannelParams } from "../../contract/params";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Channels"];
const security = [{ ApiKey: [] }];
const UNAVAILABLE = "503 when the deployment has no CREDENTIALS_KEYS keyring to seal or open credentials with.";

export const create = createRoute({
  method: "post",
  path: "/v1/channels",
  tags,
  security,
  summary: "Connect a provider",
  description: `Credentials are encrypted at rest and never returned; the answer's \`inbound_url\` goes into the provider's console. A second channel of the same type for the same sender is a 409. ${UNAVAILABLE}`,
  request: { body: jsonBody(CreateChannel) },
  responses: { 201: jsonResponse(ChannelConnection, "Connected"), ...problemResponses(400, 401, 409, 413, 422, 503) },
});

export const list = createRoute({
  method: "get",
  path: "/v1/channels",
  tags,
  security,
  summary: "List channels, in the order they were connected",
  request: { query: ListChannelsQuery },
  responses: { 200: jsonResponse(page(ChannelConnection), "A page of channels"), ...problemResponses(400, 401, 503) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/channels/{channel_id}",
  tags,
  security,
  summary: "Get a channel",
  request: { params: ChannelParams },
  responses: { 200: jsonResponse(ChannelConnection, "The channel"), ...problemResponses(401, 404, 503) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/channels/{channel_id}",
  tags,
  security,
  summary: "Rotate a channel's credentials, rename it, or change its base_url",
  description: `Type, provider and sender are fixed. ${UNAVAILABLE}`,
  request: { params: ChannelParams, body: jsonBody(UpdateChannel) },
  responses: { 200: jsonResponse(ChannelConnection, "Updated"), ...problemResponses(400, 401, 404, 409, 413, 422, 503) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/channels/{channel_id}",
  tags,
  security,
  summary: "Disconnect a channel",
  request: { params: ChannelParams },
  responses: { 204: { description: "Disconnected" }, ...problemResponses(401, 404) },
});
