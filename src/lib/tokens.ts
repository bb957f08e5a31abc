import { sign, verify } from "hono/jwt";
import { LIMITS } from "./limits";

/**
 * Participant tokens: short-lived HS256 JWTs that let a browser or app act as one chat identity of
 * one account, optionally only in some conversations. Browsers cannot set headers on a WebSocket,
 * so the stream accepts the token as `?token=` or a `Sec-WebSocket-Protocol` entry as well.
 */
export type ParticipantClaims = {
  account_id: string;
  identity: string;
  /** Conversations the token is good for; absent means any conversation the identity is in. */
  conversations: string[] | null;
  expires_at: number;
};

const ISSUER = "parley";

export async function mintToken(secret: string, claims: Omit<ParticipantClaims, "expires_at">, ttlSeconds: number): Promise<{ token: string; expires_at: string }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + Math.min(ttlSeconds, LIMITS.tokenTtlSecondsMax);
  const token = await sign(
    { iss: ISSUER, sub: claims.identity, acct: claims.account_id, convs: claims.conversations ?? undefined, iat: now, exp },
    secret,
    "HS256",
  );
  return { token, expires_at: new Date(exp * 1000).toISOString() };
}

/** The claims of a valid, unexpired token; null for anything else. */
export async function readToken(secret: string, token: string): Promise<ParticipantClaims | null> {
  try {
    const payload = await verify(token, secret, { alg: "HS256", iss: ISSUER });
    const { sub, acct, convs, exp, iat } = payload as { sub?: unknown; acct?: unknown; convs?: unknown; exp?: unknown; iat?: unknown };
    if (typeof sub !== "string" || typeof acct !== "string" || typeof exp !== "number" || typeof iat !== "number") return null;
    if (exp - iat > LIMITS.tokenTtlSecondsMax) return null;
    const conversations = Array.isArray(convs) && convs.every((c) => typeof c === "string") ? (convs as string[]) : null;
    return { account_id: acct, identity: sub, conversations, expires_at: exp * 1000 };
  } catch {
    return null;
  }
}
