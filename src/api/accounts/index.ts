import { requireAdmin } from "../auth";
import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const accountRoutes = createRouter();
accountRoutes.use("/v1/accounts", requireAdmin);
accountRoutes.use("/v1/accounts/*", requireAdmin);
accountRoutes.openapi(routes.createAccount, handlers.createAccount);
accountRoutes.openapi(routes.createKey, handlers.issueKey);
accountRoutes.openapi(routes.listKeys, handlers.listKeys);
accountRoutes.openapi(routes.revokeKey, handlers.revokeKey);
