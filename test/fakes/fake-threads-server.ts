/**
 * A fake Threads API (graph.threads.net) on 127.0.0.1 that speaks the real
 * HTTP API (docs/channels/threads.md §8): the same paths (with or without
 * `/v1.0`), form or JSON bodies, the access token required (Bearer header or
 * `access_token`), containers at `/{user-id}/threads` that take a few polls
 * (`status`, `error_message`), carousels, `threads_publish` (4279009 before
 * FINISHED), permalinks, the account's threads list with `since`, the
 * publishing limit (250, a carousel counts once), and the long-lived token
 * exchange and refresh (`th_exchange_token`, `th_refresh_token`, refused for
 * tokens younger than 24 h). Like Threads it DOWNLOADS `image_url` and checks
 * it (JPEG or PNG, ≤ 8 MB), and counts `text` in UTF-8 bytes. Fault injection
 * and records of what was created are for tests.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphErrorBody, GRAPH_ERRORS, type GraphErrorSpec } from './instagram/graph-error-bodies';
import { fetchThreadsImage, THREADS_ERRORS, type ThreadsImage } from './threads/threads-image';

export type FakeThreadsRoute =
  | 'GET /access_token'
  | 'GET /refresh_access_token'
  | 'GET /me'
  | 'GET /{threads-user-id}'
  | 'GET /{container-id}'
  | 'GET /{media-id}'
  | 'GET /{threads-user-id}/threads_publishing_limit'
  | 'POST /{threads-user-id}/threads'
  | 'GET /{threads-user-id}/threads'
  | 'POST /{threads-user-id}/threads_publish';

/** One injected fault; applied to the next `times` (default 1) requests on `route`. */
export interface ThreadsFault {
  route: FakeThreadsRoute;
  status?: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** 'after': the request takes effect (the post is created), then the fault replaces the answer. */
  when?: 'before' | 'after';
  times?: number;
}

/**
 * Meta's throttling as the Graph API answers it: code 4 (app), 17 (user) or
 * 613 (custom) until `until`, with `X-App-Usage` or
 * `X-Business-Use-Case-Usage` (`estimated_time_to_regain_access`, minutes).
 */
export interface ThreadsRateLimit {
  code: 4 | 17 | 613;
  until: Date;
  status?: 400 | 403 | 429;
  withoutEstimate?: boolean;
}

export interface FakeThreadsContainer {
  id: string;
  mediaType: 'TEXT' | 'IMAGE' | 'CAROUSEL';
  isCarouselItem: boolean;
  text: string | null;
  altText: string | null;
  image: ThreadsImage | null;
  children: string[];
  pollsLeft: number;
  published: boolean;
  receivedAt: Date;
}

export interface FakeThread {
  id: string;
  containerId: string;
  mediaType: 'TEXT_POST' | 'IMAGE' | 'CAROUSEL_ALBUM';
  text: string | null;
  items: { altText: string | null; sha256: string; bytes: number; width: number; height: number; mime: string }[];
  permalink: string;
  /** The platform's timestamp (the `now` option). */
  timestamp: Date;
  /** Wall time the threads_publish request arrived. */
  receivedAt: Date;
}

export interface FakeThreadsRequest {
  method: string;
  route: FakeThreadsRoute | null;
  path: string;
  /** The query string's parameters (never a token: tests check none is in a URL). */
  query: Record<string, string>;
  token: string | null;
  receivedAt: Date;
}

export interface FakeThreadsOptions {
  userId?: string;
  username?: string;
  token?: string;
  /** Platform time for timestamps and token ages (a virtual clock in tests). */
  now?: () => Date;
  pollsUntilFinished?: number;
  quotaUsage?: number;
  validateImages?: boolean;
  /** The app secret `th_exchange_token` needs. */
  appSecret?: string;
  /** Where the fake really downloads an `image_url` from (the fault tests point it at the bot's media server). */
  imageUrl?: (url: string) => string;
}

