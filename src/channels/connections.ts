import { CREDENTIALS, DEFAULT_BASE_URL, type ChannelType, type CreateChannel, type CredentialsOf, type Provider } from "../contract/channel";
import * as q from "../db/queries/channels";
import type { ChannelRow } from "../db/queries/channels";
import type { Env } from "../env";
import type { ExternalChannel } from "./registry";
import { isId, newId } from "../lib/ids";
import { fail, problem, ProblemError } from "../lib/problem";
import { deploymentKeyring, openJson, sealJson, UnsealError } from "../lib/secrets";

/**
 * Connected providers and their credentials: sealing on write, opening on read. The one place
 * that turns a channel row into credentials other code can use (the inbound route, delivery).
 * Credentials are never logged: what is logged names the channel and the key id only.
 */

export type Credentials = Record<string, string>;

/** A channel with its credentials opened, typed by provider. */
export type LoadedChannel = {
  id: string;
  accountId: string;
  type: ChannelType;
  sender: string;
  /** The API to call: the channel's own, else the provider's default; null for cloudflare (the send_email binding). */
  baseUrl: string | null;
  friendlyName: string | null;
  createdAt: number;
  updatedAt: number;
} & { [P in Provider]: { provider: P; credentials: CredentialsOf<P> } }[Provider];

export const NOT_CONFIGURED = "channel credentials are not configured on this deployment";

/**
 * A channel whose stored credentials this deployment cannot open: sealed with a key no longer in
 * the keyring, or a ciphertext that is not this row's. A 503 where it reaches HTTP: nothing the
 * caller sent is wrong, and the channel cannot be used until an operator restores the key or the
 * account sends its credentials again.
 */
export class UnreadableCredentials extends ProblemError {
  constructor(readonly channelId: string) {
    super(problem(503, "this channel's stored credentials cannot be read on this deployment"));
  }
}

const keyring = (env: Env) => deploymentKeyring(env, "channel credentials", NOT_CONFIGURED);

/** Binds a ciphertext to its row: copied to another channel or account, it does not open. */
const aad = (accountId: string, channelId: string) => `parley/channel-credentials/v1 ${accountId} ${channelId}`;

/** Seals credentials for a row; a provider without credentials (cloudflare) stores none and needs no keyring. */
async function seal(env: Env, accountId: string, channelId: string, credentials: Credentials): Promise<Pick<ChannelRow, "keyId" | "ciphertext">> {
  if (Object.keys(credentials).length === 0) return { keyId: null, ciphertext: null };
  const sealed = await sealJson(await keyring(env), credentials, aad(accountId, channelId));
  return { keyId: sealed.keyId, ciphertext: sealed.ciphertext };
}

/** The row's credentials, checked against its provider's fields; UnreadableCredentials when they do not open. */
export async function openCredentials(env: Env, row: ChannelRow): Promise<Credentials> {
  const schema = Object.hasOwn(CREDENTIALS, row.provider) ? CREDENTIALS[row.provider as Provider] : undefined;
  let value: unknown = {};
  if (row.keyId !== null && row.ciphertext !== null) {
    try {
      value = await openJson(await keyring(env), { keyId: row.keyId, ciphertext: row.ciphertext }, aad(row.accountId, row.id));
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error;
      console.warn(`channel ${row.id}: stored credentials do not open: ${error.message}`);
      throw new UnreadableCredentials(row.id);
    }
  }
  const parsed = schema?.safeParse(value);
  if (!parsed?.success) {
    console.warn(`channel ${row.id}: stored credentials do not fit provider ${row.provider}`);
    throw new UnreadableCredentials(row.id);
  }
  return parsed.data as Credentials;
}

/** For showing a channel: its credentials, or null when this deployment cannot open them, so it can still be seen and repaired. */
export async function credentialsIfReadable(env: Env, row: ChannelRow): Promise<Credentials | null> {
  try {
    return await openCredentials(env, row);
  } catch (error) {
    if (error instanceof UnreadableCredentials) return null;
    throw error;
  }
}

export const effectiveBaseUrl = (row: ChannelRow): string | null => row.baseUrl ?? DEFAULT_BASE_URL[row.provider as Provider] ?? null;

function loaded(row: ChannelRow, credentials: Credentials): LoadedChannel {
  const { id, accountId, sender, friendlyName, createdAt, updatedAt } = row;
  // The row was written from a validated (type, provider) pair and its credentials checked on opening.
  return { id, accountId, type: row.type, provider: row.provider, sender, baseUrl: effectiveBaseUrl(row), friendlyName, createdAt, updatedAt, credentials } as LoadedChannel;
}

/**
 * A channel by id alone, credentials opened; null when there is none. For the inbound webhook
 * route, whose requests name their channel in the URL and carry no API key: the caller must verify
 * the provider's signature with these credentials before trusting anything else in the request.
 * Throws UnreadableCredentials, or a 503 problem when the deployment has no keyring.
 */
