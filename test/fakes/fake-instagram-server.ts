/**
 * A fake Instagram Graph API on 127.0.0.1 that speaks the real HTTP API: the
 * same paths (with or without `/vNN.N`), form or JSON bodies, the access token
 * required (Bearer header or `access_token`), containers that take a few
 * polls, carousels, media_publish, permalinks, read-back, the publishing
 * limit and token refresh. Like Instagram it DOWNLOADS `image_url` and checks
 * the JPEG. Fault injection and records of what was created are for tests.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphErrorBody, GRAPH_ERRORS, type GraphErrorSpec } from './instagram/graph-error-bodies';
import { fetchAndCheckImage, type FetchedImage } from './instagram/image-check';

export type FakeInstagramRoute =
  | 'GET /refresh_access_token'
  | 'GET /me'
  | 'GET /{ig-user-id}'
  | 'GET /{container-id}'
  | 'GET /{media-id}'
  | 'GET /{ig-user-id}/content_publishing_limit'
  | 'POST /{ig-user-id}/media'
  | 'GET /{ig-user-id}/media'
  | 'POST /{ig-user-id}/media_publish';

/** One injected fault; applied to the next `times` (default 1) requests on `route`. */
export interface InstagramFault {
  route: FakeInstagramRoute;
  status?: number;
  /** A JSON body, e.g. graphErrorBody(GRAPH_ERRORS.serverError). */
  body?: unknown;
  /** Sent verbatim (malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Real wait before answering (keep it small; for timeout tests). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** 'after': the request takes effect (the post is created), then the fault replaces the answer. */
  when?: 'before' | 'after';
  times?: number;
}

export interface FakeContainer {
  id: string;
  mediaType: 'IMAGE' | 'CAROUSEL';
  isCarouselItem: boolean;
  caption: string | null;
  altText: string | null;
  image: FetchedImage | null;
  children: string[];
  pollsLeft: number;
  published: boolean;
  receivedAt: Date;
}

export interface FakePublishedMedia {
  id: string;
  containerId: string;
  mediaType: 'IMAGE' | 'CAROUSEL_ALBUM';
  caption: string | null;
  items: { altText: string | null; sha256: string; bytes: number; width: number; height: number }[];
  permalink: string;
  /** The platform's timestamp (the `now` option). */
  timestamp: Date;
  /** Wall time the media_publish request arrived (headers read). */
  receivedAt: Date;
}

export interface FakeRequest {
  method: string;
  route: FakeInstagramRoute | null;
  path: string;
  /** The token presented (this is a fake: tests assert which token was used). */
  token: string | null;
  receivedAt: Date;
}

export interface FakeInstagramOptions {
  accountId?: string;
  username?: string;
  /** The valid access token at start. */
  token?: string;
  /** Platform time for timestamps and token expiry (a virtual clock in tests). */
  now?: () => Date;
  pollsUntilFinished?: number;
  quotaUsage?: number;
  quotaTotal?: number;
  validateImages?: boolean;
}

export interface FakeInstagramServer {
  /** `http://127.0.0.1:PORT`: the channel's baseUrl. */
  readonly url: string;
  readonly accountId: string;
  /** Live settings; change them between requests. */
  settings: { pollsUntilFinished: number; quotaUsage: number; quotaTotal: number; validateImages: boolean; finalStatus: 'FINISHED' | 'ERROR' | 'EXPIRED' };
  faults: InstagramFault[];
  /**
   * A silent platform: every request is accepted and recorded, and never
   * answered (the connection stays open until the client gives up or the
   * server closes). For timeout tests.
   */
  silent: boolean;
  readonly containers: Map<string, FakeContainer>;
  readonly published: FakePublishedMedia[];
  readonly requests: FakeRequest[];
  readonly refreshes: { receivedAt: Date; expiresAt: Date }[];
  /** Accept `token` (expiring at `expiresAt`, or never). */
  addToken(token: string, expiresAt?: Date | null): void;
  /** Revoke one token, or every token when none is given. */
  revokeToken(token?: string): void;
  /** Forget every container, post, request, fault and refresh; settings back to the options. */
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export async function startFakeInstagramServer(options: FakeInstagramOptions = {}): Promise<FakeInstagramServer> {
  const accountId = options.accountId ?? '17841400000000001';
  const now = options.now ?? (() => new Date());
  const tokens = new Map<string, Date | null>();
  const initialSettings = (): FakeInstagramServer['settings'] => ({
    pollsUntilFinished: options.pollsUntilFinished ?? 2,
    quotaUsage: options.quotaUsage ?? 0,
    quotaTotal: options.quotaTotal ?? 50,
    validateImages: options.validateImages ?? true,
    finalStatus: 'FINISHED',
  });
  let nextId = 1;
  const newId = (prefix: string): string => `${prefix}${String(nextId++).padStart(6, '0')}`;

  const fake: FakeInstagramServer = {
    url: '',
    accountId,
    settings: initialSettings(),
    faults: [],
    silent: false,
    containers: new Map(),
    published: [],
    requests: [],
    refreshes: [],
    addToken: (token, expiresAt = null) => void tokens.set(token, expiresAt),
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
    return Object.fromEntries(Object.entries(object).filter(([key]) => key === 'id' || wanted.includes(key)));
  };
  const graphTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, '+0000');

