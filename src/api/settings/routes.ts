import { createRoute } from "@hono/zod-openapi";
import { Settings, UpdateSettings } from "../../contract/settings";
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
  description: "Fields left out stay as they are; a timer set to null is turned off. Applies to conversations created from then on (their own timers are changed with PATCH /v1/conversations/{id}).",
  request: { body: jsonBody(UpdateSettings) },
  responses: { 200: jsonResponse(Settings, "The settings"), ...problemResponses(401, 413, 422) },
});
