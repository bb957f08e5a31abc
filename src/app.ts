import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { accountRoutes } from "./api/accounts";
import { agentRoutes, agentStreamRoutes } from "./api/agents";
import { requireApiKey } from "./api/auth";
import { channelRoutes } from "./api/channels";
import { contactRoutes } from "./api/contacts";
import { draftRoutes } from "./api/drafts";
import { handoffRoutes } from "./api/handoff";
import { knowledgeRoutes } from "./api/knowledge";
import { conversationRoutes } from "./api/conversations";
import { exportRoutes } from "./api/exports";
import { messageRoutes } from "./api/messages";
import { notFound, onError, requireJsonBody } from "./api/middleware";
import { participantRoutes } from "./api/participants";
import { createRouter } from "./api/router";
import { identityRoutes } from "./api/identities";
import { inboundRoutes } from "./api/inbound";
import { mediaRoutes } from "./api/media";
import { streamRoutes } from "./api/streams";
import { searchRoutes } from "./api/search";
import { settingsRoutes } from "./api/settings";
import { tokenRoutes } from "./api/tokens";
import { webhookRoutes } from "./api/webhooks";
import { LIMITS } from "./lib/limits";
import { problem, problemResponse } from "./lib/problem";

export function buildApp() {
  const app = createRouter();
  app.onError(onError);
  app.notFound(notFound(() => app.routes));

  app.get("/health", (c) => c.json({ ok: true }));
  // WebSocket routes first: the CORS and body middleware below must not touch an upgrade.
  app.route("/", streamRoutes);
  app.route("/", agentStreamRoutes);

  // CORS headers matter only to browsers, which always send Origin; server-to-server calls skip it.
  const browserCors = cors({ origin: "*", allowHeaders: ["authorization", "content-type", "idempotency-key"], exposeHeaders: ["idempotent-replayed"] });
  app.use("/v1/*", (c, next) => (c.req.header("origin") === undefined ? next() : browserCors(c, next)));
  // Uploads are the raw file, over the JSON body limit: before it and the JSON-only rule, with a limit of their own (see api/media).
  app.use("/v1/media", requireApiKey);
  app.use("/v1/media/*", requireApiKey);
  app.route("/", mediaRoutes);
  // Provider webhooks post forms and carry no API key: before the JSON-only rule (see api/inbound),
  // and before the JSON body limit, with their own: a Mailgun post carries the mail's attachments.
  app.use("/v1/inbound/*", bodyLimit({ maxSize: LIMITS.inboundBodyBytes, onError: () => problemResponse(problem(413, `the request body is over ${LIMITS.inboundBodyBytes} bytes`)) }));
  app.route("/", inboundRoutes);
  app.use("/v1/*", bodyLimit({ maxSize: LIMITS.requestBodyBytes, onError: () => problemResponse(problem(413, `the request body is over ${LIMITS.requestBodyBytes} bytes`)) }));
  app.use("/v1/*", requireJsonBody);
  app.route("/", accountRoutes);

  app.use("/v1/conversations", requireApiKey);
  app.use("/v1/conversations/*", requireApiKey);
  app.route("/", conversationRoutes);
  app.route("/", participantRoutes);
  app.route("/", messageRoutes);
  app.route("/", handoffRoutes);
  app.use("/v1/tokens", requireApiKey);
  app.route("/", tokenRoutes);
  app.route("/", identityRoutes);
  app.use("/v1/channels", requireApiKey);
  app.use("/v1/channels/*", requireApiKey);
  app.route("/", channelRoutes);
  app.use("/v1/settings", requireApiKey);
  app.route("/", settingsRoutes);
  app.use("/v1/contacts", requireApiKey);
  app.use("/v1/contacts/*", requireApiKey);
  app.route("/", contactRoutes);
  app.use("/v1/webhooks", requireApiKey);
  app.use("/v1/webhooks/*", requireApiKey);
  app.route("/", webhookRoutes);
  app.use("/v1/knowledge", requireApiKey);
  app.use("/v1/knowledge/*", requireApiKey);
  app.route("/", knowledgeRoutes);
  app.use("/v1/drafts", requireApiKey);
  app.use("/v1/drafts/*", requireApiKey);
  app.route("/", draftRoutes);
  app.use("/v1/search/*", requireApiKey);
  app.route("/", searchRoutes);
  app.use("/v1/agents", requireApiKey);
  app.use("/v1/agents/*", requireApiKey);
  app.use("/v1/routing/*", requireApiKey);
  app.route("/", agentRoutes);
  app.use("/v1/exports", requireApiKey);
  app.use("/v1/exports/*", requireApiKey);
  app.route("/", exportRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", { type: "http", scheme: "bearer", description: "An account API key, `sk_…`." });
  app.openAPIRegistry.registerComponent("securitySchemes", "ParticipantToken", { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A participant token from POST /v1/tokens." });
  app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", { type: "http", scheme: "bearer", description: "The deployment's ADMIN_TOKEN." });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Parley API",
      version: "1.0.0",
      description: "One ordered thread per conversation, whatever channel each message comes in on or goes out through. Errors are RFC 9457 problem documents.",
    },
  });
  // No CDN: the reference's script is served from this deployment's static assets (scripts/build-assets.mjs), its fonts are the system's, and
  // its AI agent (which asks Scalar's servers for an API registry) is off.
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Parley API reference", cdn: "/vendor/scalar/standalone.js", withDefaultFonts: false, agent: { disabled: true } }));
  return app;
}
