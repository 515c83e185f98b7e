/**
 * XRPC failures as PublishErrors, decided from HTTP status and the envelope's
 * `error` name (docs/channels/bluesky.md, "Rate limits and errors"), never
 * from message text. Messages say what staff should do and never carry a
 * secret (the JWTs and the app password are not in any XrpcError).
 */
import { PublishError } from '../publish-error';
import { XrpcError } from './xrpc-client';

/** `post`: putRecord, the call that creates the post; the others create nothing public. */
export type BlueskyPhase = 'session' | 'upload' | 'post' | 'read';

/** Names that mean the credentials (app password, session) are refused: staff must act. */
const AUTH_ERRORS = new Set(['AuthenticationRequired', 'AuthMissing', 'InvalidToken', 'ExpiredToken', 'AccountTakedown', 'AccountDeactivated', 'AuthFactorTokenRequired']);
/** A session that failed with one of these may be renewed once and the call repeated. */
export const SESSION_REFUSED = new Set(['ExpiredToken', 'InvalidToken']);

/** Without a reset header, a 429 is retried after this long. */
const DEFAULT_RATE_WAIT_MS = 60_000;

export function classifyBlueskyError(error: unknown, phase: BlueskyPhase, now: Date, passwordVariable: string): PublishError {
  if (error instanceof PublishError) return error;
  if (!(error instanceof XrpcError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new PublishError(phase === 'post' ? 'unclear' : 'transient', `Bluesky: ${message}`, { cause: error });
  }
  const options = { code: error.error ?? error.failure, ...(error.status === null ? {} : { status: error.status }) };
  if (error.failure === 'refused') return new PublishError('transient', `Bluesky could not be reached (${error.message}); nothing was sent: will retry`, options);
  if (error.failure === 'network' || error.failure === 'malformed') {
    if (phase === 'post') return new PublishError('unclear', `${error.message}: the post may or may not exist; it is confirmed by its record key before anything is sent again`, options);
    return new PublishError('transient', `${error.message}; nothing was posted: will retry`, options);
  }
  const status = error.status ?? 0;
  if (status === 429 || error.error === 'RateLimitExceeded') {
    const retryAt = rateLimitReset(error.headers, now);
    return new PublishError('rate-limited', `${error.message}: Bluesky's rate limit; retrying after ${retryAt.toISOString()}`, { ...options, retryAt });
  }
  if ((error.error !== null && AUTH_ERRORS.has(error.error)) || status === 401) {
    const what =
      phase === 'session' || error.error === 'AuthenticationRequired'
        ? `Bluesky refused the handle or the app password in ${passwordVariable}: create a new app password (Bluesky → Settings → Privacy and security → App passwords), put it in .env as ${passwordVariable}, restart, and run check --online`
        : `Bluesky refused the session: run check --online; if it persists, create a new app password and put it in .env as ${passwordVariable}`;
    return new PublishError('auth', `${error.message}: ${what}`, options);
  }
  if (status >= 500) {
    // A 5xx on putRecord may hide a committed write: the caller confirms by the record key first.
    if (phase === 'post') return new PublishError('unclear', `${error.message}: the post may or may not exist; it is confirmed by its record key before anything is sent again`, options);
    return new PublishError('transient', `${error.message}; nothing was posted: will retry`, options);
  }
  if (error.error === 'BlobTooLarge' || status === 413) {
    return new PublishError('permanent', `${error.message}: the card is too large for this Bluesky server; keep cards under 1,000,000 bytes (preferredMime jpeg)`, options);
  }
  return new PublishError('permanent', `${error.message}: Bluesky refuses this post as it is`, options);
}

/** `RateLimit-Reset` is Unix SECONDS; `Retry-After` seconds from now; else a minute. */
export function rateLimitReset(headers: Headers | null, now: Date): Date {
  const reset = Number(headers?.get('ratelimit-reset') ?? NaN);
  if (Number.isFinite(reset) && reset > 0) return new Date(Math.max(reset * 1000, now.getTime()));
  const after = Number(headers?.get('retry-after') ?? NaN);
  if (Number.isFinite(after) && after >= 0) return new Date(now.getTime() + after * 1000);
  return new Date(now.getTime() + DEFAULT_RATE_WAIT_MS);
}
