import type { Context } from "hono";
import { credentialsIfReadable, effectiveBaseUrl, inboundUrl, publicBaseUrl, type Credentials } from "../../channels/connections";
import type { ChannelConnection, ChannelType, CredentialHint, Provider } from "../../contract/channel";
import type { ChannelRow } from "../../db/queries/channels";
import type { AppEnv } from "../../env";

/** A secret shorter than this shows no characters: 4 of 8 would give half of it away. */
const HINT_MIN_CHARS = 12;
const HINT_CHARS = 4;

const hint = (value: string): CredentialHint => ({ last4: value.length >= HINT_MIN_CHARS ? value.slice(-HINT_CHARS) : null });

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The channel resource: which credentials are set and a hint of each, never a value.
 * `credentials` when the caller already has them opened; otherwise they are opened here.
 */
export async function present(c: Context<AppEnv>, row: ChannelRow, credentials?: Credentials | null): Promise<ChannelConnection> {
  const opened = credentials ?? (await credentialsIfReadable(c.env, row));
  return {
    id: row.id,
    type: row.type as ChannelType,
    provider: row.provider as Provider,
    sender: row.sender,
    base_url: effectiveBaseUrl(row),
    friendly_name: row.friendlyName,
    inbound_url: inboundUrl(publicBaseUrl(c.env, c.req.url), row.id),
    credentials: opened === null ? null : Object.fromEntries(Object.entries(opened).map(([field, value]) => [field, hint(value)])),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}