export interface FakeThreadsServer {
  readonly url: string;
  readonly userId: string;
  settings: {
    pollsUntilFinished: number;
    quotaUsage: number;
    quotaTotal: number;
    validateImages: boolean;
    finalStatus: 'FINISHED' | 'ERROR' | 'EXPIRED';
    rateLimit: ThreadsRateLimit | null;
  };
  faults: ThreadsFault[];
  /** Every request accepted and recorded, never answered. */
  silent: boolean;
  readonly containers: Map<string, FakeThreadsContainer>;
  readonly published: FakeThread[];
  readonly requests: FakeThreadsRequest[];
  readonly refreshes: { receivedAt: Date; expiresAt: Date }[];
  /** Accept `token`, expiring at `expiresAt` (or never), issued at `issuedAt` (default: long ago). */
  addToken(token: string, expiresAt?: Date | null, issuedAt?: Date): void;
  revokeToken(token?: string): void;
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const SIXTY_DAYS_S = 5_184_000;
const DAY_MS = 86_400_000;

export async function startFakeThreadsServer(options: FakeThreadsOptions = {}): Promise<FakeThreadsServer> {
  const userId = options.userId ?? '25123456789012345';
  const username = options.username ?? 'kanimpontianak';
  const now = options.now ?? (() => new Date());
  const tokens = new Map<string, { expiresAt: Date | null; issuedAt: Date }>();
  const initialSettings = (): FakeThreadsServer['settings'] => ({
    pollsUntilFinished: options.pollsUntilFinished ?? 2,
    quotaUsage: options.quotaUsage ?? 0,
    quotaTotal: 250,
    validateImages: options.validateImages ?? true,
    finalStatus: 'FINISHED',
    rateLimit: null,
  });
  let nextId = 1;
  const newId = (prefix: string): string => `${prefix}${String(nextId++).padStart(6, '0')}`;

  const fake: FakeThreadsServer = {
    url: '',
    userId,
    settings: initialSettings(),
    faults: [],
    silent: false,
    containers: new Map(),
    published: [],
    requests: [],
    refreshes: [],
    addToken: (token, expiresAt = null, issuedAt = new Date(0)) => void tokens.set(token, { expiresAt, issuedAt }),
    revokeToken: (token) => (token === undefined ? tokens.clear() : void tokens.delete(token)),
    reset: () => {
      fake.settings = initialSettings();
      fake.silent = false;
      for (const list of [fake.faults, fake.published, fake.requests, fake.refreshes]) list.length = 0;
      fake.containers.clear();
    },
    close: async () => undefined,
  };
  if (options.token) fake.addToken(options.token);

  const error = (spec: GraphErrorSpec): Answer => ({ status: spec.status, body: graphErrorBody(spec) });
  const pick = (object: Record<string, unknown>, fields: string | undefined): Record<string, unknown> => {
    if (!fields) return { id: object.id };
    const wanted = fields.split(',').map((f) => f.trim());
    return Object.fromEntries(Object.entries(object).filter(([key, value]) => (key === 'id' || wanted.includes(key)) && value !== undefined));
  };
  const graphTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, '+0000');

  function rateLimited(): Answer | null {
    const limit = fake.settings.rateLimit;
    const left = limit ? limit.until.getTime() - now().getTime() : 0;
    if (!limit || left <= 0) return null;
    const spec = { 4: GRAPH_ERRORS.throttled, 17: GRAPH_ERRORS.userThrottled, 613: GRAPH_ERRORS.customThrottled }[limit.code];
    const minutes = limit.withoutEstimate ? 0 : Math.ceil(left / 60_000);
    const usage = { call_count: 100, total_cputime: 12, total_time: 35 };
    const headers: Record<string, string> =
      limit.code === 4
        ? { 'x-app-usage': JSON.stringify(usage) }
        : { 'x-business-use-case-usage': JSON.stringify({ [userId]: [{ type: 'threads', ...usage, estimated_time_to_regain_access: minutes }] }) };
    return { status: limit.status ?? spec.status, body: graphErrorBody(spec), headers };
  }

  function routeOf(method: string, parts: string[]): FakeThreadsRoute | null {
    const [first, second] = parts;
    if (parts.length === 1 && method === 'GET') {
      if (first === 'access_token') return 'GET /access_token';
      if (first === 'refresh_access_token') return 'GET /refresh_access_token';
      if (first === 'me') return 'GET /me';
      if (first === userId) return 'GET /{threads-user-id}';
      if (fake.containers.has(first!)) return 'GET /{container-id}';
      return 'GET /{media-id}';
    }
    if (parts.length === 2 && (first === userId || first === 'me')) {
      if (method === 'GET' && second === 'threads_publishing_limit') return 'GET /{threads-user-id}/threads_publishing_limit';
      if (method === 'POST' && second === 'threads') return 'POST /{threads-user-id}/threads';
      if (method === 'GET' && second === 'threads') return 'GET /{threads-user-id}/threads';
      if (method === 'POST' && second === 'threads_publish') return 'POST /{threads-user-id}/threads_publish';
    }
    return null;
  }

