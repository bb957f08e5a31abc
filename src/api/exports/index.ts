import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

/**
 * Exports: a conversation's transcript streamed from its Durable Object (under /v1/conversations,
 * whose API-key middleware covers it), bulk exports to R2 with their progress, and the signed
 * download (`GET /exports/{id}`, outside /v1, no API key: the signed URL is the credential).
 */
export const exportRoutes = createRouter();
exportRoutes.openapi(routes.conversationExport, handlers.exportConversation);
exportRoutes.openapi(routes.create, handlers.createExport);
exportRoutes.openapi(routes.list, handlers.listAccountExports);
exportRoutes.openapi(routes.get, handlers.getExport);
exportRoutes.openapi(routes.download, handlers.downloadExport);
