/**
 * The X API v2 endpoints the driver calls, over the fake's state. Shapes and
 * checks follow docs.x.com: media upload (initialize, append, finalize,
 * STATUS), media metadata, POST /2/tweets, users/me, users/:id/tweets.
 */
import { X_PROBLEMS, type XProblem } from './x-problems';
import { nextSnowflake, type FakeXMedia, type FakeXTweet, type FakeXUser } from './x-state';
import type { MultipartPart } from './multipart';

export interface RouteState {
  user: FakeXUser;
  media: Map<string, FakeXMedia>;
  tweets: FakeXTweet[];
  processingPolls: number;
  now(): Date;
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  json: Record<string, unknown> | null;
  parts: MultipartPart[] | null;
  receivedAt: Date;
  receivedAtMs: number;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
  /** Set by POST /2/tweets when it created a tweet. */
  tweet?: FakeXTweet;
}

type Handler = (state: RouteState, request: RouteRequest) => RouteAnswer;

const problem = (p: XProblem): RouteAnswer => ({ status: p.status, body: p.body });
const MIME_MAGIC: Record<string, number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/gif': [0x47, 0x49, 0x46],
  'image/webp': [0x52, 0x49, 0x46, 0x46],
};
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

function findMedia(state: RouteState, id: string | undefined): FakeXMedia | undefined {
  return id === undefined ? undefined : state.media.get(id);
}

function processingInfo(media: FakeXMedia): Record<string, unknown> | undefined {
  if (media.pollsLeft <= 0) return { state: 'succeeded', progress_percent: 100 };
  return { state: 'in_progress', check_after_secs: 1, progress_percent: 50 };
}

