/**
 * Publish failures carry their retry policy, decided by the driver from HTTP
 * status and API error codes (never from message text):
 *
 * - `transient`: nothing was applied (5xx before processing, network error
 *   before the request went out); retry with backoff before the deadline.
 * - `rate-limited`: retry after `retryAt` (Retry-After, x-rate-limit-reset).
 * - `auth`: credentials are wrong or expired; staff must act; no retry.
 * - `permanent`: the platform refuses this post as it is; no retry.
 * - `unclear`: the request may have been applied (timeout after sending, lost
 *   connection); never retried blindly, reconciled by reading the account back.
 */
export type PublishErrorKind = 'transient' | 'rate-limited' | 'auth' | 'permanent' | 'unclear';

export class PublishError extends Error {
  constructor(
    readonly kind: PublishErrorKind,
    message: string,
    options: { retryAt?: Date; status?: number; code?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PublishError';
    this.retryAt = options.retryAt ?? null;
    this.status = options.status ?? null;
    this.code = options.code ?? null;
  }
  readonly retryAt: Date | null;
  readonly status: number | null;
  readonly code: string | null;
}

/** Any thrown value as a PublishError; unknown exceptions count as unclear (the safe side). */
export function toPublishError(error: unknown): PublishError {
  if (error instanceof PublishError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PublishError('unclear', `unexpected failure while publishing: ${message}`, { cause: error });
}
