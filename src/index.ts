import { buildApp } from "./app";
import type { Env } from "./env";

export { AccountHubDO } from "./accounts/hub-do";
export { ConversationDO } from "./conversation/conversation-do";

const app = buildApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