export async function loadChannel(env: Env, channelId: string): Promise<LoadedChannel | null> {
  if (!isId("channel", channelId)) return null;
  const row = await q.channelById(env.DB, channelId);
  return row ? loaded(row, await openCredentials(env, row)) : null;
}

/**
 * Per isolate, the channels inbound webhooks named lately, credentials opened: a provider posts
 * to the same few channels all day, and reading and opening the row is the first of a webhook's
 * D1 round trips. An entry lives CHANNEL_CACHE_MS; a change made through this isolate drops it at
 * once, one made elsewhere within that time. A signature that fails against a cached entry is
 * checked again against the row (`fresh`), so a rotated secret never refuses a good webhook.
 */
const channelCache = new Map<string, { channel: LoadedChannel; until: number }>();
const CHANNEL_CACHE_MS = 30_000;
const CHANNEL_CACHE_MAX = 1000;

/** loadChannel through the cache; `cached` says whether the row was read just now. */
export async function loadChannelCached(env: Env, channelId: string, now = Date.now()): Promise<{ channel: LoadedChannel | null; cached: boolean }> {
  const hit = channelCache.get(channelId);
  if (hit && hit.until > now) return { channel: hit.channel, cached: true };
  const channel = await loadChannel(env, channelId);
  if (channel) {
    if (channelCache.size >= CHANNEL_CACHE_MAX) channelCache.delete(channelCache.keys().next().value!);
    channelCache.set(channelId, { channel, until: now + CHANNEL_CACHE_MS });
  } else channelCache.delete(channelId);
  return { channel, cached: false };
}

/** Per isolate, which channel sends for (account, channel type), as channelForDelivery chose it. */
const deliveryCache = new Map<string, { channel: LoadedChannel; until: number }>();

/** Drops a channel from this isolate's caches (it was changed or deleted). */
export function forgetChannel(channelId: string): void {
  channelCache.delete(channelId);
  for (const [key, entry] of deliveryCache) if (entry.channel.id === channelId) deliveryCache.delete(key);
}

/** One of the account's channels, credentials opened; null when the account has no such channel. */
export async function loadAccountChannel(env: Env, accountId: string, channelId: string): Promise<LoadedChannel | null> {
  if (!isId("channel", channelId)) return null;
  const row = await q.accountChannel(env.DB, accountId, channelId);
  return row ? loaded(row, await openCredentials(env, row)) : null;
}

/**
 * The channel a message to a recipient on `channel` goes out through: the account's oldest channel
 * of that type, else (SMS and MMS share numbers) of the sibling type; null when it has none.
 * Cached per isolate like the inbound channels: a channel connected later is never the oldest, so
 * only a change or deletion through another isolate goes unseen, for CHANNEL_CACHE_MS at most.
 */
export async function channelForDelivery(env: Env, accountId: string, channel: ExternalChannel, now = Date.now()): Promise<LoadedChannel | null> {
  const key = `${accountId} ${channel}`;
  const hit = deliveryCache.get(key);
  if (hit && hit.until > now) return hit.channel;
  const types: ChannelType[] = channel === "sms" ? ["sms", "mms"] : channel === "mms" ? ["mms", "sms"] : [channel];
  const rows = await q.channelsOfTypes(env.DB, accountId, types);
  const row = rows.find((r) => r.type === channel) ?? rows[0];
  const found = row ? loaded(row, await openCredentials(env, row)) : null;
  // An account with no such channel is asked again next time: a channel connected a moment ago must send at once.
  if (found) {
    if (deliveryCache.size >= CHANNEL_CACHE_MAX) deliveryCache.delete(deliveryCache.keys().next().value!);
    deliveryCache.set(key, { channel: found, until: now + CHANNEL_CACHE_MS });
  }
  return found;
}

/** The account's channel row, or a 404 (another account's included). */
export async function accountChannelRow(env: Env, accountId: string, channelId: string): Promise<ChannelRow> {
  const row = isId("channel", channelId) ? await q.accountChannel(env.DB, accountId, channelId) : undefined;
  if (!row) throw fail.notFound("channel");
  return row;
}

/** Connects a provider: the row with its credentials sealed, or a 409 when the sender is taken for that type. */
/**
 * A base_url on this machine is for the local provider simulator; a deployment that is not
 * `ENVIRONMENT=development` refuses it (a channel must not make the Worker call itself or its host).
 */
function checkBaseUrlHere(env: Env, baseUrl: string | null | undefined): void {
  if (!baseUrl || env.ENVIRONMENT === "development") return;
  const host = new URL(baseUrl).hostname;
  if (host === "localhost" || host === "127.0.0.1" || host === "[::1]") {
    throw new ProblemError(problem(422, "base_url may point at this machine only in development", [{ path: "body.base_url", message: "loopback hosts are for the local simulator" }]));
  }
}

