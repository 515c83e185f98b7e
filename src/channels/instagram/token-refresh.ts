/**
 * Keeps an Instagram channel's access token alive: picks the stored refreshed
 * token or the env one, refreshes Instagram-Login tokens when due, and records
 * the new expiry. Refresh failures never stop a publish: the current token is
 * still valid until it expires, and `verify` reports the expiry.
 */
import type { Logger } from '../../logger';
import { currentTokenState, readTokenState, shouldRefresh, tokenFilePath, writeTokenState, type TokenState } from './token-store';
import { deadlineSignal } from '../../time/deadline-signal';

export interface TokenKeeperOptions {
  channelId: string;
  envToken: string;
  login: 'instagram' | 'facebook';
  /** Where the token file goes; without it nothing is stored and nothing refreshed. */
  stateDir: string | undefined;
  /** Scheme + host of the Graph API (or the fake). */
  origin: string;
  fetch: typeof fetch;
  logger: Logger;
  timeoutMs: number;
}

export type RefreshOutcome = 'refreshed' | 'not-due' | 'not-supported' | 'failed';

export interface TokenKeeper {
  /** The token to send now. */
  token(): string;
  state(): TokenState;
  /** Refreshes when due (see shouldRefresh); concurrent callers share one refresh. */
  refreshIfDue(now: Date): Promise<RefreshOutcome>;
  /** Why the last refresh failed (no token in it), or null. */
  lastRefreshError(): string | null;
}

interface RefreshAnswer {
  access_token?: unknown;
  expires_in?: unknown;
}

export function createTokenKeeper(options: TokenKeeperOptions, now: Date): TokenKeeper {
  const file = options.stateDir ? tokenFilePath(options.stateDir, options.channelId) : null;
  const initial = currentTokenState(options.envToken, file ? readTokenState(file) : null, now);
  let state = initial.state;
  // Record when we first saw a new env token, so its age survives restarts.
  if (initial.isNew && file) writeTokenState(file, state);
  let inFlight: Promise<RefreshOutcome> | null = null;
  let lastError: string | null = null;

  async function refresh(at: Date): Promise<RefreshOutcome> {
    const url = new URL(`${options.origin.replace(/\/+$/, '')}/refresh_access_token`);
    url.searchParams.set('grant_type', 'ig_refresh_token');
    // The platform takes this token only as a query parameter; the URL is never logged or put in an error.
    url.searchParams.set('access_token', state.token);
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
      state = {
        token: body.access_token,
        obtainedAt: at,
        expiresAt: expiresIn === null ? null : new Date(at.getTime() + expiresIn * 1000),
        source: 'refreshed',
        envFingerprint: state.envFingerprint,
      };
      if (file) writeTokenState(file, state);
      lastError = null;
      options.logger.info({ channel: options.channelId, expiresAt: state.expiresAt?.toISOString() ?? null }, 'instagram access token refreshed');
      return 'refreshed';
    } catch (error) {
      // Deliberately not the error object: a fetch error may carry the URL with the token.
      lastError = (error as Error).name === 'TimeoutError' ? 'timed out' : status ? (error as Error).message : 'network error';
      options.logger.warn({ channel: options.channelId, reason: lastError }, 'instagram access token refresh failed; the current token stays in use');
      return 'failed';
    }
  }

  return {
    token: () => state.token,
    state: () => state,
    lastRefreshError: () => lastError,
    refreshIfDue(at: Date): Promise<RefreshOutcome> {
      if (options.login !== 'instagram' || !file) return Promise.resolve('not-supported');
      if (!shouldRefresh(state, at)) return Promise.resolve('not-due');
      inFlight ??= refresh(at).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
