import { requireCaller, type CallerEnv } from "../caller";
import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const identityRoutes = createRouter<CallerEnv>();
identityRoutes.use("/v1/identities/*", requireCaller);
identityRoutes.openapi(routes.inbox, handlers.listInbox);
