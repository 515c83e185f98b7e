/**
 * A fake Facebook Page Graph API on 127.0.0.1 speaking the real HTTP API:
 * `/{vNN.N}/…` or bare paths, the token as Bearer or `access_token`,
 * `POST /{page-id}/photos` with a REAL multipart `source` upload (or `url`,
 * downloaded), `published=false` photos kept hidden, `alt_text_custom`
 * recorded, `POST /{page-id}/feed` with `message` and `attached_media[i]`
 * JSON, `GET /{page-id}/published_posts` newest first with `since` and cursor
 * paging, permalinks, `/me`. Fault injection (`when: 'after'`: the post is
 * created, then the answer fails: koala#699), Meta's throttling (codes 4, 17,
 * 32, 613, 80001 with `X-Business-Use-Case-Usage`), revoked tokens.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { graphErrorBody, type GraphErrorSpec } from './instagram/graph-error-bodies';
import { FACEBOOK_ERRORS } from './facebook/facebook-error-bodies';
import { parseMultipart } from './x/multipart';

export type FakeFacebookRoute =
  | 'GET /me'
  | 'GET /{page-id}'
  | 'POST /{page-id}/photos'
  | 'POST /{page-id}/feed'
  | 'GET /{page-id}/published_posts'
  | 'GET /{post-id}'
  | 'GET /{photo-id}';

/** One injected fault; applied to the next `times` (default 1) requests on `route`. */
export interface FacebookFault {
  route: FakeFacebookRoute;
  status?: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Real wait before answering (keep it small). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** 'after': the request takes effect (the post is created), then the fault replaces the answer. */
  when?: 'before' | 'after';
  times?: number;
}

/** Meta's Page throttling: every call refused with `code` until `until` (platform clock), with the usage header. */
export interface FacebookRateLimit {
  code: 4 | 17 | 32 | 613 | 80001;
  until: Date;
  status?: 400 | 403;
  /** estimated_time_to_regain_access 0, as Meta sends when it gives no estimate. */
  withoutEstimate?: boolean;
}

export interface FakePhoto {
  id: string;
  published: boolean;
  altText: string | null;
  caption: string | null;
  sha256: string;
  bytes: number;
  mime: string;
  width: number;
  height: number;
  /** The post it is attached to (or its own post when published directly). */
  postId: string | null;
  receivedAt: Date;
}

export interface FakePagePost {
  id: string;
  message: string | null;
  photos: FakePhoto[];
  permalink: string;
  /** The platform's time (the `now` option). */
  createdTime: Date;
  /** Wall time the creating request arrived. */
  receivedAt: Date;
}

export interface FakeFacebookRequest {
  method: string;
  route: FakeFacebookRoute | null;
  path: string;
  token: string | null;
  /** Multipart or form fields received (never the file bytes). */
  fields: Record<string, string>;
  receivedAt: Date;
}

/** Who a token speaks for: the Page (a Page token) or a person (a User token). */
export interface TokenOwner {
  id: string;
  name: string;
  kind: 'page' | 'user';
  /** Granted permissions; default: all the driver needs. */
  permissions?: string[];
}

export interface FakeFacebookOptions {
  pageId?: string;
  pageName?: string;
  token?: string;
  now?: () => Date;
  validateImages?: boolean;
}

