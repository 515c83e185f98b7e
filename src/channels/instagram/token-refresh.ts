/**
 * Keeps a Meta channel's access token alive (Instagram, and Threads, whose
 * long-lived tokens work the same way under another grant): picks the stored
 * token or the env one (token-store.ts `decideTokenState`), refreshes Instagram-Login
 * tokens when due, and records the new expiry in the vault (../token-vault.ts).
 *
 * With the database as the vault, every instance reads the token from there:
 * it is read again at most every `cacheMs`, and at once when the platform
 * refuses the token in hand (another instance may have refreshed it). The
 * refresh of one token runs once across the cluster (`claimRefresh`).
 * Refresh failures never stop a publish: the current token is still valid
 * until it expires, and `verify` reports the expiry.
 */
import type { Logger } from '../../logger';
import type { TokenVault } from '../token-vault';
import { decideTokenState, shouldRefresh, type TokenDecision, type TokenState } from './token-store';
import { deadlineSignal } from '../../time/deadline-signal';

export interface TokenKeeperOptions {
  channelId: string;
  envToken: string;
  /** The env variable holding it, for what-to-do messages. */
  tokenVariable: string;
  /**
   * Who issued the token: `instagram` (Instagram Login, refreshed with
   * `ig_refresh_token`), `threads` (refreshed with `th_refresh_token` at
   * graph.threads.net), `facebook` (Facebook Login: never refreshed here).
   */
  login: 'instagram' | 'facebook' | 'threads';
  /** Where the token state is kept (and shared); null: nothing is stored and nothing refreshed. */
  vault: TokenVault | null;
  /** Scheme + host of the Graph API (or the fake). */
  origin: string;
  fetch: typeof fetch;
  logger: Logger;
  timeoutMs: number;
  /** A token read from the vault is used this long before it is read again (default 60 s). */
  cacheMs?: number;
  /** After a failed refresh, this process waits this long before trying again (default 15 min). */
  retryMs?: number;
}

/** `elsewhere`: another instance holds (or did) this refresh; its token is read from the vault. */
export type RefreshOutcome = 'refreshed' | 'not-due' | 'not-supported' | 'failed' | 'elsewhere';

export interface TokenKeeper {
  /** The token state to use now (the vault read again when the cached read is older than `cacheMs`). Never throws. */
  current(now: Date): Promise<TokenState>;
  /** The platform refused `used`: reads the vault again; true when it now gives a different token to try. */
  refused(used: string, now: Date): Promise<boolean>;
  /** Refreshes when due (see shouldRefresh); concurrent callers share one refresh. */
  refreshIfDue(now: Date): Promise<RefreshOutcome>;
  /** Why the last refresh failed (no token in it), or null. */
  lastRefreshError(): string | null;
  /** What staff should fix about the stored token (never the token), or null. */
  storeProblem(): string | null;
}

interface RefreshAnswer {
  access_token?: unknown;
  expires_in?: unknown;
}

/** `GET /refresh_access_token?grant_type=…`: the same call on both hosts, another grant. */
const REFRESH_GRANT: Record<TokenKeeperOptions['login'], string | null> = { instagram: 'ig_refresh_token', threads: 'th_refresh_token', facebook: null };
const PLATFORM_NAME: Record<TokenKeeperOptions['login'], string> = { instagram: 'Instagram', facebook: 'Instagram', threads: 'Threads' };

export const TOKEN_CACHE_MS = 60_000;
export const REFRESH_RETRY_MS = 15 * 60_000;
/** Decide, record a new `.env` token, read again: a few rounds settle any race between instances. */
const ADOPT_ROUNDS = 3;

