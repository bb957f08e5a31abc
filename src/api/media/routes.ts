import { createRoute, z } from "@hono/zod-openapi";
import { MediaParams, MediaResource, SignedMediaQuery, UploadMediaQuery } from "../../contract/media";
import { LIMITS } from "../../lib/limits";
import { jsonResponse, problemResponses } from "../http";

const tags = ["Media"];
const security = [{ ApiKey: [] }];

/** Any type: the body is the file itself, documented as bytes (and so not validated as JSON or a form). */
const Bytes = z.string().openapi({ format: "binary" });

export const upload = createRoute({
  method: "post",
  path: "/v1/media",
  tags,
  security,
  summary: "Upload a file",
  description: `The request body is the file itself, with its type as \`Content-Type\` (such as \`image/jpeg\`; not a multipart form), at most ${LIMITS.mediaBytes} bytes. The answer's \`url\` is a signed URL that serves it without an API key, usable as a message's \`media[].url\`. A missing or unusable content type is a 415, an empty file a 422, a larger one a 413; none stores anything. 503 when the deployment has no TOKEN_SECRET or ADMIN_TOKEN to sign URLs with.`,
  request: {
    query: UploadMediaQuery,
    body: { required: true, content: { "*/*": { schema: Bytes } } },
  },
  responses: { 201: jsonResponse(MediaResource, "Stored"), ...problemResponses(400, 401, 413, 415, 422, 503) },
});

export const get = createRoute({
  method: "get",
  path: "/v1/media/{media_id}",
  tags,
  security,
  summary: "Get a media resource, with a freshly signed URL",
  request: { params: MediaParams },
  responses: { 200: jsonResponse(MediaResource, "The media"), ...problemResponses(401, 404, 503) },
});

export const remove = createRoute({
  method: "delete",
  path: "/v1/media/{media_id}",
  tags,
  security,
  summary: "Delete a media file",
  description: `Its signed URLs answer 404 from then on (a copy a client has cached may be kept up to ${LIMITS.mediaCacheSeconds} s). Messages that carry one keep the URL.`,
  request: { params: MediaParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 404) },
});

export const serve = createRoute({
  method: "get",
  path: "/media/{media_id}",
  tags,
  security: [],
  summary: "The bytes of a media file, by signed URL (no API key; HEAD too)",
  description:
    "The URL a media resource's `url` gives, for providers (Twilio, Meta fetch media by URL) and browsers. A signature that does not match, or an expired one, is a 403; a deleted file a 404. Images, audio and video are served inline; anything else as an attachment, so an uploaded page never runs on this origin.",
  request: { params: MediaParams, query: SignedMediaQuery },
  responses: {
    200: { description: "The file, with its stored Content-Type", content: { "*/*": { schema: Bytes } } },
    ...problemResponses(400, 403, 404, 503),
  },
});
