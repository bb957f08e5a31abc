import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const contactRoutes = createRouter();
contactRoutes.openapi(routes.create, handlers.createContact);
contactRoutes.openapi(routes.list, handlers.listContacts);
contactRoutes.openapi(routes.get, handlers.getContact);
contactRoutes.openapi(routes.update, handlers.updateContact);
contactRoutes.openapi(routes.remove, handlers.deleteContact);
contactRoutes.openapi(routes.merge, handlers.mergeContact);
