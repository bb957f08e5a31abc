import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const draftRoutes = createRouter();
draftRoutes.openapi(routes.list, handlers.listDrafts);
draftRoutes.openapi(routes.get, handlers.getDraft);
draftRoutes.openapi(routes.approve, handlers.approveDraft);
draftRoutes.openapi(routes.reject, handlers.rejectDraft);
