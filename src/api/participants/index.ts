import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const participantRoutes = createRouter();
participantRoutes.openapi(routes.add, handlers.addParticipant);
participantRoutes.openapi(routes.list, handlers.listParticipants);
participantRoutes.openapi(routes.get, handlers.getParticipant);
participantRoutes.openapi(routes.remove, handlers.removeParticipant);
participantRoutes.openapi(routes.markRead, handlers.markRead);