  function routeOf(method: string, parts: string[]): FakeInstagramRoute | null {
    const [first, second] = parts;
    if (parts.length === 1 && method === 'GET') {
      if (first === 'refresh_access_token') return 'GET /refresh_access_token';
      if (first === 'me') return 'GET /me';
      if (first === accountId) return 'GET /{ig-user-id}';
      if (fake.containers.has(first!)) return 'GET /{container-id}';
      return 'GET /{media-id}';
    }
    if (parts.length === 2 && first === accountId) {
      if (method === 'GET' && second === 'content_publishing_limit') return 'GET /{ig-user-id}/content_publishing_limit';
      if (method === 'POST' && second === 'media') return 'POST /{ig-user-id}/media';
      if (method === 'GET' && second === 'media') return 'GET /{ig-user-id}/media';
      if (method === 'POST' && second === 'media_publish') return 'POST /{ig-user-id}/media_publish';
    }
    return null;
  }

  async function answer(route: FakeInstagramRoute, id: string, params: Record<string, string>, receivedAt: Date): Promise<Answer> {
    switch (route) {
      case 'GET /refresh_access_token': {
        if (params.grant_type !== 'ig_refresh_token') return error(GRAPH_ERRORS.invalidParameter);
        const token = `IGAAfake${crypto.randomBytes(12).toString('hex')}`;
        const expiresAt = new Date(now().getTime() + 5_184_000_000);
        fake.addToken(token, expiresAt);
        fake.refreshes.push({ receivedAt, expiresAt });
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 5184000 } };
      }
      case 'GET /me':
        return { status: 200, body: pick({ id: accountId, user_id: accountId, username: options.username ?? 'kanimpontianak' }, params.fields) };
      case 'GET /{ig-user-id}':
        return { status: 200, body: pick({ id: accountId, username: options.username ?? 'kanimpontianak', media_count: fake.published.length }, params.fields) };
      case 'GET /{ig-user-id}/content_publishing_limit':
        return { status: 200, body: { data: [{ quota_usage: fake.settings.quotaUsage, config: { quota_total: fake.settings.quotaTotal, quota_duration: 86400 } }] } };
      case 'POST /{ig-user-id}/media':
        return createContainer(params, receivedAt);
      case 'GET /{container-id}': {
        const container = fake.containers.get(id)!;
        let status: string = container.published ? 'PUBLISHED' : 'IN_PROGRESS';
        if (!container.published && container.pollsLeft <= 0) status = fake.settings.finalStatus;
        if (!container.published && container.pollsLeft > 0) container.pollsLeft -= 1;
        return { status: 200, body: pick({ id, status_code: status, status: status === 'ERROR' ? 'Error: Media upload has failed with error code 2207003' : status }, params.fields) };
      }
      case 'GET /{media-id}': {
        const media = fake.published.find((item) => item.id === id);
        if (!media) return error(GRAPH_ERRORS.unknownObject);
        return { status: 200, body: pick({ id, caption: media.caption, permalink: media.permalink, timestamp: graphTime(media.timestamp), media_type: media.mediaType }, params.fields) };
      }
      case 'GET /{ig-user-id}/media': {
        const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
        const newestFirst = [...fake.published].reverse();
        const start = params.after ? Number(Buffer.from(params.after, 'base64url').toString()) : 0;
        const page = newestFirst.slice(start, start + limit);
        const more = start + limit < newestFirst.length;
        const after = Buffer.from(String(start + page.length)).toString('base64url');
        return {
          status: 200,
          body: {
            data: page.map((media) => pick({ id: media.id, caption: media.caption, timestamp: graphTime(media.timestamp), permalink: media.permalink }, params.fields)),
            paging: { cursors: { before: Buffer.from(String(start)).toString('base64url'), after }, ...(more ? { next: `https://graph.instagram.com/${accountId}/media?after=${after}` } : {}) },
          },
        };
      }
      case 'POST /{ig-user-id}/media_publish':
        return publish(params, receivedAt);
    }
  }

  async function createContainer(params: Record<string, string>, receivedAt: Date): Promise<Answer> {
    const isCarouselItem = params.is_carousel_item === 'true';
    const base = { isCarouselItem, altText: params.alt_text ?? null, pollsLeft: fake.settings.pollsUntilFinished, published: false, receivedAt };
    if (params.media_type === 'CAROUSEL') {
      const children = (params.children ?? '').split(',').filter(Boolean);
      if (children.length < 2 || children.length > 10 || children.some((child) => !fake.containers.get(child)?.isCarouselItem)) return error(GRAPH_ERRORS.invalidParameter);
      const container: FakeContainer = { ...base, id: newId('1790'), mediaType: 'CAROUSEL', caption: params.caption ?? null, image: null, children };
      fake.containers.set(container.id, container);
      return { status: 200, body: { id: container.id } };
    }
    if (!params.image_url) return error(GRAPH_ERRORS.invalidParameter);
    const checked = await fetchAndCheckImage(params.image_url, fake.settings.validateImages);
    if (!checked.ok) return error(checked.error);
    const container: FakeContainer = { ...base, id: newId('1790'), mediaType: 'IMAGE', caption: isCarouselItem ? null : (params.caption ?? null), image: checked.image, children: [] };
    fake.containers.set(container.id, container);
    return { status: 200, body: { id: container.id } };
  }

  function publish(params: Record<string, string>, receivedAt: Date): Answer {
    const container = params.creation_id ? fake.containers.get(params.creation_id) : undefined;
    if (!container || container.isCarouselItem) return error(GRAPH_ERRORS.invalidParameter);
    if (container.published || container.pollsLeft > 0 || fake.settings.finalStatus !== 'FINISHED') return error(GRAPH_ERRORS.notReady);
    if (fake.settings.quotaUsage >= fake.settings.quotaTotal) return error(GRAPH_ERRORS.publishLimit);
    container.published = true;
    fake.settings.quotaUsage += 1;
    const images = container.mediaType === 'CAROUSEL' ? container.children.map((child) => fake.containers.get(child)!) : [container];
    const id = newId('1800');
    fake.published.push({
      id,
      containerId: container.id,
      mediaType: container.mediaType === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : 'IMAGE',
      caption: container.caption,
      items: images.map((item) => ({ altText: item.altText, sha256: item.image?.sha256 ?? '', bytes: item.image?.bytes ?? 0, width: item.image?.width ?? 0, height: item.image?.height ?? 0 })),
      permalink: `https://www.instagram.com/p/${Buffer.from(id).toString('base64url').slice(0, 11)}/`,
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
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    Object.assign(params, await readBody(req));
    const parts = url.pathname.split('/').filter(Boolean);
    if (/^v\d+\.\d+$/.test(parts[0] ?? '')) parts.shift();
    const method = req.method ?? 'GET';
    const route = routeOf(method, parts);
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const token = bearer ?? params.access_token ?? null;
    fake.requests.push({ method, route, path: url.pathname, token, receivedAt });
    if (fake.silent) return; // the answer never comes
    if (!token) return send(res, error(GRAPH_ERRORS.missingToken));
    if (!tokens.has(token)) return send(res, error(GRAPH_ERRORS.invalidToken));
    const expiresAt = tokens.get(token);
    if (expiresAt && expiresAt <= now()) return send(res, error(GRAPH_ERRORS.expiredToken));
    if (!route) return send(res, error(GRAPH_ERRORS.unknownObject));

    const index = fake.faults.findIndex((fault) => fault.route === route);
    const fault = index >= 0 ? fake.faults[index]! : null;
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) fake.faults.splice(index, 1);
    }
    const real = fault?.when === 'after' || !fault ? await answer(route, parts[0]!, params, receivedAt) : null;
    if (!fault) return send(res, real!);
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.drop) return void req.socket.destroy();
    if (fault.status === undefined && fault.body === undefined && fault.rawBody === undefined) return send(res, real ?? (await answer(route, parts[0]!, params, receivedAt)));
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
