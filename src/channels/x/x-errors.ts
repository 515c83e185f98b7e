/**
 * Turns what twitter-api-v2 throws into a PublishError carrying its retry
 * policy. Decided by HTTP status, X's problem `type` and whether the request
 * left this process, never by message text. The library's error objects are
 * never attached as `cause`: they hold the signed request, whose
 * Authorization header names the access token.
 */
import type { ClientRequest } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { PublishError } from '../publish-error';
import { parseRateLimitHeaders, retryAtOf } from './x-rate-limits';

/** Which step failed: only a failure while creating the tweet can leave a post behind. */
export type XPhase = 'media' | 'tweet' | 'read';

const STEP: Record<XPhase, string> = { media: 'uploading the card', tweet: 'creating the post', read: 'reading the account' };

export const REGENERATE_TOKEN_ADVICE =
  'regenerate the access token and secret of the office account in the X developer portal (Keys and tokens), put them in .env, and restart quota-herald';

/** X problem types that mean the app itself is not allowed to post: staff must act, retrying cannot help. */
const APP_NOT_ALLOWED_TYPES = ['oauth1-permissions', 'client-forbidden', 'unsupported-authentication'];

function problemType(error: ApiResponseError): string {
  const type = error.data?.type ?? '';
  return type.replace(/^.*\/problems\//, '');
}

/** X's own words, for staff: title and detail of its problem body (never our request). */
function xSays(error: ApiResponseError): string {
  const title = typeof error.data?.title === 'string' ? error.data.title : '';
  const detail = typeof error.data?.detail === 'string' ? error.data.detail : '';
  const text = detail === '' || detail === title ? title : title === '' ? detail : `${title}: ${detail}`;
  return text === '' ? '' : ` X says: "${text}".`;
}

/** The low-level network error behind an ApiRequestError (the library's getter misses it). */
function networkCode(error: ApiRequestError): string {
  const inner = (error.requestError as unknown) ?? (error as unknown as { _options?: { error?: unknown } })._options?.error;
  if (inner && typeof inner === 'object') {
    const { code, name } = inner as { code?: unknown; name?: unknown };
    if (name === 'AbortError') return 'timeout';
    if (typeof code === 'string') return code;
  }
  return 'network error';
}

/**
 * Whether every byte of the request reached the socket. Until then X cannot
 * have acted on it (refused connection, abort before sending): safe to retry.
 */
function wasSent(request: ClientRequest | undefined): boolean {
  return request?.writableFinished === true;
}

/** A failure of any X call during publish, as a PublishError with its retry policy. */
export function classifyXError(error: unknown, phase: XPhase, now: Date, endpoint: string): PublishError {
  if (error instanceof PublishError) return error;
  const step = STEP[phase];

  if (error instanceof ApiResponseError) {
    const status = error.code;
    const type = problemType(error);
    const options = { status, code: type === '' || type === 'about:blank' ? String(status) : type };
    if (status === 429) {
      const state = parseRateLimitHeaders(endpoint, error.headers ?? {}, now);
      const retryAt = retryAtOf(state) ?? new Date(now.getTime() + 15 * 60_000);
      const daily = state?.userDay && state.userDay.remaining <= 0;
      return new PublishError(
        'rate-limited',
        `X rate limit reached while ${step} (${endpoint}${daily ? `, the account's ${state.userDay!.limit} posts per 24 h are used up` : ''}): retry after ${retryAt.toISOString()}`,
        { ...options, retryAt },
      );
    }
    if (status === 401) {
      return new PublishError('auth', `X refused the access token (401 Unauthorized) while ${step}: ${REGENERATE_TOKEN_ADVICE}.`, options);
    }
    if (status === 403 && APP_NOT_ALLOWED_TYPES.includes(type)) {
      return new PublishError(
        'auth',
        `X does not let this app post (403, ${type}).${xSays(error)} In the X developer portal set the app's permissions to "Read and write" (and attach it to a project), then ${REGENERATE_TOKEN_ADVICE}.`,
        options,
      );
    }
    if (status === 403 && phase === 'tweet') {
      // X's duplicate-content refusal is a bare 403 (type about:blank); the
      // other 403s on POST /2/tweets carry a problem type handled above.
      return new PublishError(
        'permanent',
        `X refused the post (403 Forbidden).${xSays(error)} A 403 on a new post means the same text was already posted (duplicate content): check the account on x.com before publishing anything again; to post it anyway, change the caption template.`,
        { ...options, code: 'duplicate-content' },
      );
    }
    if (status >= 500) {
      return phase === 'tweet'
        ? new PublishError('unclear', `X failed while ${step} (${status}): the post may have been created; it will be looked up on the account before any retry.`, options)
        : new PublishError('transient', `X failed while ${step} (${status})${phase === 'media' ? '; nothing was posted yet' : ''}: will retry.`, options);
    }
    return new PublishError('permanent', `X refused the request while ${step} (${status}).${xSays(error)} Check the caption and card with \`quota-herald check\`.`, options);
  }

  if (error instanceof ApiPartialResponseError) {
    // An answer arrived but was cut off or unreadable: the request was processed.
    return phase === 'tweet'
      ? new PublishError('unclear', `X's answer to ${endpoint} was cut off or unreadable: the post may have been created; it will be looked up on the account before any retry.`, { status: error.response?.statusCode })
      : new PublishError('transient', `X's answer to ${endpoint} was cut off or unreadable while ${step}: will retry.`, { status: error.response?.statusCode });
  }

  if (error instanceof ApiRequestError) {
    const code = networkCode(error);
    if (phase === 'tweet' && wasSent(error.request)) {
      return new PublishError('unclear', `no answer from X after sending the post (${code}): it may have been created; it will be looked up on the account before any retry.`, { code });
    }
    return new PublishError('transient', `cannot reach X while ${step} (${code})${phase === 'read' ? '' : '; nothing was posted'}: will retry.`, { code });
  }

  const message = error instanceof Error ? error.message : String(error);
  return phase === 'tweet'
    ? new PublishError('unclear', `unexpected failure while creating the X post: ${message}`)
    : new PublishError('transient', `unexpected failure while ${step} on X: ${message}`);
}