export async function connectChannel(env: Env, accountId: string, input: CreateChannel): Promise<{ row: ChannelRow; credentials: Credentials }> {
  checkBaseUrlHere(env, input.provider === "cloudflare" ? null : input.base_url);
  if (input.provider === "cloudflare" && (await q.cloudflareSenderHolder(env.DB, accountId, input.sender))) {
    // Said without naming the other account's channel: whose it is is not this account's business.
    throw fail.conflict(`${input.sender} (or its domain) already takes mail for another account on this deployment`, "body.sender");
  }
  const id = newId("channel");
  const now = Date.now();
  const credentials: Credentials = input.credentials ?? {};
  const row: ChannelRow = {
    id,
    accountId,
    type: input.type,
    provider: input.provider,
    sender: input.sender,
    baseUrl: input.provider === "cloudflare" ? null : (input.base_url ?? null),
    friendlyName: input.friendly_name ?? null,
    ...(await seal(env, accountId, id, credentials)),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await q.insertChannel(env.DB, row))) {
    const existing = await q.channelForSender(env.DB, accountId, input.type, input.sender);
    throw fail.conflict(`this account already has a channel of type ${input.type} for ${input.sender}${existing ? ` (${existing})` : ""}`, "body.sender");
  }
  return { row, credentials };
}

export interface ChannelPatch {
  friendly_name?: string | null;
  base_url?: string | null;
  /** Some or all of the provider's fields, already checked against it. */
  credentials?: Credentials;
}

/**
 * Applies a PATCH. New credentials are sealed under the current key; fields not given keep their
 * values, which needs the stored ones opened (a 409 when they cannot be: the whole object then
 * replaces them). Returns the opened credentials when it has them.
 */
export async function updateChannel(env: Env, row: ChannelRow, patch: ChannelPatch): Promise<{ row: ChannelRow; credentials: Credentials | null }> {
  checkBaseUrlHere(env, patch.base_url);
  // Stored credentials go wherever base_url points: moving it takes the credentials again, so an
  // API key alone cannot send them to a host of its choosing. Back to the provider's default is fine.
  if (typeof patch.base_url === "string" && row.provider !== "cloudflare") {
    const fields = Object.keys(CREDENTIALS[row.provider as Provider].shape);
    if (!fields.every((f) => f in (patch.credentials ?? {}))) {
      throw new ProblemError(problem(422, `a new base_url needs the whole credentials object with it (${fields.join(", ")})`, [{ path: "body.credentials", message: "required with base_url" }]));
    }
  }
  const changes: q.ChannelChanges = { updatedAt: Date.now() };
  if (patch.friendly_name !== undefined) changes.friendlyName = patch.friendly_name;
  if (patch.base_url !== undefined) changes.baseUrl = patch.base_url;
  let credentials: Credentials | null = null;
  let ifCiphertext: string | undefined;
  const given = patch.credentials ?? {};
  if (Object.keys(given).length > 0) {
    const fields = Object.keys(CREDENTIALS[row.provider as Provider].shape);
    let kept: Credentials = {};
    if (!fields.every((f) => f in given)) {
      try {
        kept = await openCredentials(env, row);
      } catch (error) {
        if (!(error instanceof UnreadableCredentials)) throw error;
        throw fail.conflict(`this channel's stored credentials cannot be read on this deployment: send the whole credentials object (${fields.join(", ")})`, "body.credentials");
      }
      // The merge was made from this copy: a rotation that lands first must not be undone by it.
      ifCiphertext = row.ciphertext ?? undefined;
    }
    credentials = { ...kept, ...given };
    Object.assign(changes, await seal(env, row.accountId, row.id, credentials));
  }
  const updated = await q.updateChannelRow(env.DB, row.accountId, row.id, changes, ifCiphertext);
  forgetChannel(row.id);
  if (updated) return { row: updated, credentials };
  if (ifCiphertext !== undefined && (await q.accountChannel(env.DB, row.accountId, row.id))) {
    throw fail.conflict("the channel's credentials changed while this request was changing them; retry", "body.credentials");
  }
  throw fail.notFound("channel");
}

/** Disconnects one of the account's channels, or a 404. */
export async function deleteChannel(env: Env, accountId: string, channelId: string): Promise<void> {
  forgetChannel(channelId);
  if (!isId("channel", channelId) || !(await q.deleteChannelRow(env.DB, accountId, channelId))) throw fail.notFound("channel");
}

/** Where providers reach this deployment: PUBLIC_BASE_URL, else the origin the request came in on. */
export function publicBaseUrl(env: Env, requestUrl: string): string {
  return env.PUBLIC_BASE_URL?.replace(/\/+$/, "") || new URL(requestUrl).origin;
}

/** The URL a channel's provider posts its webhooks to. */
export const inboundUrl = (publicBase: string, channelId: string) => `${publicBase}/v1/inbound/${channelId}`;
