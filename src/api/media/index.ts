import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

/**
 * Media. Mounted in app.ts before the JSON body limit and the JSON-only rule: an upload is the raw
 * file, larger than any JSON body, and checked against its own limit. `GET /media/{id}` is outside
 * /v1 and takes no API key: its signed URL is the credential.
 */
export const mediaRoutes = createRouter();
mediaRoutes.openapi(routes.upload, handlers.uploadMedia);
mediaRoutes.openapi(routes.get, handlers.getMedia);
mediaRoutes.openapi(routes.remove, handlers.deleteMediaFile);
mediaRoutes.openapi(routes.serve, handlers.serveMedia);