export interface FakeFacebookServer {
  readonly url: string;
  readonly pageId: string;
  settings: { validateImages: boolean; rateLimit: FacebookRateLimit | null };
  faults: FacebookFault[];
  /** Accept and record every request, never answer (timeout tests). */
  silent: boolean;
  /** Follows the test's virtual clock when set. */
  now: () => Date;
  readonly photos: Map<string, FakePhoto>;
  /** What the public sees, oldest first. */
  readonly posts: FakePagePost[];
  readonly requests: FakeFacebookRequest[];
  addToken(token: string, owner?: Partial<TokenOwner>): void;
  /** Revoke one token, or every token. */
  revokeToken(token?: string): void;
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const ALL_PERMISSIONS = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts'];
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export async function startFakeFacebookServer(options: FakeFacebookOptions = {}): Promise<FakeFacebookServer> {
  const pageId = options.pageId ?? '104882345678901';
  const pageName = options.pageName ?? 'Kantor Imigrasi Pontianak';
  const tokens = new Map<string, TokenOwner>();
  const initialSettings = (): FakeFacebookServer['settings'] => ({ validateImages: options.validateImages ?? true, rateLimit: null });
  let nextId = 1;
  const newId = (): string => `10953101${String(nextId++).padStart(7, '0')}`;

  const fake: FakeFacebookServer = {
    url: '',
    pageId,
    settings: initialSettings(),
    faults: [],
    silent: false,
    now: options.now ?? (() => new Date()),
    photos: new Map(),
    posts: [],
    requests: [],
    addToken: (token, owner = {}) => void tokens.set(token, { id: pageId, name: pageName, kind: 'page', ...owner }),
    revokeToken: (token) => (token === undefined ? tokens.clear() : void tokens.delete(token)),
    reset: () => {
      fake.settings = initialSettings();
      fake.silent = false;
      for (const list of [fake.faults, fake.posts, fake.requests]) list.length = 0;
      fake.photos.clear();
    },
    close: async () => undefined,
  };
  if (options.token) fake.addToken(options.token);

  const error = (spec: GraphErrorSpec): Answer => ({ status: spec.status, body: graphErrorBody(spec) });
  const pick = (object: Record<string, unknown>, fields: string | undefined): Record<string, unknown> => {
    if (!fields) return { id: object.id };
    const wanted = fields.split(',').map((f) => f.trim());
    return Object.fromEntries(Object.entries(object).filter(([key, value]) => (key === 'id' || wanted.includes(key)) && value !== null));
  };
  const graphTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, '+0000');
  const postView = (post: FakePagePost): Record<string, unknown> => ({ id: post.id, message: post.message, created_time: graphTime(post.createdTime), permalink_url: post.permalink });

  function rateLimited(): Answer | null {
    const limit = fake.settings.rateLimit;
    const left = limit ? limit.until.getTime() - fake.now().getTime() : 0;
    if (!limit || left <= 0) return null;
    const spec = { 4: FACEBOOK_ERRORS.throttled, 17: FACEBOOK_ERRORS.userThrottled, 32: FACEBOOK_ERRORS.pageThrottled, 613: FACEBOOK_ERRORS.customThrottled, 80001: FACEBOOK_ERRORS.pageBucThrottled }[limit.code];
    const usage = { call_count: 100, total_cputime: 9, total_time: 41 };
    const minutes = limit.withoutEstimate ? 0 : Math.ceil(left / 60_000);
    const headers: Record<string, string> =
      limit.code === 4
        ? { 'x-app-usage': JSON.stringify(usage) }
        : { 'x-business-use-case-usage': JSON.stringify({ [pageId]: [{ type: 'pages', ...usage, estimated_time_to_regain_access: minutes }] }) };
    return { status: limit.status ?? spec.status, body: graphErrorBody(spec), headers };
  }

  function routeOf(method: string, parts: string[]): FakeFacebookRoute | null {
    const [first, second] = parts;
    if (parts.length === 1 && method === 'GET') {
      if (first === 'me') return 'GET /me';
      if (first === pageId) return 'GET /{page-id}';
      if (fake.photos.has(first!)) return 'GET /{photo-id}';
      return 'GET /{post-id}';
    }
    if (parts.length === 2 && first === pageId) {
      if (method === 'POST' && second === 'photos') return 'POST /{page-id}/photos';
      if (method === 'POST' && second === 'feed') return 'POST /{page-id}/feed';
      if (method === 'GET' && second === 'published_posts') return 'GET /{page-id}/published_posts';
    }
    return null;
  }

  async function answer(route: FakeFacebookRoute, id: string, owner: TokenOwner, params: Record<string, string>, files: Map<string, Upload>, receivedAt: Date): Promise<Answer> {
    const granted = owner.permissions ?? ALL_PERMISSIONS;
    const mayPost = owner.kind === 'page' && owner.id === pageId && granted.includes('pages_manage_posts');
    switch (route) {
      case 'GET /me':
        return { status: 200, body: pick({ id: owner.id, name: owner.name }, params.fields) };
      case 'GET /{page-id}':
        return { status: 200, body: pick({ id: pageId, name: pageName, link: `https://www.facebook.com/${pageId}` }, params.fields) };
      case 'POST /{page-id}/photos':
        return mayPost ? uploadPhoto(params, files, receivedAt) : error(FACEBOOK_ERRORS.missingPostPermission);
      case 'POST /{page-id}/feed':
        return mayPost ? createPost(params, receivedAt) : error(FACEBOOK_ERRORS.missingPostPermission);
      case 'GET /{page-id}/published_posts':
        return granted.includes('pages_read_engagement') ? listPosts(params) : error(FACEBOOK_ERRORS.missingReadPermission);
      case 'GET /{post-id}': {
        const post = fake.posts.find((item) => item.id === id);
        return post ? { status: 200, body: pick(postView(post), params.fields) } : error(FACEBOOK_ERRORS.unknownObject);
      }
      case 'GET /{photo-id}': {
        const photo = fake.photos.get(id)!;
        return { status: 200, body: pick({ id, alt_text_custom: photo.altText, name: photo.caption, width: photo.width, height: photo.height }, params.fields) };
      }
    }
  }

