/**
 * The `channel_tokens` rows (migrations/0007-channel-tokens.ts): each channel's
 * token state, shared by every instance. Tokens arrive here already sealed
 * (token-cipher.ts); this module never sees one in the clear. Every change is
 * conditional on the state it replaces, so two instances writing at once
 * cannot overwrite each other's newer state.
 */
import type { Store } from './open';
import { inWriteTransaction } from './transaction';

/** Old `.env` tokens remembered per channel (each replacement by staff adds one). */
const RETIRED_KEPT = 20;

export interface ChannelTokenRow {
  channelId: string;
  /** Sealed refreshed token; null while the `.env` token is used. */
  tokenSealed: string | null;
  source: 'env' | 'refreshed';
  envFingerprint: string;
  /** Fingerprints of `.env` tokens this state replaced. */
  retired: string[];
  obtainedAt: Date;
  expiresAt: Date | null;
  updatedAt: Date;
  updatedBy: string;
}

/** The state as the row's columns; the token's associated data is built from these. */
export type ChannelTokenValues = Omit<ChannelTokenRow, 'channelId' | 'updatedAt' | 'updatedBy' | 'retired'>;

export async function getChannelToken(store: Store, channelId: string): Promise<ChannelTokenRow | null> {
  const row = await store.db.selectFrom('channel_tokens').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
  if (!row) return null;
  return {
    channelId: row.channel_id,
    tokenSealed: row.token_sealed,
    source: row.source === 'refreshed' ? 'refreshed' : 'env',
    envFingerprint: row.env_fingerprint,
    retired: parseRetired(row.retired_fingerprints),
    obtainedAt: new Date(Number(row.obtained_at)),
    expiresAt: row.expires_at === null ? null : new Date(Number(row.expires_at)),
    updatedAt: new Date(Number(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

/** Inserts the channel's first state; false when a row is there already. */
export async function insertChannelToken(store: Store, channelId: string, values: ChannelTokenValues, by: { owner: string; now: Date }): Promise<boolean> {
  const result = await store.db
    .insertInto('channel_tokens')
    .values({ channel_id: channelId, ...columns(values), retired_fingerprints: '[]', updated_at: by.now.getTime(), updated_by: by.owner })
    .onConflict((oc) => oc.column('channel_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Replaces the state descending from the `.env` token `expected.envFingerprint`
 * (and, when given, obtained at `expected.obtainedAt`); with `retire`, that
 * fingerprint joins the retired ones. False when the row moved on meanwhile.
 */
export async function replaceChannelToken(
  store: Store,
  channelId: string,
  expected: { envFingerprint: string; obtainedAt?: Date },
  values: ChannelTokenValues,
  by: { owner: string; now: Date; retire?: boolean },
): Promise<boolean> {
  return inWriteTransaction(store, async (trx) => {
    let select = trx.selectFrom('channel_tokens').select(['retired_fingerprints']).where('channel_id', '=', channelId).where('env_fingerprint', '=', expected.envFingerprint);
    if (expected.obtainedAt) select = select.where('obtained_at', '=', expected.obtainedAt.getTime());
    const current = await (store.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
    if (!current) return false;
    const retired = parseRetired(current.retired_fingerprints);
    if (by.retire && !retired.includes(expected.envFingerprint)) retired.push(expected.envFingerprint);
    await trx
      .updateTable('channel_tokens')
      .set({ ...columns(values), retired_fingerprints: JSON.stringify(retired.slice(-RETIRED_KEPT)), updated_at: by.now.getTime(), updated_by: by.owner })
      .where('channel_id', '=', channelId)
      .execute();
    return true;
  });
}

function columns(values: ChannelTokenValues) {
  return {
    token_sealed: values.tokenSealed,
    source: values.source,
    env_fingerprint: values.envFingerprint,
    obtained_at: values.obtainedAt.getTime(),
    expires_at: values.expiresAt?.getTime() ?? null,
  };
}

function parseRetired(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}
