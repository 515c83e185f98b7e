/**
 * A fake Mastodon instance on 127.0.0.1 speaking the real REST API
 * (docs.joinmastodon.org; docs/channels/mastodon.md): `POST /api/v2/media`
 * (multipart, 200 or 202 then `GET /api/v1/media/:id` answering 206 until
 * processed, 404 once attached), `POST /api/v1/statuses` (JSON or form, the
 * instance's own length count, the 422 for media still processing, the
 * `Idempotency-Key` kept for an hour of platform time), `verify_credentials`,
 * an account's statuses as HTML newest first with `max_id` paging, and
 * `GET /api/v2/instance`. Every answer carries `X-RateLimit-*` (Reset as an
 * ISO instant); errors are `{"error":"…"}`. Fault injection and records of
 * what is public are for tests.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMultipart } from './x/multipart';

export type FakeMastodonRoute =
  | 'POST /api/v2/media'
  | 'GET /api/v1/media/:id'
  | 'POST /api/v1/statuses'
  | 'GET /api/v1/accounts/verify_credentials'
  | 'GET /api/v1/accounts/:id/statuses'
  | 'GET /api/v2/instance';

/** One injected fault; applied to the next `times` (default 1) requests on `route`. */
export interface MastodonFault {
  route: FakeMastodonRoute;
  status?: number;
  /** A JSON body; default Mastodon's `{"error":…}` for the status. */
  body?: unknown;
  /** Sent verbatim (an HTML error page from the proxy, malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Real wait before answering (keep it small). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** 'after': the request takes effect (the status is created), then the fault replaces the answer. */
  when?: 'before' | 'after';
  times?: number;
}

export interface FakeMedia {
  id: string;
  description: string;
  filename: string | null;
  mime: string | null;
  bytes: number;
  sha256: string;
  /** GET polls still answering 206. */
  pollsLeft: number;
  statusId: string | null;
}

export interface FakeStatus {
  id: string;
  /** The `status` parameter as received (plain text). */
  text: string;
  /** As the API renders it. */
  content: string;
  createdAt: Date;
  mediaIds: string[];
  visibility: string;
  language: string | null;
  idempotencyKey: string | null;
}

export interface FakeMastodonRequest {
  route: FakeMastodonRoute | null;
  method: string;
  path: string;
  /** The bearer token presented (a fake: tests assert which was used). */
  token: string | null;
  idempotencyKey: string | null;
  contentLength: string | null;
  receivedAt: Date;
}

export interface FakeInstanceConfig {
  maxCharacters: number;
  maxMediaAttachments: number;
  charactersReservedPerUrl: number;
  descriptionLimit: number;
}

export interface FakeMastodonOptions {
  token?: string;
  username?: string;
  /** Platform time (a virtual clock in tests). */
  now?: () => Date;
  /** 0: uploads answer 200 (processed); n: 202, then n polls answer 206. */
  processingPolls?: number;
  instance?: Partial<FakeInstanceConfig>;
}

export interface FakeMastodonServer {
  readonly url: string;
  readonly accountId: string;
  readonly username: string;
  settings: {
    processingPolls: number;
    instance: FakeInstanceConfig;
    /** The account is suspended/disabled: every authenticated call answers 403. */
    accountDisabled: boolean;
  };
  faults: MastodonFault[];
  /** Accept every request and never answer (timeout tests). */
  silent: boolean;
  readonly media: Map<string, FakeMedia>;
  /** What is public, oldest first. */
  readonly statuses: FakeStatus[];
  readonly requests: FakeMastodonRequest[];
  revokeToken(): void;
  /** Forget every status, media, request and fault; settings back to the options; the token valid again. */
  reset(): void;
  close(): Promise<void>;
}

const IDEMPOTENCY_TTL_MS = 3_600_000;
export const INVALID_TOKEN = 'The access token is invalid';
export const NOT_PROCESSED = 'Cannot attach files that have not finished processing. Try again in a moment!';

/** Mastodon's 429, as rack-attack answers it: Reset is an ISO 8601 instant. */
export function rateLimitFault(route: FakeMastodonRoute, resetAt: Date, extra: Partial<MastodonFault> = {}): MastodonFault {
  return {
    route,
    status: 429,
    body: { error: 'Too many requests' },
    headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetAt.toISOString().replace('Z', '000Z') },
    ...extra,
  };
}

