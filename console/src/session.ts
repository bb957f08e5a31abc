// Who is signed in: an account API key acting as one agent identity (local development, where
// `npm start` prints the key), or a participant token, which carries its identity. Kept in
// sessionStorage, so it lasts as long as the tab and never reaches another origin.

export type Session =
  /** An API key: the whole account's inbox, live; acts as `identity` in conversations. */
  | { kind: "key"; key: string; identity: string }
  /** A participant token: its identity's own inbox and conversations. */
  | { kind: "token"; token: string; identity: string };

const KEY = "parley.console.session";

/** The identity a participant token names (its `sub`), read without checking: the server checks. */
export function tokenIdentity(token: string): string | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="))) as { sub?: unknown };
    return typeof json.sub === "string" ? json.sub : null;
  } catch {
    return null;
  }
}

/** The session a sign-in form describes, or what is wrong with it. */
export function sessionFrom(credential: string, identity: string): Session | { error: string; field: "credential" | "identity" } {
  const secret = credential.trim();
  if (secret.startsWith("sk_")) {
    const who = identity.trim();
    if (!who) return { error: "With an API key, say which agent you are (an identity such as agent-ada).", field: "identity" };
    return { kind: "key", key: secret, identity: who };
  }
  const fromToken = tokenIdentity(secret);
  if (!fromToken) return { error: "That is neither an API key (sk_…) nor a participant token.", field: "credential" };
  return { kind: "token", token: secret, identity: fromToken };
}

export function savedSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function forgetSession(): void {
  sessionStorage.removeItem(KEY);
}
