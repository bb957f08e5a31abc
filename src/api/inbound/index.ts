import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

/**
 * Provider webhooks. Mounted before the JSON-only and API-key middleware: providers post forms
 * (Twilio, Mailgun) and carry no API key; each request proves itself with its channel's signature.
 */
export const inboundRoutes = createRouter();
inboundRoutes.openapi(routes.receive, handlers.receiveWebhook);
inboundRoutes.openapi(routes.handshake, handlers.verifyWebhook);