  function issueToken(receivedAt: Date, record: boolean): Answer {
    const token = `THAAfake${crypto.randomBytes(12).toString('hex')}`;
    const expiresAt = new Date(now().getTime() + SIXTY_DAYS_S * 1000);
    fake.addToken(token, expiresAt, now());
    if (record) fake.refreshes.push({ receivedAt, expiresAt });
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: SIXTY_DAYS_S } };
  }

  async function answer(route: FakeThreadsRoute, id: string, params: Record<string, string>, token: string, receivedAt: Date): Promise<Answer> {
    switch (route) {
      case 'GET /access_token':
        if (params.grant_type !== 'th_exchange_token' || !params.client_secret || params.client_secret !== (options.appSecret ?? 'app-secret')) return error(GRAPH_ERRORS.invalidParameter);
        return issueToken(receivedAt, false);
      case 'GET /refresh_access_token': {
        if (params.grant_type !== 'th_refresh_token') return error(GRAPH_ERRORS.invalidParameter);
        // "The token must be at least 24 hours old" (long-lived-tokens).
        if (now().getTime() - tokens.get(token)!.issuedAt.getTime() < DAY_MS) return error(THREADS_ERRORS.tooYoung);
        return issueToken(receivedAt, true);
      }
      case 'GET /me':
      case 'GET /{threads-user-id}':
        return { status: 200, body: pick({ id: userId, username, name: 'Kantor Imigrasi Pontianak', threads_biography: 'Akun resmi' }, params.fields) };
      case 'GET /{threads-user-id}/threads_publishing_limit':
        return { status: 200, body: { data: [{ quota_usage: fake.settings.quotaUsage, config: { quota_total: fake.settings.quotaTotal, quota_duration: 86400 } }] } };
      case 'POST /{threads-user-id}/threads':
        return createContainer(params, receivedAt);
      case 'GET /{container-id}': {
        const container = fake.containers.get(id)!;
        let status: string = container.published ? 'PUBLISHED' : 'IN_PROGRESS';
        if (!container.published && container.pollsLeft <= 0) status = fake.settings.finalStatus;
        if (!container.published && container.pollsLeft > 0) container.pollsLeft -= 1;
        return { status: 200, body: pick({ id, status, error_message: status === 'ERROR' ? 'UNKNOWN' : undefined }, params.fields) };
      }
      case 'GET /{media-id}': {
        const media = fake.published.find((item) => item.id === id);
        if (!media) return error(GRAPH_ERRORS.unknownObject);
        return { status: 200, body: pick({ id, text: media.text ?? undefined, permalink: media.permalink, timestamp: graphTime(media.timestamp), media_type: media.mediaType }, params.fields) };
      }
      case 'GET /{threads-user-id}/threads':
        return list(params);
      case 'POST /{threads-user-id}/threads_publish':
        return publish(params, receivedAt);
    }
  }

  function list(params: Record<string, string>): Answer {
    const since = params.since === undefined ? null : Number(params.since);
    const until = params.until === undefined ? null : Number(params.until);
    if ((since !== null && !(since >= 1688540400)) || (until !== null && !Number.isFinite(until))) return error(GRAPH_ERRORS.invalidParameter);
    const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
    const newestFirst = [...fake.published]
      .reverse()
      .filter((media) => (since === null || media.timestamp.getTime() / 1000 >= since) && (until === null || media.timestamp.getTime() / 1000 <= until));
    const start = params.after ? Number(Buffer.from(params.after, 'base64url').toString()) : 0;
    const page = newestFirst.slice(start, start + limit);
    const more = start + limit < newestFirst.length;
    const after = Buffer.from(String(start + page.length)).toString('base64url');
    return {
      status: 200,
      body: {
        data: page.map((media) => pick({ id: media.id, text: media.text ?? undefined, timestamp: graphTime(media.timestamp), permalink: media.permalink, media_type: media.mediaType }, params.fields)),
        paging: { cursors: { before: Buffer.from(String(start)).toString('base64url'), after }, ...(more ? { next: `https://graph.threads.net/v1.0/${userId}/threads?after=${after}` } : {}) },
      },
    };
  }

  async function createContainer(params: Record<string, string>, receivedAt: Date): Promise<Answer> {
    const isCarouselItem = params.is_carousel_item === 'true';
    if (params.text !== undefined && Buffer.byteLength(params.text, 'utf8') > 500) return error(THREADS_ERRORS.textTooLong);
    if (params.text !== undefined && new Set(params.text.match(/https?:\/\/\S+/g) ?? []).size > 5) return error(THREADS_ERRORS.linkLimit);
    const base = { isCarouselItem, altText: params.alt_text ?? null, pollsLeft: fake.settings.pollsUntilFinished, published: false, receivedAt };
    const add = (container: FakeThreadsContainer): Answer => {
      fake.containers.set(container.id, container);
      return { status: 200, body: { id: container.id } };
    };
    switch (params.media_type) {
      case 'TEXT':
        if (!params.text) return error(GRAPH_ERRORS.invalidParameter);
        return add({ ...base, id: newId('1790'), mediaType: 'TEXT', text: params.text, image: null, children: [] });
      case 'CAROUSEL': {
        const children = (params.children ?? '').split(',').filter(Boolean);
        // Children must have been created as carousel items.
        if (children.length < 2 || children.length > 20 || children.some((child) => !fake.containers.get(child)?.isCarouselItem)) return error(GRAPH_ERRORS.invalidParameter);
        return add({ ...base, id: newId('1790'), mediaType: 'CAROUSEL', text: params.text ?? null, image: null, children });
      }
      case 'IMAGE': {
        if (!params.image_url) return error(GRAPH_ERRORS.invalidParameter);
        const checked = await fetchThreadsImage(options.imageUrl ? options.imageUrl(params.image_url) : params.image_url, fake.settings.validateImages);
        if (!checked.ok) return error(checked.error);
        return add({ ...base, id: newId('1790'), mediaType: 'IMAGE', text: isCarouselItem ? null : (params.text ?? null), image: checked.image, children: [] });
      }
      default:
        return error(GRAPH_ERRORS.invalidParameter);
    }
  }

  function publish(params: Record<string, string>, receivedAt: Date): Answer {
    const container = params.creation_id ? fake.containers.get(params.creation_id) : undefined;
    if (!container || container.isCarouselItem) return error(GRAPH_ERRORS.invalidParameter);
    const children = container.children.map((child) => fake.containers.get(child)!);
    if (container.published || container.pollsLeft > 0 || fake.settings.finalStatus !== 'FINISHED' || children.some((child) => child.pollsLeft > 0)) return error(THREADS_ERRORS.notReady);
    if (fake.settings.quotaUsage >= fake.settings.quotaTotal) return error(THREADS_ERRORS.publishLimit);
    container.published = true;
    // A carousel counts once against the 250.
    fake.settings.quotaUsage += 1;
    const images = container.mediaType === 'CAROUSEL' ? children : container.mediaType === 'IMAGE' ? [container] : [];
    const id = newId('1800');
    fake.published.push({
      id,
      containerId: container.id,
      mediaType: container.mediaType === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : container.mediaType === 'IMAGE' ? 'IMAGE' : 'TEXT_POST',
      text: container.text,
      items: images.map((item) => ({ altText: item.altText, sha256: item.image?.sha256 ?? '', bytes: item.image?.bytes ?? 0, width: item.image?.width ?? 0, height: item.image?.height ?? 0, mime: item.image?.mime ?? '' })),
      permalink: `https://www.threads.net/@${username}/post/${Buffer.from(id).toString('base64url').slice(0, 11)}`,
      timestamp: now(),
      receivedAt,
    });
    return { status: 200, body: { id } };
  }

  const server = http.createServer((req, res) => {
    const receivedAt = new Date();
    handle(req, res, receivedAt).catch((failure: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: graphErrorBody({ ...GRAPH_ERRORS.serverError, message: String(failure) }) });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, receivedAt: Date): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    const params: Record<string, string> = { ...query, ...(await readBody(req)) };
    const parts = url.pathname.split('/').filter(Boolean);
    if (/^v\d+\.\d+$/.test(parts[0] ?? '')) parts.shift();
    const method = req.method ?? 'GET';
    const route = routeOf(method, parts);
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const token = bearer ?? params.access_token ?? null;
    const { access_token: _hidden, ...shownQuery } = query;
    fake.requests.push({ method, route, path: url.pathname, query: shownQuery, token, receivedAt });
    if (fake.silent) return;
    if (!token) return send(res, error(GRAPH_ERRORS.missingToken));
    const known = tokens.get(token);
    if (!known) return send(res, error(GRAPH_ERRORS.invalidToken));
    if (known.expiresAt && known.expiresAt <= now()) return send(res, error(GRAPH_ERRORS.expiredToken));
    if (!route) return send(res, error(GRAPH_ERRORS.unknownObject));
    const throttled = rateLimited();
    if (throttled) return send(res, throttled);

    const index = fake.faults.findIndex((fault) => fault.route === route);
    const fault = index >= 0 ? fake.faults[index]! : null;
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) fake.faults.splice(index, 1);
    }
    const run = (): Promise<Answer> => answer(route, parts[0]!, params, token, receivedAt);
    const real = fault?.when === 'after' || !fault ? await run() : null;
    if (!fault) return send(res, real!);
    // unref: a test that closed the fake early must not be held open by a pending slow answer.
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
    if (fault.drop) return void req.socket.destroy();
    if (fault.status === undefined && fault.body === undefined && fault.rawBody === undefined) return send(res, real ?? (await run()));
    send(res, { status: fault.status ?? 200, body: fault.rawBody ?? fault.body ?? {}, headers: fault.headers ?? {} }, fault.rawBody !== undefined);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return fake;
}

function send(res: http.ServerResponse, answer: Answer, raw = false): void {
  const text = raw ? String(answer.body) : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), 'x-fb-trace-id': 'fake', ...answer.headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  throw new Error(`unsupported content-type ${type}`);
}