  async function uploadPhoto(params: Record<string, string>, files: Map<string, Upload>, receivedAt: Date): Promise<Answer> {
    let data: Buffer;
    let mime: string;
    const source = files.get('source');
    if (source) {
      data = source.data;
      mime = source.contentType ?? 'application/octet-stream';
    } else if (params.url) {
      try {
        const response = await fetch(params.url, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) return error(FACEBOOK_ERRORS.badImage);
        data = Buffer.from(await response.arrayBuffer());
        mime = response.headers.get('content-type') ?? 'application/octet-stream';
      } catch {
        return error(FACEBOOK_ERRORS.badImage);
      }
    } else {
      return error(FACEBOOK_ERRORS.badImage);
    }
    const checked = await checkImage(data, fake.settings.validateImages);
    if ('error' in checked) return error(checked.error);
    const published = params.published !== 'false';
    const photo: FakePhoto = {
      id: newId(),
      published,
      altText: params.alt_text_custom ?? null,
      caption: params.caption ?? params.message ?? null,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
      mime,
      width: checked.width,
      height: checked.height,
      postId: null,
      receivedAt,
    };
    fake.photos.set(photo.id, photo);
    if (!published) return { status: 200, body: { id: photo.id } };
    // Published directly: the photo is its own Page post (`{id, post_id}`).
    const post = addPost(photo.caption, [photo], receivedAt);
    return { status: 200, body: { id: photo.id, post_id: post.id } };
  }

  function createPost(params: Record<string, string>, receivedAt: Date): Answer {
    const attached: FakePhoto[] = [];
    // Form keys `attached_media[0]`…, or one JSON array (a JSON body, as Postiz sends).
    const entries: string[] = [];
    for (let index = 0; params[`attached_media[${index}]`] !== undefined; index += 1) entries.push(params[`attached_media[${index}]`]!);
    if (params.attached_media !== undefined) {
      try {
        entries.push(...(JSON.parse(params.attached_media) as unknown[]).map((item) => JSON.stringify(item)));
      } catch {
        return error(FACEBOOK_ERRORS.invalidParameter);
      }
    }
    for (const entry of entries) {
      let fbid: unknown;
      try {
        fbid = (JSON.parse(entry) as { media_fbid?: unknown }).media_fbid;
      } catch {
        return error(FACEBOOK_ERRORS.invalidParameter);
      }
      const photo = typeof fbid === 'string' ? fake.photos.get(fbid) : undefined;
      // A photo already public or already in a post cannot be attached again.
      if (!photo || photo.published || photo.postId !== null) return error(FACEBOOK_ERRORS.invalidParameter);
      attached.push(photo);
    }
    const message = params.message ?? null;
    if (!message && attached.length === 0) return error(FACEBOOK_ERRORS.invalidParameter);
    const post = addPost(message, attached, receivedAt);
    return { status: 200, body: { id: post.id } };
  }

  function addPost(message: string | null, photos: FakePhoto[], receivedAt: Date): FakePagePost {
    const id = `${pageId}_${newId()}`;
    for (const photo of photos) photo.postId = id;
    const post: FakePagePost = { id, message, photos, permalink: `https://www.facebook.com/${pageId}/posts/${id.split('_')[1]}`, createdTime: fake.now(), receivedAt };
    fake.posts.push(post);
    return post;
  }

