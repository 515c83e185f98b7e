/**
 * The live bot's token vault (channels/token-vault.ts): refreshed access
 * tokens in the ledger database, sealed (store/token-cipher.ts), shared by every
 * instance; each token refreshed once for the cluster (a `job_runs` claim per
 * token state: whichever instance claims it refreshes, the others keep the
 * current token, still valid, and read the new one from the database).
 *
 * Which key (store/token-key.ts): `HERALD_TOKEN_KEY` when set; else, on SQLite,
 * `<data>/token-key`; on PostgreSQL without the variable, tokens stay in each
 * instance's `tokens/` files as before and a warning says what to set.
 *
 * Refreshed tokens a previous version kept in `<data>/tokens/` are moved into
 * the database (sealed) on first use and the file is deleted.
 */
import fs from 'node:fs';
import type { RefreshClaim, TokenRead, TokenState, TokenVault } from '../channels/token-vault';
import { createFileTokenVault, readTokenState, tokenFilePath } from '../channels/instagram/token-store';
import type { Logger } from '../logger';
import { getChannelToken, insertChannelToken, replaceChannelToken, type ChannelTokenRow, type ChannelTokenValues } from '../store/channel-tokens';
import { claimJobRun, finishJobRun, releaseJobRun } from '../store/job-runs';
import type { Store } from '../store/open';
import { createTokenCipher, TokenUnsealError, type TokenCipher } from '../store/token-cipher';
import { loadOrCreateTokenKeyFile, TOKEN_KEY_FILE, TOKEN_KEY_VARIABLE, tokenKeyFromEnv } from '../store/token-key';

export const TOKEN_REFRESH_JOB = 'token-refresh';

export interface TokenVaultDeps {
  store: Store;
  env: Readonly<Record<string, string | undefined>>;
  dataDir: string;
  /** This instance (job_runs owner, `updated_by`). */
  owner: string;
  logger: Logger;
}

/**
 * The vault for `run` (and `check --online`). Throws AppError('usage') when
 * HERALD_TOKEN_KEY is set but malformed (at start, where staff see it).
 */
export function createTokenVault(deps: TokenVaultDeps): TokenVault {
  const envKey = tokenKeyFromEnv(deps.env);
  if (!envKey && deps.store.dialect === 'postgres') {
    return warnOnFirstUse(
      createFileTokenVault(deps.dataDir),
      deps.logger,
      `${TOKEN_KEY_VARIABLE} is not set: with PostgreSQL, refreshed Instagram tokens stay in each instance's ${deps.dataDir}/tokens/ and every instance refreshes its own. Set ${TOKEN_KEY_VARIABLE} (\`openssl rand -hex 32\`), the same on every instance, so tokens are kept in the database, encrypted, and one refresh serves all`,
    );
  }
  let cipher: TokenCipher | null = envKey ? createTokenCipher(envKey) : null;
  const keyAdvice = envKey
    ? `give every instance the same ${TOKEN_KEY_VARIABLE}`
    : `the key is ${deps.dataDir}/${TOKEN_KEY_FILE}: put back the one that was beside this database (from the backup), or set ${TOKEN_KEY_VARIABLE} to that key`;
  return createDatabaseTokenVault({ ...deps, cipher: () => (cipher ??= createTokenCipher(loadOrCreateTokenKeyFile(deps.dataDir))), keyAdvice });
}

interface DatabaseVaultDeps extends TokenVaultDeps {
  /** The cipher, made on first need (the key file is only created when a token is sealed or opened). */
  cipher: () => TokenCipher;
  /** What to do when a token was sealed with another key. */
  keyAdvice: string;
}

