import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const handoffRoutes = createRouter();
handoffRoutes.openapi(routes.get, handlers.getHandoff);
handoffRoutes.openapi(routes.update, handlers.updateHandoff);
handoffRoutes.openapi(routes.request, handlers.requestHandoff);
handoffRoutes.openapi(routes.accept, handlers.acceptHandoff);
