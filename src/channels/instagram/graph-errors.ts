/**
 * Graph API failures → PublishError, by HTTP status and Graph code/subcode
 * only (../../../../shared/PLATFORMS.md), never by message text. Messages say
 * what staff should change.
 */
import { PublishError } from '../publish-error';
import { GraphRequestError } from './graph-client';

/** Where in the publish flow a request failed: decides whether an outcome is unclear. */
export type GraphPhase = 'limit' | 'create' | 'poll' | 'publish' | 'read';

export interface ClassifyContext {
  now: Date;
  /** Name of the env variable holding the token, for the "what to do" message. */
  tokenVariable: string;
}

const HOUR = 3_600_000;
/**
 * Meta's rate limits, answered as HTTP 400/403 (rarely 429) with one of these
 * codes: 4 app, 17 user, 32 page, 613 custom (business use case) limit.
 */
const THROTTLING_CODES = new Set([4, 17, 32, 613]);

/** Advice for refusals of the post itself, keyed by subcode (the code varies by API version). */
const PERMANENT_SUBCODES: Record<number, string> = {
  2207051: 'Instagram restricted this action as spam: post less often or vary the caption template, and check the account in the Instagram app',
  2207009: 'Instagram refused the image aspect ratio: render cards between 4:5 and 1.91:1 (e.g. 1080×1350)',
  2207005: 'Instagram refused the image format: render cards as JPEG for this channel',
  2207004: 'the image is too large: keep cards under 8 MB',
  2207010: 'the caption is too long for Instagram: keep it within 2,200 characters, 30 hashtags, 20 @-mentions',
  2207040: 'the caption has too many @-mentions: at most 20',
};
const PERMANENT_CODES: Record<number, string> = {
  36003: PERMANENT_SUBCODES[2207009]!,
  36001: PERMANENT_SUBCODES[2207005]!,
  36004: PERMANENT_SUBCODES[2207010]!,
};

