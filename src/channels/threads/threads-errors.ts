/**
 * Threads API failures → PublishError, by HTTP status and Graph code/subcode
 * only, never by message text (docs/channels/threads.md §6). The envelope and
 * the transport failures are Instagram's (../instagram/graph-client.ts); the
 * codes that matter and the advice to staff are Threads' own.
 */
import { platformResetAt } from '../instagram/graph-errors';
import { GraphRequestError } from '../instagram/graph-client';
import type { ClassifyContext, GraphPhase } from '../instagram/graph-errors';
import { PublishError } from '../publish-error';

const HOUR = 3_600_000;
/** Meta's throttling codes (app, user, page, custom), as on the Graph API [assumed for graph.threads.net]. */
const THROTTLING_CODES = new Set([4, 17, 32, 613]);
/** `threads_publish` before the container is FINISHED: "Media Not Found" (postiz#2047). Nothing was published. */
export const NOT_READY_CODE = 4279009;

/** Refusals of the post or the account that no retry changes (code or subcode). */
const PERMANENT: Record<number, string> = {
  2207051: 'Threads restricted this action as spam: post less often or vary the caption template, and check the account in the Threads app',
  4279013: 'Threads restricted this account: open the Threads app with the office account and follow what it asks',
};

export function classifyThreadsError(error: unknown, phase: GraphPhase, ctx: ClassifyContext): PublishError {
  if (error instanceof PublishError) return error;
  if (!(error instanceof GraphRequestError)) {
    return new PublishError(phase === 'publish' ? 'unclear' : 'transient', `threads: unexpected failure: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  const options = { status: error.status ?? undefined, code: graphCode(error), cause: error };
  const said = error.message;

  if (error.failure === 'refused') return new PublishError('transient', `threads: cannot connect (${said}); will retry`, options);
  if (error.failure === 'network' || error.failure === 'malformed') {
    return phase === 'publish'
      ? new PublishError('unclear', `threads: lost the answer to threads_publish (${said}); the post may be live, reconcile by reading the account back`, options)
      : new PublishError('transient', `threads: ${said}; will retry`, options);
  }

  const code = error.graph?.code;
  const subcode = error.graph?.error_subcode;
  const status = error.status ?? 0;

  if (code === 190 || code === 102 || status === 401) {
    return new PublishError(
      'auth',
      `threads rejected the access token (expired, revoked or wrong): generate a new long-lived Threads token (README, "Connect Threads"), put it in .env as ${ctx.tokenVariable}, restart (${said})`,
      options,
    );
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new PublishError('auth', `threads: the token lacks a permission: grant threads_basic and threads_content_publish to the app and generate a new token (${said})`, options);
  }
  // Codes and subcodes of refusals first: 4/2207051 (spam) must not be read as throttling code 4.
  const refusal = (subcode !== undefined ? PERMANENT[subcode] : undefined) ?? (code !== undefined ? PERMANENT[code] : undefined);
  if (refusal) return new PublishError('permanent', `threads: ${refusal} (${said})`, options);
  if (code === NOT_READY_CODE || subcode === NOT_READY_CODE) {
    return new PublishError('transient', `threads: the container was not ready to publish; nothing was published, will retry (${said})`, options);
  }
  if (code === 9) {
    // The error for an exhausted 250-post quota is not documented [assumed: Graph's code 9]; the limit is read first anyway.
    return new PublishError('rate-limited', `threads: the account reached its 250 posts of the last 24 h; will retry later (${said})`, {
      ...options,
      retryAt: platformResetAt(error.headers, ctx.now) ?? new Date(ctx.now.getTime() + HOUR),
    });
  }
  if ((code !== undefined && THROTTLING_CODES.has(code)) || status === 429) {
    const reset = platformResetAt(error.headers, ctx.now);
    return new PublishError(
      'rate-limited',
      `threads: API calls are throttled (code ${code ?? status}); ${reset ? `Threads lets calls through again at ${reset.toISOString()}` : 'Threads gave no time, will retry with backoff'} (${said})`,
      { ...options, ...(reset ? { retryAt: reset } : {}) },
    );
  }
  if (code === 9004 || subcode === 2207052) {
    return new PublishError('transient', `threads could not fetch the card image: check that settings.mediaServer.publicBaseUrl is reachable from the internet (${said})`, options);
  }
  if (status >= 500 || code === 1 || code === 2) {
    return phase === 'publish'
      ? new PublishError('unclear', `threads: threads_publish failed on the server side (${said}); the post may be live, reconcile by reading the account back`, options)
      : new PublishError('transient', `threads: temporary server error (${said}); will retry`, options);
  }
  return new PublishError('permanent', `threads refused the request (${said}): check the channel's accountId (the Threads user id) and the post (at most 500 UTF-8 bytes, 5 links)`, options);
}

function graphCode(error: GraphRequestError): string | undefined {
  if (!error.graph?.code) return error.status ? `http:${error.status}` : undefined;
  return error.graph.error_subcode ? `graph:${error.graph.code}/${error.graph.error_subcode}` : `graph:${error.graph.code}`;
}