  function listPosts(params: Record<string, string>): Answer {
    const limit = Math.min(Number(params.limit ?? 25) || 25, 100);
    const since = params.since ? Number(params.since) * 1000 : Number.NEGATIVE_INFINITY;
    const until = params.until ? Number(params.until) * 1000 : Number.POSITIVE_INFINITY;
    const newestFirst = [...fake.posts].reverse().filter((post) => post.createdTime.getTime() >= since && post.createdTime.getTime() <= until);
    const start = params.after ? Number(Buffer.from(params.after, 'base64url').toString()) : 0;
    const page = newestFirst.slice(start, start + limit);
    const more = start + limit < newestFirst.length;
    const after = Buffer.from(String(start + page.length)).toString('base64url');
    return {
      status: 200,
      body: {
        data: page.map((post) => pick(postView(post), params.fields)),
        paging: { cursors: { before: Buffer.from(String(start)).toString('base64url'), after }, ...(more ? { next: `https://graph.facebook.com/v25.0/${pageId}/published_posts?after=${after}` } : {}) },
      },
    };
  }

  // Pending fault delays: cleared on close, so a closed fake holds no timer.
  const delays = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const receivedAt = new Date();
    handle(req, res, receivedAt).catch((failure: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: graphErrorBody({ ...FACEBOOK_ERRORS.serverError, message: String(failure) }) });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, receivedAt: Date): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const body = await readBody(req);
    Object.assign(params, body.fields);
    const parts = url.pathname.split('/').filter(Boolean);
    if (/^v\d+\.\d+$/.test(parts[0] ?? '')) parts.shift();
    const method = req.method ?? 'GET';
    const route = routeOf(method, parts);
    const bearer = /^(?:Bearer|OAuth) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const token = bearer ?? params.access_token ?? null;
    const { access_token: _hidden, ...fields } = body.fields;
    void _hidden;
    fake.requests.push({ method, route, path: url.pathname, token, fields, receivedAt });
    if (fake.silent) return;
    if (!token) return send(res, error(FACEBOOK_ERRORS.missingToken));
    const owner = tokens.get(token);
    if (!owner) return send(res, error(FACEBOOK_ERRORS.revokedToken));
    if (!route) return send(res, error(FACEBOOK_ERRORS.unknownObject));
    const throttled = rateLimited();
    if (throttled) return send(res, throttled);

    const index = fake.faults.findIndex((fault) => fault.route === route);
    const fault = index >= 0 ? fake.faults[index]! : null;
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) fake.faults.splice(index, 1);
    }
    const run = (): Promise<Answer> => answer(route, parts[0]!, owner, params, body.files, receivedAt);
    const real = fault?.when === 'after' || !fault ? await run() : null;
    if (!fault) return send(res, real!);
    if (fault.delayMs) await new Promise<void>((resolve) => delays.add(setTimeout(resolve, fault.delayMs).unref()));
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
        for (const timer of delays) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return fake;
}

interface Upload {
  data: Buffer;
  contentType: string | null;
}

/** What Facebook takes: a JPEG or PNG (magic bytes; decoded when validating) under 10 MB. */
async function checkImage(data: Buffer, validate: boolean): Promise<{ width: number; height: number } | { error: GraphErrorSpec }> {
  if (data.length > MAX_PHOTO_BYTES) return { error: FACEBOOK_ERRORS.tooLarge };
  const jpeg = data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  const png = data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!jpeg && !png) return { error: FACEBOOK_ERRORS.badImage };
  if (!validate) return { width: 0, height: 0 };
  try {
    const meta = await sharp(data).metadata();
    if (!meta.width || !meta.height) return { error: FACEBOOK_ERRORS.badImage };
    return { width: meta.width, height: meta.height };
  } catch {
    return { error: FACEBOOK_ERRORS.badImage };
  }
}

function send(res: http.ServerResponse, answer: Answer, raw = false): void {
  const text = raw ? String(answer.body) : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), 'x-fb-trace-id': 'fake', ...answer.headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<{ fields: Record<string, string>; files: Map<string, Upload> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const files = new Map<string, Upload>();
  if (raw.length === 0) return { fields: {}, files };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const fields: Record<string, string> = {};
    for (const part of parseMultipart(raw, type)) {
      if (part.filename !== null) files.set(part.name, { data: part.data, contentType: part.contentType });
      else fields[part.name] = part.data.toString('utf8');
    }
    return { fields, files };
  }
  const text = raw.toString('utf8');
  if (type.startsWith('application/json')) {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return { fields: Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])), files };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { fields: Object.fromEntries(new URLSearchParams(text)), files };
  throw new Error(`unsupported content-type ${type}`);
}
