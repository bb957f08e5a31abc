import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

/** WebSocket upgrades: mounted before CORS and the body middleware (see handlers.ts). */
export const streamRoutes = createRouter();
streamRoutes.openapi(routes.conversationStream, handlers.openConversationStream);
streamRoutes.openapi(routes.accountStream, handlers.openAccountStream);