function createDatabaseTokenVault(deps: DatabaseVaultDeps): TokenVault {
  const { store, owner } = deps;
  const imported = new Set<string>();
  const by = (now: Date) => ({ owner, now });
  const runOf = (channelId: string, from: TokenState) => ({ job: TOKEN_REFRESH_JOB, periodKey: `${channelId}|${from.envFingerprint.slice(0, 16)}|${from.obtainedAt.getTime()}`, owner });

  const seal = (channelId: string, state: TokenState): ChannelTokenValues => {
    const values = { source: state.source, envFingerprint: state.envFingerprint, obtainedAt: state.obtainedAt, expiresAt: state.expiresAt };
    // A token from .env is in the environment already: the database keeps only when it was first seen.
    return { ...values, tokenSealed: state.source === 'env' ? null : deps.cipher().seal(state.token, associatedData(channelId, values)) };
  };

  function open(row: ChannelTokenRow): TokenRead {
    const retired = row.retired;
    const state = { obtainedAt: row.obtainedAt, expiresAt: row.expiresAt, source: row.source, envFingerprint: row.envFingerprint };
    if (row.tokenSealed === null) {
      if (row.source === 'env') return { kind: 'stored', state: { ...state, token: null }, retired };
      return { kind: 'unreadable', envFingerprint: row.envFingerprint, retired, reason: 'its row has no token (damaged)' };
    }
    try {
      return { kind: 'stored', state: { ...state, token: deps.cipher().open(row.tokenSealed, associatedData(row.channelId, state)) }, retired };
    } catch (error) {
      const reason = !(error instanceof TokenUnsealError)
        ? `no key to open it (${(error as Error).message})`
        : error.reason === 'other-key'
          ? `${error.message}: ${deps.keyAdvice}`
          : error.message;
      return { kind: 'unreadable', envFingerprint: row.envFingerprint, retired, reason };
    }
  }

  /** A refreshed token a previous version kept in `<data>/tokens/`: into the database, then the file goes. */
  async function importLegacyFile(channelId: string, now: Date): Promise<void> {
    imported.add(channelId);
    const file = tokenFilePath(deps.dataDir, channelId);
    const legacy = readTokenState(file);
    if (!legacy) return;
    try {
      const row = await getChannelToken(store, channelId);
      if (!row) await insertChannelToken(store, channelId, seal(channelId, legacy), by(now));
      else if (row.envFingerprint === legacy.envFingerprint && legacy.source === 'refreshed' && legacy.obtainedAt > row.obtainedAt) {
        await replaceChannelToken(store, channelId, { envFingerprint: row.envFingerprint, obtainedAt: row.obtainedAt }, seal(channelId, legacy), by(now));
      }
      fs.rmSync(file, { force: true });
      deps.logger.info({ channel: channelId }, `moved the Instagram token state of channel ${channelId} from ${file} into the database (encrypted); the file is deleted`);
    } catch (error) {
      deps.logger.warn({ channel: channelId, reason: (error as Error).message }, `could not move ${file} into the database; it is tried again at the next start`);
    }
  }

  return {
    where: 'the database (encrypted)',
    async read(channelId, now) {
      if (!imported.has(channelId)) await importLegacyFile(channelId, now);
      const row = await getChannelToken(store, channelId);
      return row ? open(row) : { kind: 'none' };
    },
    async adopt(channelId, state, replacing, now) {
      if (replacing === null) await insertChannelToken(store, channelId, seal(channelId, state), by(now));
      else await replaceChannelToken(store, channelId, { envFingerprint: replacing }, seal(channelId, state), { ...by(now), retire: true });
    },
    saveRefreshed: (channelId, from, next, now) =>
      replaceChannelToken(store, channelId, { envFingerprint: from.envFingerprint, obtainedAt: from.obtainedAt }, seal(channelId, next), by(now)),
    async claimRefresh(channelId, from, now) {
      const run = runOf(channelId, from);
      if (!(await claimJobRun(store, run, now))) return null;
      const claim: RefreshClaim = { finish: () => finishJobRun(store, run, now), release: () => releaseJobRun(store, run) };
      return claim;
    },
  };
}

/** The row's facts bound into the sealed token: moved to another row or edited, it no longer opens. */
function associatedData(channelId: string, values: Omit<ChannelTokenValues, 'tokenSealed'>): string {
  return JSON.stringify(['channel_tokens', channelId, values.envFingerprint, values.source, values.obtainedAt.getTime(), values.expiresAt?.getTime() ?? null]);
}

function warnOnFirstUse(vault: TokenVault, logger: Logger, message: string): TokenVault {
  let warned = false;
  return {
    ...vault,
    read(channelId, now) {
      if (!warned) logger.warn(message);
      warned = true;
      return vault.read(channelId, now);
    },
  };
}
