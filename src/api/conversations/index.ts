import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const conversationRoutes = createRouter();
conversationRoutes.openapi(routes.create, handlers.createConversation);
conversationRoutes.openapi(routes.list, handlers.listConversations);
conversationRoutes.openapi(routes.get, handlers.getConversation);
conversationRoutes.openapi(routes.update, handlers.updateConversation);
conversationRoutes.openapi(routes.remove, handlers.deleteConversation);
