import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const tokenRoutes = createRouter();
tokenRoutes.openapi(routes.mint, handlers.mintToken);
