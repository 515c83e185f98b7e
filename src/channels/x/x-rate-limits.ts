/**
 * The rate-limit headers X sends with every answer, kept per endpoint so
 * `verify` can show the headroom and a 429 can say when to try again.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** One window: how many calls it allows, how many are left, and when it starts over. */
export interface XLimitWindow {
  limit: number;
  remaining: number;
  resetAt: Date;
}

/** What one endpoint's latest answer said about its limits. */
export interface XRateLimitState {
  /** `METHOD /2/path`, with ids as `:id` (`POST /2/media/upload/:id/append`). */
  endpoint: string;
  /** `x-rate-limit-*`: the per-15-minute window. */
  window: XLimitWindow | null;
  /** `x-user-limit-24hour-*`: the account's daily allowance (posts per 24 h on X's access tiers). */
  userDay: XLimitWindow | null;
  /** `x-app-limit-24hour-*`: the app's daily allowance. */
  appDay: XLimitWindow | null;
  /** `retry-after` in seconds, when X sent one. */
  retryAfterSeconds: number | null;
  seenAt: Date;
}

export type HeaderBag = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readWindow(headers: HeaderBag, prefix: string): XLimitWindow | null {
  const limit = Number(header(headers, `${prefix}-limit`));
  const remaining = Number(header(headers, `${prefix}-remaining`));
  const reset = Number(header(headers, `${prefix}-reset`));
  // A window without a usable reset time cannot tell staff anything: ignore it.
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset) || header(headers, `${prefix}-reset`) === undefined) {
    return null;
  }
  return { limit, remaining, resetAt: new Date(reset * 1000) };
}

/** The limits in one answer's headers; null when it carried none. */
export function parseRateLimitHeaders(endpoint: string, headers: HeaderBag, seenAt: Date): XRateLimitState | null {
  const retryAfter = Number(header(headers, 'retry-after'));
  const state: XRateLimitState = {
    endpoint,
    window: readWindow(headers, 'x-rate-limit'),
    userDay: readWindow(headers, 'x-user-limit-24hour'),
    appDay: readWindow(headers, 'x-app-limit-24hour'),
    retryAfterSeconds: header(headers, 'retry-after') !== undefined && Number.isFinite(retryAfter) ? retryAfter : null,
    seenAt,
  };
  return state.window || state.userDay || state.appDay || state.retryAfterSeconds !== null ? state : null;
}

/**
 * When a 429 may be retried: the latest reset among the windows that are
 * used up (the 24-hour cap outlasts the 15-minute window), else Retry-After,
 * else the 15-minute reset. Null when the answer said nothing usable.
 */
export function retryAtOf(state: XRateLimitState | null): Date | null {
  if (!state) return null;
  const windows = [state.window, state.userDay, state.appDay].filter((w): w is XLimitWindow => w !== null);
  const exhausted = windows.filter((w) => w.remaining <= 0);
  if (exhausted.length > 0) return new Date(Math.max(...exhausted.map((w) => w.resetAt.getTime())));
  if (state.retryAfterSeconds !== null) return new Date(state.seenAt.getTime() + state.retryAfterSeconds * 1000);
  return state.window?.resetAt ?? null;
}

/** The latest limits per endpoint, in memory (they are re-learned from the next answer after a restart). */
export class XRateLimitBook {
  private readonly byEndpoint = new Map<string, XRateLimitState>();

  record(state: XRateLimitState): void {
    this.byEndpoint.set(state.endpoint, state);
  }

  get(endpoint: string): XRateLimitState | null {
    return this.byEndpoint.get(endpoint) ?? null;
  }

  /** A copy of every endpoint's latest state, sorted by endpoint. */
  all(): XRateLimitState[] {
    return [...this.byEndpoint.values()].sort((a, b) => a.endpoint.localeCompare(b.endpoint)).map((s) => ({ ...s }));
  }

  /** One line per endpoint for `check --online`: `POST /2/tweets: 97/100 left per 15 min (resets …); 15/17 per 24 h …`. */
  describe(): string[] {
    return this.all().map((state) => {
      const parts: string[] = [];
      if (state.window) parts.push(`${state.window.remaining}/${state.window.limit} left per 15 min (resets ${state.window.resetAt.toISOString()})`);
      if (state.userDay) parts.push(`${state.userDay.remaining}/${state.userDay.limit} left for the account per 24 h (resets ${state.userDay.resetAt.toISOString()})`);
      if (state.appDay) parts.push(`${state.appDay.remaining}/${state.appDay.limit} left for the app per 24 h (resets ${state.appDay.resetAt.toISOString()})`);
      if (parts.length === 0 && state.retryAfterSeconds !== null) parts.push(`retry after ${state.retryAfterSeconds} s`);
      return `rate limit ${state.endpoint}: ${parts.join('; ')}`;
    });
  }
}
