import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import { accountForKey } from "../accounts/keys";
import type { AppEnv, AppVariables, Env } from "../env";
import { fail } from "../lib/problem";
import { readToken, type ParticipantClaims } from "../lib/tokens";

/**
 * Who is calling: a server with an API key (any identity of the account), or a browser/app with a
 * participant token (one identity, maybe only some conversations).
 */
export type Caller =
  | { kind: "server"; accountId: string }
  | { kind: "participant"; accountId: string; claims: ParticipantClaims };

/** The key tokens are signed with: TOKEN_SECRET, or one derived from ADMIN_TOKEN when unset. */
export async function tokenSecret(env: Env): Promise<string> {
  if (env.TOKEN_SECRET) return env.TOKEN_SECRET;
  if (!env.ADMIN_TOKEN) throw new Error("set TOKEN_SECRET (or ADMIN_TOKEN) to sign participant tokens");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(env.ADMIN_TOKEN), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const derived = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("parley participant tokens v1"));
  return btoa(String.fromCharCode(...new Uint8Array(derived)));
}

export async function callerFor(env: Env, credential: string | undefined): Promise<Caller> {
  if (!credential) throw fail.unauthorized("send an API key or a participant token as `Authorization: Bearer …`");
  if (credential.startsWith("sk_")) {
    const accountId = await accountForKey(env.DB, credential);
    if (!accountId) throw fail.unauthorized("the API key is not valid or was revoked");
    return { kind: "server", accountId };
  }
  const claims = await readToken(await tokenSecret(env), credential);
  if (!claims) throw fail.unauthorized("the participant token is not valid or has expired");
  return { kind: "participant", accountId: claims.account_id, claims };
}

export function bearer(c: Context): string | undefined {
  return c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/** The context of routes open to both servers and participant tokens. */
export type CallerEnv = AppEnv & { Variables: AppVariables & { caller: Caller } };

/** Routes open to both servers and participant tokens put the caller here. */
export const requireCaller = createMiddleware<CallerEnv>(async (c, next) => {
  const caller = await callerFor(c.env, bearer(c));
  c.set("caller", caller);
  c.set("accountId", caller.accountId);
  await next();
});
