import { createRouter } from "../router";
import * as handlers from "./handlers";
import * as routes from "./routes";

export const knowledgeRoutes = createRouter();
// The passage route first: `passages` is not a document id.
knowledgeRoutes.openapi(routes.passage, handlers.getKnowledgePassage);
knowledgeRoutes.openapi(routes.create, handlers.createKnowledge);
knowledgeRoutes.openapi(routes.list, handlers.listKnowledge);
knowledgeRoutes.openapi(routes.get, handlers.getKnowledge);
knowledgeRoutes.openapi(routes.update, handlers.updateKnowledge);
knowledgeRoutes.openapi(routes.remove, handlers.deleteKnowledge);
