/**
 * Pure: what to do after a failed publish attempt (../shared/DESIGN.md, protocol 3–5).
 */
import type { PublishError } from '../channels/publish-error';

export type FailureDecision =
  | { state: 'retrying'; retryAt: Date }
  | { state: 'dead' | 'unknown'; retryAt: null }
  /** No attempt can finish before the deadline: `reason` says why, for the alert. */
  | { state: 'expired'; retryAt: null; reason: string };

export interface FailureContext {
  now: Date;
  /** Attempts made so far, the failed one included. */
  attempts: number;
  random: () => number;
  /** The post's hard deadline; null when it has none. */
  deadline: Date | null;
  /**
   * How long one attempt may take from its start until the post is out. A
   * retry starts at least this long before the deadline, so it completes in time.
   */
  attemptMs: number;
}

const BASE_BACKOFF_MS = 15_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Exponential backoff with ±20 % jitter, honouring the platform's reset time,
 * and using every chance before the deadline: when the backoff would start the
 * retry too late to finish before the deadline, the retry is moved earlier, to
 * the last moment an attempt can still finish (never before the platform's
 * reset: sending earlier would only be refused again). The post expires here
 * only when no attempt can finish in time.
 */
export function decideAfterFailure(error: PublishError, context: FailureContext): FailureDecision {
  switch (error.kind) {
    case 'auth':
    case 'permanent':
      return { state: 'dead', retryAt: null };
    case 'unclear':
      return { state: 'unknown', retryAt: null };
    case 'rate-limited':
    case 'transient':
      return retryBeforeDeadline(error, context);
  }
}

function retryBeforeDeadline(error: PublishError, context: FailureContext): FailureDecision {
  const now = context.now.getTime();
  const exponent = Math.max(0, context.attempts - 1);
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** exponent);
  const byBackoff = now + backoff * (0.8 + 0.4 * context.random());
  const reset = error.retryAt ? error.retryAt.getTime() : null;
  const wanted = Math.max(byBackoff, reset ?? 0);
  if (context.deadline === null) return { state: 'retrying', retryAt: new Date(wanted) };

  const deadline = context.deadline.getTime();
  const latestStart = deadline - context.attemptMs;
  if (wanted <= latestStart) return { state: 'retrying', retryAt: new Date(wanted) };

  const needs = `an attempt needs up to ${seconds(context.attemptMs)}`;
  if (reset !== null && reset > latestStart) {
    return {
      state: 'expired',
      retryAt: null,
      reason: `the platform accepts no new attempt before ${new Date(reset).toISOString()} (its rate-limit reset), too late to finish before the deadline ${context.deadline.toISOString()} (${needs})`,
    };
  }
  // At or past the last start: the last chance was this attempt (a retry "now" would loop).
  if (now >= latestStart) {
    return {
      state: 'expired',
      retryAt: null,
      reason: `only ${seconds(Math.max(0, deadline - now))} were left before the deadline ${context.deadline.toISOString()}, and ${needs}`,
    };
  }
  // The last chance (now, the reset and the backoff all allow it): as late as
  // still finishes in time, to give the platform the most time to recover.
  return { state: 'retrying', retryAt: new Date(latestStart) };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
