/**
 * What a failed Mastodon call means for the post (docs/channels/mastodon.md,
 * "Read-back and errors"), decided by HTTP status and by whether the request
 * may have arrived; the server's own `error` text is quoted for staff, and
 * read for one case only: the 422 that says a card is still processing.
 */
import { PublishError } from '../publish-error';
import { MastodonRequestError } from './mastodon-client';

/** Which step failed: only a failure of the status request can leave a post behind. */
export type MastodonPhase = 'media' | 'status' | 'read';

const STEP: Record<MastodonPhase, string> = { media: 'uploading the card', status: 'creating the post', read: 'reading the account' };

/** When a 429 carries no usable reset: Mastodon's shortest window is 5 minutes. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 5 * 60_000;

export function tokenAdvice(tokenVariable: string): string {
  return `make a new access token on the instance (Preferences → Development → the quota-herald application, scopes write:statuses write:media read:accounts), put it in .env as ${tokenVariable}, and restart quota-herald`;
}

/** A reset the instance names that has already passed by our clock (skew, or a window that just ended): try again shortly. */
const PASSED_RESET_WAIT_MS = 5_000;

/** `X-RateLimit-Reset` is an ISO 8601 instant on Mastodon (not Unix seconds as on X). */
export function rateLimitResetOf(headers: Headers | null, now: Date): Date {
  const reset = headers?.get('x-ratelimit-reset');
  const at = reset ? new Date(reset) : null;
  if (at && !Number.isNaN(at.getTime())) return at > now ? at : new Date(now.getTime() + PASSED_RESET_WAIT_MS);
  const retryAfter = Number(headers?.get('retry-after'));
  if (headers?.get('retry-after') && Number.isFinite(retryAfter) && retryAfter > 0) return new Date(now.getTime() + retryAfter * 1000);
  return new Date(now.getTime() + DEFAULT_RATE_LIMIT_WAIT_MS);
}

/** Mastodon refuses a status whose media is still processing: nothing was posted (PostStatusService). */
export function isMediaNotReady(error: MastodonRequestError): boolean {
  return error.status === 422 && /not finished processing/i.test(error.serverText ?? '');
}

export function classifyMastodonError(error: unknown, phase: MastodonPhase, now: Date, tokenVariable: string): PublishError {
  if (error instanceof PublishError) return error;
  const step = STEP[phase];
  if (!(error instanceof MastodonRequestError)) {
    const message = error instanceof Error ? error.message : String(error);
    return phase === 'status'
      ? new PublishError('unclear', `unexpected failure while creating the Mastodon post: ${message}; it will be looked up on the account before any retry.`)
      : new PublishError('transient', `unexpected failure while ${step} on Mastodon: ${message}`);
  }
  const says = error.serverText ? ` The instance says: "${error.serverText}".` : '';
  const status = error.status ?? undefined;
  const options = { ...(status === undefined ? {} : { status }), code: error.code ?? (error.failure === 'http' && status !== undefined ? String(status) : error.failure) };

  if (error.failure === 'refused') {
    return new PublishError('transient', `cannot reach the Mastodon instance while ${step} (${error.message})${phase === 'read' ? '' : '; nothing was posted'}: will retry.`, options);
  }
  if (error.failure === 'network') {
    return phase === 'status'
      ? new PublishError('unclear', `no answer from the Mastodon instance after sending the post (${error.message}): it may have been created; it will be looked up on the account before any retry (a retry within the hour carries the same Idempotency-Key).`, options)
      : new PublishError('transient', `no answer from the Mastodon instance while ${step} (${error.message})${phase === 'media' ? '; nothing was posted yet' : ''}: will retry.`, options);
  }
  if (error.failure === 'malformed') {
    // A 2xx arrived: the server acted on it. For a status, the post exists but its id is unknown.
    return phase === 'status'
      ? new PublishError('unclear', `the Mastodon instance's answer to the post was unreadable (${error.message}): it was probably created; it will be looked up on the account before any retry.`, options)
      : new PublishError('transient', `the Mastodon instance's answer was unreadable while ${step} (${error.message}): will retry.`, options);
  }

  const code = error.status ?? 0;
  if (code === 429) {
    const retryAt = rateLimitResetOf(error.headers, now);
    return new PublishError('rate-limited', `Mastodon rate limit reached while ${step} (429): retry after ${retryAt.toISOString()}.${says}`, { ...options, retryAt });
  }
  if (code === 401) {
    return new PublishError('auth', `the Mastodon instance refused the access token (401) while ${step}.${says} ${capitalise(tokenAdvice(tokenVariable))}.`, options);
  }
  if (code === 403) {
    return new PublishError('auth', `the Mastodon instance refused the account (403) while ${step}.${says} The account may be suspended, disabled or unconfirmed, or the token lacks a scope: log in on the instance's website to see why, then ${tokenAdvice(tokenVariable)}.`, options);
  }
  if (isMediaNotReady(error)) {
    return new PublishError('transient', `the Mastodon instance had not finished processing a card (422); nothing was posted: will retry.`, { ...options, code: 'media-not-ready' });
  }
  if (code === 413) {
    return new PublishError('permanent', `the Mastodon instance refused the card as too large (413) while ${step}: check the instance's image size limit with \`quota-herald check --online\` and simplify the card.`, options);
  }
  if (code >= 500) {
    return phase === 'status'
      ? new PublishError('unclear', `the Mastodon instance failed while creating the post (${code}): it may have been created; it will be looked up on the account before any retry.${says}`, options)
      : new PublishError('transient', `the Mastodon instance failed while ${step} (${code})${phase === 'media' ? '; nothing was posted yet' : ''}: will retry.${says}`, options);
  }
  if (phase === 'read') {
    return new PublishError('transient', `the Mastodon instance refused a read (${code}).${says}`, options);
  }
  return new PublishError('permanent', `the Mastodon instance refused the ${phase === 'media' ? 'card' : 'post'} (${code}).${says} Check the caption and cards with \`quota-herald check\` (and the instance's limits with \`check --online\`).`, options);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
