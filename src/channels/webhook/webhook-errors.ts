/**
 * A receiver's answer (or its absence) → PublishError, by HTTP status only
 * (docs/channels/webhook.md, "What counts as delivered"). Never `unclear`:
 * every attempt of a revision carries the same `webhook-id`, which receivers
 * MUST de-duplicate on, so a failure that may have been processed (5xx, a
 * timeout, a reset after the body left) is simply sent again.
 */
import { PublishError } from '../publish-error';

/** When a 429 (or 503) names no Retry-After: a minute, short of any deadline. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): Date | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return new Date(now.getTime() + Number(trimmed) * 1000);
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface AnswerContext {
  now: Date;
  /** The env variable holding the secret, for "what to do" (never its value). */
  secretVariable: string;
  /** The receiver's origin, for messages (the path may hold a receiver's own token). */
  target: string;
}

/** A non-2xx answer as the PublishError it means. */
export function classifyAnswer(status: number, retryAfter: string | null, ctx: AnswerContext): PublishError {
  const options = { status, code: String(status) };
  const at = `the webhook receiver at ${ctx.target}`;
  if (status >= 300 && status < 400) {
    return new PublishError('permanent', `${at} answered ${status} (a redirect): quota-herald does not follow redirects (the signature covers one address); put the final address in the channel's url`, options);
  }
  if (status === 410) {
    return new PublishError('permanent', `${at} answered 410 Gone: it asks quota-herald to stop sending. Disable the channel (enabled: false) or ask the receiver's owner for its new url`, options);
  }
  if (status === 401 || status === 403) {
    return new PublishError('auth', `${at} refused the signature (${status}): the receiver must verify with the same secret as ${ctx.secretVariable} in .env (whsec_…), and both clocks must be on NTP (±5 minutes)`, options);
  }
  if (status === 429) {
    const retryAt = parseRetryAfter(retryAfter, ctx.now) ?? new Date(ctx.now.getTime() + DEFAULT_RETRY_AFTER_MS);
    return new PublishError('rate-limited', `${at} is rate limiting (429): retry after ${retryAt.toISOString()}`, { ...options, retryAt });
  }
  if (status === 408 || status === 425) {
    return new PublishError('transient', `${at} answered ${status}: will send again (same webhook-id)`, options);
  }
  if (status === 413) {
    return new PublishError('permanent', `${at} answered 413: the body is too large for it. Set settings.mediaServer so cards travel as links, or raise the receiver's body limit (nginx client_max_body_size, PHP post_max_size) to 10 MB`, options);
  }
  if (status >= 400 && status < 500) {
    return new PublishError('permanent', `${at} refused the post (${status}): check the channel's url and the receiver's logs, then retry the post from the console`, options);
  }
  const retryAt = status === 503 ? parseRetryAfter(retryAfter, ctx.now) : null;
  if (retryAt) return new PublishError('rate-limited', `${at} is unavailable (503): retry after ${retryAt.toISOString()} with the same webhook-id`, { ...options, retryAt });
  return new PublishError('transient', `${at} failed (${status}); it may have processed the post, so it is sent again with the same webhook-id, which the receiver must de-duplicate`, options);
}

/** No answer: refused, reset, timed out, aborted. Safe to resend (same webhook-id). */
export function classifyNoAnswer(error: unknown, ctx: AnswerContext, timeoutMs: number): PublishError {
  const code = networkCode(error);
  const what = code === 'timeout' ? `did not answer within ${timeoutMs / 1000} s` : `could not be reached (${code})`;
  return new PublishError('transient', `${`the webhook receiver at ${ctx.target}`} ${what}; sent again with the same webhook-id, which the receiver must de-duplicate`, { code });
}

function networkCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const { name, cause } = error as { name?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
    const inner = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    if (typeof inner === 'string') return inner;
  }
  return 'network error';
}