export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  const { vault, channelId, logger } = options;
  const cacheMs = options.cacheMs ?? TOKEN_CACHE_MS;
  const retryMs = options.retryMs ?? REFRESH_RETRY_MS;
  const grantType = REFRESH_GRANT[options.login];
  const name = PLATFORM_NAME[options.login];
  const lower = name.toLowerCase();
  let decision: TokenDecision | null = null;
  let readAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<TokenDecision> | null = null;
  let vaultFailing = false;
  let reported: string | null = null;
  let inFlight: Promise<RefreshOutcome> | null = null;
  let lastError: string | null = null;
  let failedAt: number | null = null;

  const envOnly = (now: Date): TokenDecision => ({ ...decideTokenState(options.envToken, { kind: 'none' }, now), adopt: null, stored: false });

  async function load(now: Date): Promise<TokenDecision> {
    if (!vault) return decision ?? envOnly(now);
    let next = decideTokenState(options.envToken, await vault.read(channelId, now), now);
    for (let round = 1; next.adopt && round < ADOPT_ROUNDS; round += 1) {
      // Record when the env token was first seen, so its age survives restarts and is the same on every instance.
      await vault.adopt(channelId, next.state, next.adopt.replacing, now);
      next = decideTokenState(options.envToken, await vault.read(channelId, now), now);
    }
    return next.adopt ? { ...next, adopt: null, stored: false } : next;
  }

  function report(next: TokenDecision): void {
    const message = problemText(next);
    if (message && message !== reported) {
      if (next.problem?.kind === 'unreadable') logger.error({ channel: channelId }, message);
      else logger.warn({ channel: channelId }, message);
    }
    reported = message;
  }

  function problemText(next: TokenDecision | null): string | null {
    if (!next?.problem) return null;
    if (next.problem.kind === 'unreadable') {
      return `channel ${channelId}: the stored ${name} token cannot be used: ${next.problem.reason}; or put a fresh token in .env as ${options.tokenVariable} and restart. Until then the token from .env is used and not refreshed`;
    }
    return `channel ${channelId}: the token in this instance's .env (${options.tokenVariable}) is older than the one another instance stored; the stored one is used. Put the current token in this instance's .env`;
  }

  async function decide(now: Date): Promise<TokenDecision> {
    const at = now.getTime();
    if (decision && at - readAt < cacheMs && at >= readAt) return decision;
    loading ??= load(now)
      .then(
        (next) => {
          if (vaultFailing) logger.info({ channel: channelId }, 'the token store answers again');
          vaultFailing = false;
          decision = next;
          readAt = at;
          report(next);
          return next;
        },
        (error: unknown) => {
          // The database may be away for a moment: keep publishing with the token in hand.
          if (!vaultFailing) logger.warn({ channel: channelId, reason: errorText(error) }, `could not read the stored ${name} token from ${vault?.where ?? 'the vault'}; the token in hand stays in use`);
          vaultFailing = true;
          decision ??= envOnly(now);
          return decision;
        },
      )
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function callPlatform(from: TokenState, at: Date): Promise<{ ok: true; state: TokenState } | { ok: false; reason: string }> {
    const url = new URL(`${options.origin.replace(/\/+$/, '')}/refresh_access_token`);
    url.searchParams.set('grant_type', grantType ?? 'ig_refresh_token');
    // The platform takes this token only as a query parameter; the URL is never logged or put in an error.
    url.searchParams.set('access_token', from.token);
    let status = 0;
    try {
      const response = await options.fetch(url, { signal: deadlineSignal(options.timeoutMs), headers: { accept: 'application/json' } });
      status = response.status;
      const body = (await response.json().catch(() => null)) as RefreshAnswer | null;
      if (!response.ok || !body || typeof body.access_token !== 'string' || body.access_token === '') {
        const code = (body as { error?: { code?: number } } | null)?.error?.code;
        throw new Error(`HTTP ${status}${code ? `, Graph code ${code}` : ''}`);
      }
      const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : null;
      return {
        ok: true,
        state: { token: body.access_token, obtainedAt: at, expiresAt: expiresIn === null ? null : new Date(at.getTime() + expiresIn * 1000), source: 'refreshed', envFingerprint: from.envFingerprint },
      };
    } catch (error) {
      // Deliberately not the error object: a fetch error may carry the URL with the token.
      return { ok: false, reason: (error as Error).name === 'TimeoutError' ? 'timed out' : status ? (error as Error).message : 'network error' };
    }
  }

  async function refresh(vault: TokenVault, from: TokenState, at: Date): Promise<RefreshOutcome> {
    const claim = await vault.claimRefresh(channelId, from, at);
    if (!claim) {
      // Another instance refreshes (or refreshed) this token: read its result next time.
      readAt = Number.NEGATIVE_INFINITY;
      return 'elsewhere';
    }
    let settled = false;
    try {
      const answer = await callPlatform(from, at);
      if (!answer.ok) {
        lastError = answer.reason;
        failedAt = at.getTime();
        logger.warn({ channel: channelId, reason: answer.reason }, `${lower} access token refresh failed; the current token stays in use`);
        return 'failed';
      }
      const saved = await vault.saveRefreshed(channelId, from, answer.state, at);
      await claim.finish();
      settled = true;
      lastError = null;
      failedAt = null;
      if (saved && decision) {
        decision = { ...decision, state: answer.state };
        readAt = at.getTime();
      } else {
        readAt = Number.NEGATIVE_INFINITY;
      }
      logger.info({ channel: channelId, expiresAt: answer.state.expiresAt?.toISOString() ?? null, stored: saved }, saved ? `${lower} access token refreshed` : `${lower} access token refreshed, but the stored token changed meanwhile (a new token in .env): the stored one is used`);
      return 'refreshed';
    } finally {
      if (!settled) await claim.release().catch(() => undefined);
    }
  }

  return {
    current: async (now) => (await decide(now)).state,
    async refused(used, now) {
      if (!vault) return false;
      readAt = Number.NEGATIVE_INFINITY;
      return (await decide(now)).state.token !== used;
    },
    lastRefreshError: () => lastError,
    storeProblem: () => problemText(decision),
    refreshIfDue(at: Date): Promise<RefreshOutcome> {
      if (grantType === null || !vault) return Promise.resolve('not-supported');
      inFlight ??= (async (): Promise<RefreshOutcome> => {
        try {
          const now = await decide(at);
          if (!now.stored) return 'not-supported';
          if (!shouldRefresh(now.state, at)) return 'not-due';
          if (failedAt !== null && at.getTime() - failedAt < retryMs && at.getTime() >= failedAt) return 'failed';
          return await refresh(vault, now.state, at);
        } catch (error) {
          lastError = `the token store did not answer (${errorText(error)})`;
          failedAt = at.getTime();
          logger.warn({ channel: channelId, reason: lastError }, `${lower} access token refresh failed; the current token stays in use`);
          return 'failed';
        }
      })().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
