import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const webhookRoutes = createRouter();
webhookRoutes.openapi(routes.create, handlers.createWebhook);
webhookRoutes.openapi(routes.list, handlers.listWebhooks);
webhookRoutes.openapi(routes.get, handlers.getWebhook);
webhookRoutes.openapi(routes.update, handlers.updateWebhook);
webhookRoutes.openapi(routes.remove, handlers.deleteWebhook);
webhookRoutes.openapi(routes.rotate, handlers.rotateSecret);
webhookRoutes.openapi(routes.deliveries, handlers.listDeliveries);
webhookRoutes.openapi(routes.replayDelivery, handlers.replayDelivery);
webhookRoutes.openapi(routes.replayRange, handlers.replayRange);
webhookRoutes.openAPIRegistry.registerWebhook(routes.eventDelivery);
