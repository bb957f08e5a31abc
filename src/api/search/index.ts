import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const searchRoutes = createRouter();
searchRoutes.openapi(routes.messages, handlers.searchMessages);
