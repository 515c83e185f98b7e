/**
 * Pure: what to do after a failed publish attempt (../shared/DESIGN.md, protocol 3–5).
 */
import type { PublishError } from '../channels/publish-error';

export interface FailureDecision {
  state: 'retrying' | 'dead' | 'unknown';
  retryAt: Date | null;
}

const BASE_BACKOFF_MS = 15_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Exponential backoff with ±20 % jitter, honouring the platform's reset time.
 * A retry that would land after the deadline is still recorded as `retrying`:
 * the deadline sweep then expires it at the deadline and alerts, so a late post
 * is never sent and never silently dropped.
 */
export function decideAfterFailure(
  error: PublishError,
  context: { now: Date; attempts: number; random: () => number },
): FailureDecision {
  switch (error.kind) {
    case 'auth':
    case 'permanent':
      return { state: 'dead', retryAt: null };
    case 'unclear':
      return { state: 'unknown', retryAt: null };
    case 'rate-limited':
    case 'transient': {
      const exponent = Math.max(0, context.attempts - 1);
      const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** exponent);
      const jittered = backoff * (0.8 + 0.4 * context.random());
      const byBackoff = context.now.getTime() + jittered;
      const byPlatform = error.retryAt ? error.retryAt.getTime() : 0;
      return { state: 'retrying', retryAt: new Date(Math.max(byBackoff, byPlatform)) };
    }
  }
}
