import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const channelRoutes = createRouter();
channelRoutes.openapi(routes.create, handlers.createChannel);
channelRoutes.openapi(routes.list, handlers.listChannels);
channelRoutes.openapi(routes.get, handlers.getChannel);
channelRoutes.openapi(routes.update, handlers.updateChannel);
channelRoutes.openapi(routes.remove, handlers.deleteChannel);
