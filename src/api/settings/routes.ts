import { createRoute } from "@hono/zod-openapi";
import { Settings, UpdatedSettings, UpdateSettings } from "../../contract/settings";
import { jsonBody, jsonResponse, problemResponses } from "../http";

const tags = ["Settings"];
const security = [{ ApiKey: [] }];

export const get = createRoute({
  method: "get",
  path: "/v1/settings",
  tags,
  security,
  summary: "The account's settings",
  responses: { 200: jsonResponse(Settings, "The settings"), ...problemResponses(401) },
});

export const update = createRoute({
  method: "patch",
  path: "/v1/settings",
  tags,
  security,
  summary: "Change the account's settings",
  description: "Fields left out stay as they are; a timer set to null is turned off, and so is the hook. Timers apply to conversations created from then on (their own are changed with PATCH /v1/conversations/{id}). Setting `pre_event_hook` issues its signing secret, in this answer only (`pre_event_hook_secret`); other isolates see a hook change within 30 s.",
  request: { body: jsonBody(UpdateSettings) },
  responses: { 200: jsonResponse(UpdatedSettings, "The settings"), ...problemResponses(401, 413, 422, 503) },
});
