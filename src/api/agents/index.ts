import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

/** Agents, their presence socket, and routing conversations to them (src/routing). */
export const agentRoutes = createRouter();
agentRoutes.openapi(routes.create, handlers.createAgent);
agentRoutes.openapi(routes.list, handlers.listAgents);
agentRoutes.openapi(routes.get, handlers.getAgent);
agentRoutes.openapi(routes.update, handlers.updateAgent);
agentRoutes.openapi(routes.remove, handlers.deleteAgent);
agentRoutes.openapi(routes.route, handlers.routeConversation);
agentRoutes.openapi(routes.routing, handlers.getRouting);
agentRoutes.openapi(routes.queue, handlers.listQueue);

/** The WebSocket upgrade: mounted before CORS and the body middleware, as the other streams are. */
export const agentStreamRoutes = createRouter();
agentStreamRoutes.openapi(routes.stream, handlers.openAgentStream);