export const X_ROUTES: Record<string, Handler> = {
  'POST /2/media/upload/initialize': (state, { json, receivedAt }) => {
    const mime = String(json?.media_type ?? '');
    const total = Number(json?.total_bytes);
    if (!(mime in MIME_MAGIC)) return problem(X_PROBLEMS.invalidRequest(`The media_type \`${mime}\` is not supported.`, 'media_type', mime));
    if (!Number.isInteger(total) || total <= 0 || total > MAX_IMAGE_BYTES) {
      return problem(X_PROBLEMS.invalidRequest('The total_bytes must be between 1 and 5242880 for images.', 'total_bytes', String(json?.total_bytes)));
    }
    const id = nextSnowflake();
    state.media.set(id, {
      id,
      mediaKey: `3_${id}`,
      mime,
      category: String(json?.media_category ?? 'tweet_image'),
      totalBytes: total,
      segments: new Map(),
      bytes: Buffer.alloc(0),
      finalized: false,
      pollsLeft: state.processingPolls,
      altText: null,
      receivedAt,
    });
    return { status: 200, body: { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } } };
  },

  'POST /2/media/upload/:id/append': (state, { params, parts }) => {
    const media = findMedia(state, params.id);
    if (!media || media.finalized) return problem(X_PROBLEMS.invalidRequest('The media_id is not valid or already finalized.', 'id', params.id));
    const index = Number(parts?.find((p) => p.name === 'segment_index')?.data.toString());
    const chunk = parts?.find((p) => p.name === 'media')?.data;
    if (!Number.isInteger(index) || index < 0 || index > 999 || !chunk) {
      return problem(X_PROBLEMS.invalidRequest('An append needs multipart fields segment_index (0–999) and media.', 'segment_index'));
    }
    media.segments.set(index, chunk);
    return { status: 200, body: { data: { expires_at: Math.floor(state.now().getTime() / 1000) + 86400 } } };
  },

  'POST /2/media/upload/:id/finalize': (state, { params }) => {
    const media = findMedia(state, params.id);
    if (!media) return problem(X_PROBLEMS.invalidRequest('The media_id is not valid.', 'id', params.id));
    const indexes = [...media.segments.keys()].sort((a, b) => a - b);
    media.bytes = Buffer.concat(indexes.map((i) => media.segments.get(i)!));
    if (media.bytes.length !== media.totalBytes) {
      return problem(X_PROBLEMS.invalidRequest(`File size mismatch: received ${media.bytes.length} bytes, expected ${media.totalBytes}.`, 'id', media.id));
    }
    const magic = MIME_MAGIC[media.mime] ?? [];
    if (!magic.every((byte, i) => media.bytes[i] === byte)) return problem(X_PROBLEMS.invalidRequest('InvalidMedia: the file is not the declared media_type.', 'id', media.id));
    media.finalized = true;
    const info = processingInfo(media);
    return {
      status: 200,
      body: { data: { id: media.id, media_key: media.mediaKey, size: media.totalBytes, expires_after_secs: 86400, ...(media.pollsLeft > 0 ? { processing_info: info } : {}) } },
    };
  },

  'GET /2/media/upload': (state, { query }) => {
    const media = findMedia(state, query.get('media_id') ?? undefined);
    if (query.get('command') !== 'STATUS' || !media || !media.finalized) return problem(X_PROBLEMS.invalidRequest('Unknown media_id or command.', 'media_id'));
    media.pollsLeft -= 1;
    return { status: 200, body: { data: { id: media.id, media_key: media.mediaKey, processing_info: processingInfo(media) } } };
  },

  'POST /2/media/metadata': (state, { json }) => {
    const media = findMedia(state, typeof json?.id === 'string' ? json.id : undefined);
    const alt = (json?.metadata as { alt_text?: { text?: unknown } } | undefined)?.alt_text?.text;
    if (!media) return problem(X_PROBLEMS.invalidRequest('The media id is not valid.', 'id', String(json?.id)));
    if (typeof alt !== 'string' || alt.length > 1000) return problem(X_PROBLEMS.invalidRequest('alt_text.text must be a string of at most 1000 characters.', 'metadata'));
    media.altText = alt;
    return { status: 200, body: { data: { id: media.id, associated_metadata: { alt_text: { text: alt } } } } };
  },

  'POST /2/tweets': (state, { json, receivedAt, receivedAtMs }) => {
    const text = typeof json?.text === 'string' ? json.text : '';
    const mediaIds = ((json?.media as { media_ids?: unknown } | undefined)?.media_ids ?? []) as unknown[];
    if (!Array.isArray(mediaIds) || mediaIds.length > 4) return problem(X_PROBLEMS.invalidRequest('A post may carry 1 to 4 images.', 'media.media_ids'));
    for (const id of mediaIds) {
      const media = findMedia(state, typeof id === 'string' ? id : undefined);
      if (!media || !media.finalized || media.pollsLeft > 0) return problem(X_PROBLEMS.invalidRequest(`Your media IDs are invalid.`, 'media.media_ids', String(id)));
    }
    if (text === '' && mediaIds.length === 0) return problem(X_PROBLEMS.invalidRequest('The `text` field is required without media.', 'text'));
    if (state.tweets.some((t) => t.text === text)) return problem(X_PROBLEMS.duplicate());
    const tweet: FakeXTweet = { id: nextSnowflake(), text, mediaIds: mediaIds as string[], createdAt: state.now(), receivedAt, receivedAtMs };
    state.tweets.push(tweet);
    return { status: 201, body: { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } }, tweet };
  },

  'GET /2/users/me': (state) => ({ status: 200, body: { data: { ...state.user } } }),

  'GET /2/users/:id/tweets': (state, { params, query }) => {
    if (params.id !== state.user.id) return problem(X_PROBLEMS.notFound());
    const max = Number(query.get('max_results') ?? 10);
    if (!Number.isInteger(max) || max < 5 || max > 100) return problem(X_PROBLEMS.invalidRequest('max_results must be between 5 and 100.', 'max_results', String(max)));
    const bound = (name: string): number | null => {
      const value = query.get(name);
      return value === null ? null : Date.parse(value);
    };
    const start = bound('start_time');
    const end = bound('end_time');
    if (Number.isNaN(start) || Number.isNaN(end)) return problem(X_PROBLEMS.invalidRequest('start_time and end_time must be RFC 3339 times.', 'start_time'));
    const fields = (query.get('tweet.fields') ?? '').split(',');
    const all = state.tweets
      .filter((t) => (start === null || t.createdAt.getTime() >= start) && (end === null || t.createdAt.getTime() <= end))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const offset = Number(query.get('pagination_token') ?? 0);
    const page = all.slice(offset, offset + max);
    if (page.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
    const next = offset + max < all.length ? String(offset + max) : undefined;
    return {
      status: 200,
      body: {
        data: page.map((t) => ({ id: t.id, text: t.text, edit_history_tweet_ids: [t.id], ...(fields.includes('created_at') ? { created_at: t.createdAt.toISOString() } : {}) })),
        meta: { result_count: page.length, newest_id: page[0]!.id, oldest_id: page[page.length - 1]!.id, ...(next ? { next_token: next } : {}) },
      },
    };
  },
};

/** The route template of a request path, with its `:id` parameters. */
export function matchRoute(method: string, pathname: string): { route: string; params: Record<string, string> } | null {
  for (const route of Object.keys(X_ROUTES)) {
    const [routeMethod, template = ''] = route.split(' ');
    if (routeMethod !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${template.replace(/:(\w+)/g, (_m, name: string) => (names.push(name), '([^/]+)'))}$`);
    const match = pattern.exec(pathname);
    if (match) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)])) };
  }
  return null;
}
