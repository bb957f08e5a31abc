import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const messageRoutes = createRouter();
messageRoutes.openapi(routes.send, handlers.sendMessage);
messageRoutes.openapi(routes.history, handlers.listMessages);
messageRoutes.openapi(routes.get, handlers.getMessage);
messageRoutes.openapi(routes.remove, handlers.deleteMessage);
