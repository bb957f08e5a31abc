import type { RouteHandler } from "@hono/zod-openapi";
import { HOOK_SECRET_ID, readSettings, updateSettings } from "../../db/queries/settings";
import type { AppEnv } from "../../env";
import { forgetSettings } from "../../settings/cached";
import { checkWebhookUrl } from "../../webhooks/url";
import { newWebhookSecret, sealSecrets } from "../../webhooks/secrets";
import { forgetAiConfig } from "../../ai/config";
import { sealLlmKey } from "../../ai/settings";
import type * as routes from "./routes";

export const getSettings: RouteHandler<typeof routes.get, AppEnv> = async (c) => c.json(await readSettings(c.env.DB, c.var.accountId), 200);

export const patchSettings: RouteHandler<typeof routes.update, AppEnv> = async (c) => {
  const patch = c.req.valid("json");
  const accountId = c.var.accountId;
  let secret: string | undefined;
  let hook: { url: string; sealed: Awaited<ReturnType<typeof sealSecrets>> } | null | undefined;
  if (patch.pre_event_hook === null) hook = null;
  else if (patch.pre_event_hook !== undefined) {
    checkWebhookUrl(patch.pre_event_hook.url, c.env, "body.pre_event_hook.url");
    secret = newWebhookSecret();
    hook = { url: patch.pre_event_hook.url, sealed: await sealSecrets(c.env, accountId, HOOK_SECRET_ID, { current: secret, previous: null }) };
  }
  const timers = Object.fromEntries(Object.entries(patch.timers ?? {}).filter(([, v]) => v !== undefined));
  const plain = Object.fromEntries(Object.entries({ fallback_order: patch.fallback_order, delivery_timeouts: patch.delivery_timeouts, whatsapp_template: patch.whatsapp_template, chat_grace_seconds: patch.chat_grace_seconds }).filter(([, v]) => v !== undefined));
  const retention = Object.fromEntries(Object.entries(patch.retention ?? {}).filter(([, v]) => v !== undefined));
  if (patch.ai?.openai) checkWebhookUrl(patch.ai.openai.base_url, c.env, "body.ai.openai.base_url");
  const ai = patch.ai && { change: patch.ai, sealedKey: patch.ai.openai?.api_key === undefined ? undefined : await sealLlmKey(c.env, accountId, patch.ai.openai.api_key) };
  const settings = await updateSettings(c.env.DB, accountId, { timers, retention, hook, plain, ai }, Date.now());
  // This isolate sees the change at once; others within the cache's 30 s.
  forgetSettings(accountId);
  forgetAiConfig(accountId);
  return c.json(secret === undefined ? settings : { ...settings, pre_event_hook_secret: secret }, 200);
};