export async function startFakeMastodonServer(options: FakeMastodonOptions = {}): Promise<FakeMastodonServer> {
  const now = options.now ?? (() => new Date());
  const token = options.token ?? 'fake-mastodon-token';
  const username = options.username ?? 'kanimpontianak';
  const accountId = '109876543210987654';
  let tokenValid = true;
  let nextId = 113580417382101230n;
  const newId = (): string => String(nextId++);
  const idempotency = new Map<string, { statusId: string; at: Date }>();
  const initialSettings = (): FakeMastodonServer['settings'] => ({
    processingPolls: options.processingPolls ?? 0,
    instance: { maxCharacters: 500, maxMediaAttachments: 4, charactersReservedPerUrl: 23, descriptionLimit: 1500, ...options.instance },
    accountDisabled: false,
  });

  const fake: FakeMastodonServer = {
    url: '',
    accountId,
    username,
    settings: initialSettings(),
    faults: [],
    silent: false,
    media: new Map(),
    statuses: [],
    requests: [],
    revokeToken: () => void (tokenValid = false),
    reset: () => {
      fake.settings = initialSettings();
      fake.silent = false;
      tokenValid = true;
      for (const list of [fake.faults, fake.statuses, fake.requests]) list.length = 0;
      fake.media.clear();
      idempotency.clear();
    },
    close: async () => undefined,
  };

  let origin = '';
  const statusUrl = (id: string): string => `${origin}/@${username}/${id}`;
  const mediaJson = (m: FakeMedia): Record<string, unknown> => ({
    id: m.id,
    type: 'image',
    url: m.pollsLeft > 0 ? null : `${origin}/system/media_attachments/files/original/${m.id}.png`,
    preview_url: `${origin}/system/media_attachments/files/small/${m.id}.png`,
    description: m.description,
    meta: { original: { width: 1080, height: 1350 } },
  });
  const statusJson = (s: FakeStatus): Record<string, unknown> => ({
    id: s.id,
    created_at: s.createdAt.toISOString(),
    in_reply_to_id: null,
    visibility: s.visibility,
    language: s.language,
    uri: `${origin}/users/${username}/statuses/${s.id}`,
    url: statusUrl(s.id),
    content: s.content,
    reblog: null,
    account: { id: accountId, username, acct: username },
    media_attachments: s.mediaIds.map((id) => mediaJson(fake.media.get(id)!)),
  });
  const error = (status: number, message: string): Answer => ({ status, body: { error: message } });

  function authorised(req: http.IncomingMessage, required: boolean): Answer | null {
    const presented = bearer(req);
    if (presented === null) return required ? error(401, INVALID_TOKEN) : null;
    if (!tokenValid || presented !== token) return error(401, INVALID_TOKEN);
    if (fake.settings.accountDisabled) return error(403, 'Your login is currently disabled');
    return null;
  }

  function createStatus(params: StatusParams, key: string | null): Answer {
    if (key) {
      const kept = idempotency.get(key);
      if (kept && now().getTime() - kept.at.getTime() < IDEMPOTENCY_TTL_MS) {
        const existing = fake.statuses.find((s) => s.id === kept.statusId);
        if (existing) return { status: 200, body: statusJson(existing) };
      }
    }
    const limits = fake.settings.instance;
    if (params.text.trim() === '' && params.mediaIds.length === 0) return error(422, "Validation failed: Text can't be blank");
    const length = mastodonLength(params.text, limits.charactersReservedPerUrl);
    if (length > limits.maxCharacters) return error(422, `Validation failed: Text character limit of ${limits.maxCharacters} exceeded`);
    if (params.mediaIds.length > limits.maxMediaAttachments) return error(422, `Validation failed: Media attachments limit of ${limits.maxMediaAttachments} exceeded`);
    const media = params.mediaIds.map((id) => fake.media.get(id));
    if (media.some((m) => !m || m.statusId !== null)) return error(422, 'Validation failed: Media attachments are invalid');
    if (media.some((m) => m!.pollsLeft > 0)) return error(422, NOT_PROCESSED);
    const status: FakeStatus = {
      id: newId(),
      text: params.text,
      content: toHtml(params.text, origin),
      createdAt: now(),
      mediaIds: params.mediaIds,
      visibility: params.visibility ?? 'public',
      language: params.language ?? null,
      idempotencyKey: key,
    };
    for (const m of media) m!.statusId = status.id;
    fake.statuses.push(status);
    // Written after the status is saved, for an hour (PostStatusService).
    if (key) idempotency.set(key, { statusId: status.id, at: status.createdAt });
    return { status: 200, body: statusJson(status) };
  }

  function uploadMedia(req: http.IncomingMessage, raw: Buffer): Answer {
    let parts;
    try {
      parts = parseMultipart(raw, req.headers['content-type']);
    } catch {
      return error(422, 'Validation failed: File content type is invalid');
    }
    const file = parts.find((p) => p.name === 'file');
    if (!file || file.filename === null) return error(422, "Validation failed: File can't be blank");
    const description = parts.find((p) => p.name === 'description')?.data.toString('utf8') ?? '';
    if ([...description].length > fake.settings.instance.descriptionLimit) return error(422, `Validation failed: Description is too long (maximum is ${fake.settings.instance.descriptionLimit} characters)`);
    const media: FakeMedia = {
      id: newId(),
      description,
      filename: file.filename,
      mime: file.contentType,
      bytes: file.data.length,
      sha256: crypto.createHash('sha256').update(file.data).digest('hex'),
      pollsLeft: fake.settings.processingPolls,
      statusId: null,
    };
    fake.media.set(media.id, media);
    return { status: media.pollsLeft > 0 ? 202 : 200, body: mediaJson(media) };
  }

  function accountStatuses(url: URL): Answer {
    const limit = Math.min(40, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
    const maxId = url.searchParams.get('max_id');
    const newestFirst = [...fake.statuses].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = newestFirst.filter((s) => maxId === null || BigInt(s.id) < BigInt(maxId)).slice(0, limit);
    const headers: Record<string, string> = {};
    const last = page.at(-1);
    if (last) headers.link = `<${origin}${url.pathname}?limit=${limit}&max_id=${last.id}>; rel="next"`;
    return { status: 200, body: page.map(statusJson), headers };
  }

  async function route(req: http.IncomingMessage, url: URL, raw: Buffer): Promise<Answer> {
    const name = routeOf(req.method ?? '', url.pathname);
    if (name === 'GET /api/v2/instance') {
      const i = fake.settings.instance;
      return {
        status: 200,
        body: {
          domain: new URL(origin).host,
          title: 'Fake Mastodon',
          version: '4.5.2',
          configuration: {
            urls: { streaming: `wss://${new URL(origin).host}` },
            accounts: { max_featured_tags: 10 },
            statuses: { max_characters: i.maxCharacters, max_media_attachments: i.maxMediaAttachments, characters_reserved_per_url: i.charactersReservedPerUrl },
            media_attachments: { supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], description_limit: i.descriptionLimit, image_size_limit: 16777216, image_matrix_limit: 33177600 },
          },
        },
      };
    }
    const publicRead = name === 'GET /api/v1/accounts/:id/statuses';
    const refused = authorised(req, !publicRead);
    if (refused) return refused;
    switch (name) {
      case 'GET /api/v1/accounts/verify_credentials':
        return { status: 200, body: { id: accountId, username, acct: username, display_name: 'Kantor Imigrasi Pontianak', url: `${origin}/@${username}`, statuses_count: fake.statuses.length } };
      case 'GET /api/v1/accounts/:id/statuses':
        return url.pathname.split('/')[4] === accountId ? accountStatuses(url) : error(404, 'Record not found');
      case 'POST /api/v2/media':
        return uploadMedia(req, raw);
      case 'GET /api/v1/media/:id': {
        const media = fake.media.get(url.pathname.split('/')[4] ?? '');
        // Only unattached media is visible here.
        if (!media || media.statusId !== null) return error(404, 'Record not found');
        if (media.pollsLeft > 0) {
          media.pollsLeft -= 1;
          return { status: 206, body: mediaJson({ ...media, pollsLeft: 1 }) };
        }
        return { status: 200, body: mediaJson(media) };
      }
      case 'POST /api/v1/statuses': {
        const params = statusParams(req.headers['content-type'], raw);
        if (!params) return error(422, "Validation failed: Text can't be blank");
        const key = header(req, 'idempotency-key');
        return createStatus(params, key);
      }
      default:
        return error(404, 'Record not found');
    }
  }

  let remaining = 300;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', origin);
        const name = routeOf(req.method ?? '', url.pathname);
        fake.requests.push({
          route: name,
          method: req.method ?? '',
          path: url.pathname + url.search,
          token: bearer(req),
          idempotencyKey: header(req, 'idempotency-key'),
          contentLength: header(req, 'content-length'),
          receivedAt: now(),
        });
        if (fake.silent) return; // the answer never comes
        const index = fake.faults.findIndex((f) => f.route === name);
        const fault = index >= 0 ? fake.faults[index] : undefined;
        if (fault) {
          fault.times = (fault.times ?? 1) - 1;
          if (fault.times <= 0) fake.faults.splice(index, 1);
        }
        let answer: Answer | null = null;
        if (!fault || fault.when === 'after') answer = await route(req, url, Buffer.concat(chunks));
        if (fault) {
          if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
          if (fault.drop) return void req.socket.destroy();
          if (fault.status !== undefined || fault.rawBody !== undefined) {
            const status = fault.status ?? 500;
            answer = { status, body: fault.body ?? { error: status >= 500 ? 'We’re sorry, but something went wrong on our end.' : 'Error' }, headers: fault.headers ?? {}, ...(fault.rawBody !== undefined ? { raw: fault.rawBody } : {}) };
          }
          answer ??= await route(req, url, Buffer.concat(chunks));
        }
        remaining = Math.max(0, remaining - 1);
        const reset = new Date(Math.ceil(now().getTime() / 300_000) * 300_000 + 300_000);
        const headers = { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': reset.toISOString(), ...answer!.headers };
        const body = answer!.raw ?? JSON.stringify(answer!.body);
        res.writeHead(answer!.status, { 'content-type': answer!.raw !== undefined ? 'text/html' : 'application/json; charset=utf-8', ...headers });
        res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(fake, {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return fake;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  raw?: string;
}

interface StatusParams {
  text: string;
  mediaIds: string[];
  visibility?: string;
  language?: string;
}

function routeOf(method: string, pathname: string): FakeMastodonRoute | null {
  if (method === 'POST' && pathname === '/api/v2/media') return 'POST /api/v2/media';
  if (method === 'GET' && /^\/api\/v1\/media\/[^/]+$/.test(pathname)) return 'GET /api/v1/media/:id';
  if (method === 'POST' && pathname === '/api/v1/statuses') return 'POST /api/v1/statuses';
  if (method === 'GET' && pathname === '/api/v1/accounts/verify_credentials') return 'GET /api/v1/accounts/verify_credentials';
  if (method === 'GET' && /^\/api\/v1\/accounts\/[^/]+\/statuses$/.test(pathname)) return 'GET /api/v1/accounts/:id/statuses';
  if (method === 'GET' && pathname === '/api/v2/instance') return 'GET /api/v2/instance';
  return null;
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function bearer(req: http.IncomingMessage): string | null {
  return /^Bearer (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1] ?? null;
}

/** The documented form parameters (`media_ids[]`), or the JSON body masto and we send. */
function statusParams(contentType: string | undefined, raw: Buffer): StatusParams | null {
  if (/application\/json/i.test(contentType ?? '')) {
    try {
      const body = JSON.parse(raw.toString('utf8')) as { status?: unknown; media_ids?: unknown; visibility?: unknown; language?: unknown };
      return {
        text: typeof body.status === 'string' ? body.status : '',
        mediaIds: Array.isArray(body.media_ids) ? body.media_ids.map(String) : [],
        ...(typeof body.visibility === 'string' ? { visibility: body.visibility } : {}),
        ...(typeof body.language === 'string' ? { language: body.language } : {}),
      };
    } catch {
      return null;
    }
  }
  const form = new URLSearchParams(raw.toString('utf8'));
  return {
    text: form.get('status') ?? '',
    mediaIds: form.getAll('media_ids[]'),
    ...(form.get('visibility') ? { visibility: form.get('visibility')! } : {}),
    ...(form.get('language') ? { language: form.get('language')! } : {}),
  };
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * StatusLengthValidator: grapheme clusters, each http(s) URL as `perUrl`
 * characters; the URL ends before trailing sentence punctuation (twitter-text's
 * extractor ends a URL on a letter, digit, `/`, `=`, `_`, `#`, `-` or `+`).
 */
function mastodonLength(text: string, perUrl: number): number {
  const replaced = text.replace(/https?:\/\/\S*[\p{L}\p{N}/=_#+-]/gu, 'x'.repeat(perUrl));
  return [...segmenter.segment(replaced)].length;
}

/**
 * The HTML Mastodon renders for a plain-text status: escaped, paragraphs on
 * blank lines, `<br />` for line breaks, links split into invisible/ellipsis
 * spans, hashtags as links.
 */
export function toHtml(text: string, origin: string): string {
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const linkify = (line: string): string =>
    line
      .split(/(https?:\/\/\S+)/)
      .map((piece, index) => {
        if (index % 2 === 1) {
          const [, scheme, rest] = /^(https?:\/\/)(.*)$/.exec(piece)!;
          const visible = rest!.slice(0, 30);
          const hidden = rest!.slice(30);
          return `<a href="${escape(piece)}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${escape(scheme!)}</span><span class="${hidden ? 'ellipsis' : ''}">${escape(visible)}</span><span class="invisible">${escape(hidden)}</span></a>`;
        }
        return escape(piece).replace(/(^|\s)#([\p{L}\p{N}_]+)/gu, (_m, space: string, tag: string) => `${space}<a href="${origin}/tags/${tag.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
      })
      .join('');
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(linkify).join('<br />')}</p>`)
    .join('');
}
