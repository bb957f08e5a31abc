import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const settingsRoutes = createRouter();
settingsRoutes.openapi(routes.get, handlers.getSettings);
settingsRoutes.openapi(routes.update, handlers.patchSettings);
