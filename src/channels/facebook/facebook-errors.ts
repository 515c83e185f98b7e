/**
 * Graph API failures of the Facebook Page driver → PublishError, by HTTP
 * status and Graph code/subcode only (docs/channels/facebook.md §6). The
 * transport, the throttling codes and the usage headers are Instagram's
 * (../instagram/graph-client.ts, graph-errors.ts): same host family, same
 * error envelope. What differs is the point of no return and the advice.
 */
import { PublishError } from '../publish-error';
import { GraphRequestError } from '../instagram/graph-client';
import { platformResetAt, THROTTLING_CODES, usageSummary } from '../instagram/graph-errors';

/**
 * `upload`: an unpublished photo (invisible; a lost answer leaves at most a
 * hidden photo). `create`: `POST /{page-id}/feed`, the call that makes the
 * post public: a lost answer or a server error there may have created it.
 * `read`: read-back, permalink, account check.
 */
export type FacebookPhase = 'upload' | 'create' | 'read';

export interface FacebookClassifyContext {
  now: Date;
  /** Name of the env variable holding the Page token, for the "what to do" message. */
  tokenVariable: string;
}

const HOUR = 3_600_000;

/** How staff get a working Page token again (README, "Connect a Facebook Page"). */
export function newPageTokenAdvice(tokenVariable: string): string {
  return `make a new Page access token (Graph API Explorer: a User token with pages_show_list, pages_read_engagement, pages_manage_posts → exchange it for a long-lived one → GET /{page-id}?fields=access_token), put it in .env as ${tokenVariable}, restart`;
}

/** Refusals of the post itself, by subcode: the photo is not one Facebook takes. */
const CARD_SUBCODES = new Set([1366046, 2069019]);

export function classifyFacebookError(error: unknown, phase: FacebookPhase, ctx: FacebookClassifyContext): PublishError {
  if (error instanceof PublishError) return error;
  if (!(error instanceof GraphRequestError)) {
    return new PublishError(phase === 'create' ? 'unclear' : 'transient', `facebook: unexpected failure: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  const options = { status: error.status ?? undefined, code: graphCode(error), cause: error };
  const said = error.message;

  if (error.failure === 'refused') return new PublishError('transient', `facebook: cannot connect (${said}); will retry`, options);
  if (error.failure === 'network' || error.failure === 'malformed') {
    return phase === 'create'
      ? new PublishError('unclear', `facebook: lost the answer to the post creation (${said}); the post may be live, reconcile by reading the Page back`, options)
      : new PublishError('transient', `facebook: ${said}; will retry`, options);
  }

  const code = error.graph?.code;
  const subcode = error.graph?.error_subcode;
  const status = error.status ?? 0;

  if (code === 190 || code === 102 || status === 401) {
    return new PublishError('auth', `facebook rejected the Page access token (revoked: password changed, admin role removed or app removed; or wrong): ${newPageTokenAdvice(ctx.tokenVariable)} (${said})`, options);
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new PublishError(
      'auth',
      `facebook: the Page token lacks a permission: the person making it needs a Page role that can create content, and the token pages_manage_posts and pages_read_engagement; ${newPageTokenAdvice(ctx.tokenVariable)} (${said})`,
      options,
    );
  }
  if (code === 368 && subcode === 1390008) {
    // Facebook's temporary block of posting from this Page: it names no end; look again in an hour.
    return new PublishError('rate-limited', `facebook temporarily blocked posting from this Page; will retry in an hour (${said})`, { ...options, retryAt: new Date(ctx.now.getTime() + HOUR) });
  }
  if (code === 368 || code === 506) {
    return new PublishError('permanent', `facebook refused the post as a duplicate or as abusive: a Page cannot repeat a post word for word; make the caption template differ (e.g. name the date) (${said})`, options);
  }
  if ((code !== undefined && THROTTLING_CODES.has(code)) || status === 429) {
    // Only a time Facebook gave is a reset; without one the retry policy backs off (as for Instagram).
    const reset = platformResetAt(error.headers, ctx.now);
    return new PublishError(
      'rate-limited',
      `facebook: API calls to this Page are throttled (code ${code ?? status}${usageSummary(error.headers)}); ${reset ? `Facebook lets calls through again at ${reset.toISOString()}` : 'Facebook gave no time, will retry with backoff'} (${said})`,
      { ...options, ...(reset ? { retryAt: reset } : {}) },
    );
  }
  if (code === 324 || (subcode !== undefined && CARD_SUBCODES.has(subcode))) {
    return new PublishError('permanent', `facebook refused the card image: cards must be JPEG or PNG under 4 MB (${said})`, options);
  }
  if (status >= 500 || code === 1 || code === 2) {
    // koala#699: seven duplicate posts while every retry was answered HTTP 500 code 2.
    return phase === 'create'
      ? new PublishError('unclear', `facebook: the post creation failed on the server side (${said}); the post may be live, reconcile by reading the Page back`, options)
      : new PublishError('transient', `facebook: temporary server error (${said}); will retry`, options);
  }
  return new PublishError('permanent', `facebook refused the request (${said}): check the channel's pageId and that the token is the Page's`, options);
}

function graphCode(error: GraphRequestError): string | undefined {
  if (!error.graph?.code) return error.status ? `http:${error.status}` : undefined;
  return error.graph.error_subcode ? `graph:${error.graph.code}/${error.graph.error_subcode}` : `graph:${error.graph.code}`;
}