/** Classifies any failure of a Graph request made while publishing. */
export function classifyGraphError(error: unknown, phase: GraphPhase, ctx: ClassifyContext): PublishError {
  if (error instanceof PublishError) return error;
  if (!(error instanceof GraphRequestError)) {
    return new PublishError(phase === 'publish' ? 'unclear' : 'transient', `instagram: unexpected failure: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  const options = { status: error.status ?? undefined, code: graphCode(error), cause: error };
  const said = error.message;

  if (error.failure === 'refused') return new PublishError('transient', `instagram: cannot connect (${said}); will retry`, options);
  if (error.failure === 'network' || error.failure === 'malformed') {
    return phase === 'publish'
      ? new PublishError('unclear', `instagram: lost the answer to media_publish (${said}); the post may be live, reconcile by reading the account back`, options)
      : new PublishError('transient', `instagram: ${said}; will retry`, options);
  }

  const code = error.graph?.code;
  const subcode = error.graph?.error_subcode;
  const status = error.status ?? 0;

  if (code === 190 || code === 102 || status === 401) {
    return new PublishError(
      'auth',
      `instagram rejected the access token (expired, revoked or wrong): generate a new long-lived token in the Meta developer dashboard, put it in .env as ${ctx.tokenVariable}, restart (${said})`,
      options,
    );
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new PublishError('auth', `instagram: the token lacks a permission: grant instagram_business_content_publish (or instagram_content_publish with Facebook Login) and generate a new token (${said})`, options);
  }
  // Subcodes first: 4/2207051 (spam) must not be read as throttling code 4.
  if (subcode !== undefined && PERMANENT_SUBCODES[subcode]) {
    return new PublishError('permanent', `instagram: ${PERMANENT_SUBCODES[subcode]} (${said})`, options);
  }
  if (code === 9 || subcode === 2207042) {
    return new PublishError('rate-limited', `instagram: the account reached its publishing limit for the last 24 h; will retry later (${said})`, {
      ...options,
      retryAt: retryAtFrom(error.headers, ctx.now, HOUR),
    });
  }
  if ((code !== undefined && THROTTLING_CODES.has(code)) || status === 429) {
    // Only a time the platform gave is a reset; without one the retry policy backs
    // off, so a post with a short deadline still gets its chances (the throttling
    // windows are rolling: a guessed wait would only make it expire).
    const reset = platformResetAt(error.headers, ctx.now);
    const usage = usageSummary(error.headers);
    return new PublishError(
      'rate-limited',
      `instagram: API calls are throttled (code ${code ?? status}${usage}); ${reset ? `Instagram lets calls through again at ${reset.toISOString()}` : 'Instagram gave no time, will retry with backoff'} (${said})`,
      { ...options, ...(reset ? { retryAt: reset } : {}) },
    );
  }
  if (code === 9004 || subcode === 2207052) {
    return new PublishError('transient', `instagram could not fetch the card image: check that settings.mediaServer.publicBaseUrl is reachable from the internet (${said})`, options);
  }
  if (code === 9007 || subcode === 2207027) return new PublishError('transient', `instagram: the media is not ready yet (${said})`, options);
  if (code !== undefined && PERMANENT_CODES[code]) return new PublishError('permanent', `instagram: ${PERMANENT_CODES[code]} (${said})`, options);

  if (status >= 500 || code === 1 || code === 2) {
    return phase === 'publish'
      ? new PublishError('unclear', `instagram: media_publish failed on the server side (${said}); the post may be live, reconcile by reading the account back`, options)
      : new PublishError('transient', `instagram: temporary server error (${said}); will retry`, options);
  }
  return new PublishError('permanent', `instagram refused the request (${said}): check the channel's accountId and the post`, options);
}

function graphCode(error: GraphRequestError): string | undefined {
  if (!error.graph?.code) return error.status ? `http:${error.status}` : undefined;
  return error.graph.error_subcode ? `graph:${error.graph.code}/${error.graph.error_subcode}` : `graph:${error.graph.code}`;
}

/**
 * Retry-After (seconds or a date) wins; else Meta's business-use-case header
 * (`estimated_time_to_regain_access`, minutes); else the default wait.
 */
export function retryAtFrom(headers: Headers | null, now: Date, fallbackMs: number): Date {
  return platformResetAt(headers, now) ?? new Date(now.getTime() + fallbackMs);
}

/** When the platform says calls go through again: Retry-After, else the longest regain estimate; null when it says nothing. */
export function platformResetAt(headers: Headers | null, now: Date): Date | null {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return new Date(now.getTime() + seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return new Date(Math.max(date, now.getTime()));
  }
  const minutes = regainMinutes(headers?.get('x-business-use-case-usage') ?? null);
  if (minutes !== null && minutes > 0) return new Date(now.getTime() + minutes * 60_000);
  return null;
}

/**
 * `X-Business-Use-Case-Usage: {"<id>":[{"type":"instagram","call_count":100,…,
 * "estimated_time_to_regain_access":12}]}`: the longest wait, in minutes.
 */
function regainMinutes(header: string | null): number | null {
  const entries = bucEntries(header);
  const all = entries.map((entry) => entry.estimated_time_to_regain_access ?? 0);
  return all.length > 0 ? Math.max(...all) : null;
}

interface UsageEntry {
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
  estimated_time_to_regain_access?: number;
}

function bucEntries(header: string | null): UsageEntry[] {
  const usage = parseJson(header);
  if (!usage) return [];
  return Object.values(usage)
    .flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : []))
    .filter((entry): entry is UsageEntry => typeof entry === 'object' && entry !== null);
}

function parseJson(header: string | null): Record<string, unknown> | null {
  if (!header) return null;
  try {
    const parsed: unknown = JSON.parse(header);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The highest usage share (%) from `X-App-Usage` or the business-use-case header, for staff: ", usage 100 %". */
function usageSummary(headers: Headers | null): string {
  const app = parseJson(headers?.get('x-app-usage') ?? null) as UsageEntry | null;
  const shares = [app, ...bucEntries(headers?.get('x-business-use-case-usage') ?? null)]
    .flatMap((entry) => (entry ? [entry.call_count, entry.total_cputime, entry.total_time] : []))
    .filter((share): share is number => typeof share === 'number' && Number.isFinite(share));
  return shares.length > 0 ? `, usage ${Math.max(...shares)} %` : '';
}
