/**
 * A fake X API v2 on 127.0.0.1 that the real twitter-api-v2 talks to through
 * the channel's `baseUrl`. It checks OAuth 1.0a signatures for real (over the
 * URL the client signed: https://api.x.com/…), parses JSON and multipart
 * bodies, keeps what was uploaded and posted, sends X's rate-limit headers and
 * error bodies, and misbehaves on request through `faults`.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseMultipart, type MultipartPart } from './x/multipart';
import { decodePairs, verifyOAuth1, type OAuthKeys } from './x/oauth1';
import { X_PROBLEMS } from './x/x-problems';
import { matchRoute, X_ROUTES, type RouteAnswer, type RouteState } from './x/x-routes';
import type { FakeXMedia, FakeXRequestRecord, FakeXTweet, FakeXUser, XFault } from './x/x-state';

export type { FakeXMedia, FakeXRequestRecord, FakeXTweet, FakeXUser, XFault } from './x/x-state';

export interface FakeXServerOptions extends OAuthKeys {
  user?: FakeXUser;
  /** X's clock: tweets' created_at and the rate-limit windows (default: real time). */
  now?: () => Date;
  /** The account's posts per 24 h (`x-user-limit-24hour-*` on POST /2/tweets); default 100. */
  dailyCap?: number;
  /** Requests per 15 minutes per endpoint; POST /2/tweets defaults to 100. */
  windowLimits?: Record<string, number>;
  /** STATUS polls each upload needs before processing succeeds (default 0: images are ready at finalize). */
  processingPolls?: number;
  /** The origin the client signs against; X's own (default https://api.x.com). */
  signedOrigin?: string;
}

export interface FakeXServer {
  /** `http://127.0.0.1:PORT`: the channel's baseUrl. */
  readonly url: string;
  readonly tweets: FakeXTweet[];
  readonly media: Map<string, FakeXMedia>;
  readonly requests: FakeXRequestRecord[];
  /** Pushed faults hit matching requests in order; see XFault. */
  readonly faults: XFault[];
  /**
   * A silent platform: every request is accepted and recorded, and never
   * answered (the connection stays open until the client gives up or the
   * server closes). For timeout tests.
   */
  silent: boolean;
  /** Emits `request` (FakeXRequestRecord) on arrival and `tweet` (FakeXTweet) when one is created. */
  readonly events: EventEmitter;
  /** X's clock; replace to follow a virtual clock. */
  now: () => Date;
  /** The access token stops working (revoked in the developer portal): every call answers 401. */
  revokeToken(): void;
  /** Forget tweets, media, requests, faults and limits (one server shared by several tests). */
  reset(): void;
  close(): Promise<void>;
}

const WINDOW_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;
const DEFAULT_WINDOW_LIMITS: Record<string, number> = {
  'POST /2/tweets': 100,
  'GET /2/users/me': 75,
  'GET /2/users/:id/tweets': 900,
  'POST /2/media/metadata': 500,
};

export async function startFakeXServer(options: FakeXServerOptions): Promise<FakeXServer> {
  const user = options.user ?? { id: '1700000000000000001', username: 'kanimpontianak', name: 'Kantor Imigrasi Pontianak' };
  const signedOrigin = options.signedOrigin ?? 'https://api.x.com';
  const windowLimits = { ...DEFAULT_WINDOW_LIMITS, ...options.windowLimits };
  const events = new EventEmitter();
  const nonces = new Set<string>();
  const windows = new Map<string, { start: number; used: number }>();
  let revoked = false;
  let silent = false;
  const state: RouteState & { requests: FakeXRequestRecord[]; faults: XFault[] } = {
    user,
    media: new Map(),
    tweets: [],
    requests: [],
    faults: [],
    processingPolls: options.processingPolls ?? 0,
    now: options.now ?? (() => new Date()),
  };

  function limitHeaders(route: string, now: number): { headers: Record<string, string>; exhausted: boolean } {
    const limit = windowLimits[route] ?? 500;
    const window = windows.get(route);
    const current = !window || now >= window.start + WINDOW_MS ? { start: now, used: 0 } : window;
    current.used += 1;
    windows.set(route, current);
    const headers: Record<string, string> = {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - current.used)),
      'x-rate-limit-reset': String(Math.ceil((current.start + WINDOW_MS) / 1000)),
    };
    const userDay = route === 'POST /2/tweets' ? userDayHeaders(now) : null;
    return { headers: { ...headers, ...userDay?.headers }, exhausted: current.used > limit || userDay?.exhausted === true };
  }

  /** The account's 24-hour posting allowance, counted over the tweets X holds right now. */
  function userDayHeaders(now: number): { headers: Record<string, string>; exhausted: boolean } {
    const cap = options.dailyCap ?? 100;
    const recent = state.tweets.filter((t) => t.createdAt.getTime() > now - DAY_MS);
    const oldest = recent.reduce((min, t) => Math.min(min, t.createdAt.getTime()), now);
    return {
      headers: {
        'x-user-limit-24hour-limit': String(cap),
        'x-user-limit-24hour-remaining': String(Math.max(0, cap - recent.length)),
        'x-user-limit-24hour-reset': String(Math.ceil((oldest + DAY_MS) / 1000)),
      },
      exhausted: recent.length >= cap,
    };
  }

  function takeFault(route: string): XFault | null {
    const index = state.faults.findIndex((f) => f.route === route);
    if (index < 0) return null;
    const fault = state.faults[index]!;
    const times = (fault.times ?? 1) - 1;
    if (times <= 0) state.faults.splice(index, 1);
    else state.faults[index] = { ...fault, times };
    return fault;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, receivedAt: Date, receivedAtMs: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const matched = matchRoute(method, url.pathname);
    const record: FakeXRequestRecord = { method, route: matched?.route ?? '?', path: url.pathname, status: null, authProblem: null, receivedAt };
    state.requests.push(record);
    events.emit('request', record);
    if (silent) return; // the answer never comes
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };

    // Auth first, as X does: an unsigned or badly signed call learns nothing else.
    const contentType = req.headers['content-type'] ?? '';
    const signedParams = decodePairs(url.search.slice(1));
    if (/^application\/x-www-form-urlencoded/i.test(contentType)) signedParams.push(...decodePairs(body.toString('utf8')));
    const verdict = revoked
      ? { ok: false as const, reason: 'token revoked' }
      : verifyOAuth1(options, method, signedOrigin + url.pathname, signedParams, req.headers.authorization, nonces);
    if (!verdict.ok) {
      record.authProblem = verdict.reason;
      return send(401, X_PROBLEMS.unauthorized().body);
    }
    if (!matched) return send(404, X_PROBLEMS.notFound().body);

    const now = state.now().getTime();
    const limits = limitHeaders(matched.route, now);
    if (limits.exhausted) return send(429, X_PROBLEMS.tooManyRequests().body, limits.headers);

    const fault = takeFault(matched.route);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.until) await fault.until.catch(() => undefined);
    const misbehave = (): boolean => {
      if (!fault) return false;
      if (fault.hang) return true; // the response is simply never written
      if (fault.drop) {
        req.socket.destroy();
        return true;
      }
      if (fault.malformedJson) {
        send(200, '{"data": {"id": "1', { ...limits.headers, ...fault.headers });
        return true;
      }
      if (fault.status !== undefined) {
        send(fault.status, fault.body ?? X_PROBLEMS.forStatus(fault.status).body, { ...limits.headers, ...fault.headers });
        return true;
      }
      return false;
    };
    if (fault && !fault.afterEffect && misbehave()) return;

    let answer: RouteAnswer;
    try {
      const json = /^application\/json/i.test(contentType) && body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : null;
      const parts: MultipartPart[] | null = /^multipart\/form-data/i.test(contentType) ? parseMultipart(body, contentType) : null;
      answer = X_ROUTES[matched.route]!(state, { params: matched.params, query: url.searchParams, json, parts, receivedAt, receivedAtMs });
    } catch {
      answer = { status: 400, body: X_PROBLEMS.invalidRequest('The request body could not be parsed.').body };
    }
    if (answer.tweet) events.emit('tweet', answer.tweet);
    if (fault?.afterEffect && misbehave()) return;
    // After a post the daily allowance shows what is left, as X reports it.
    const after = matched.route === 'POST /2/tweets' ? userDayHeaders(state.now().getTime()).headers : {};
    send(answer.status, answer.body, { ...limits.headers, ...after });
  }

  const server = http.createServer((req, res) => {
    // The 'request' event fires once the headers are in: for a small request
    // that is the moment its first bytes arrived.
    const receivedAtMs = performance.timeOrigin + performance.now();
    handle(req, res, new Date(receivedAtMs), receivedAtMs).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'Internal Server Error', detail: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    tweets: state.tweets,
    media: state.media,
    requests: state.requests,
    faults: state.faults,
    events,
    get now() {
      return state.now;
    },
    set now(clock: () => Date) {
      state.now = clock;
    },
    get silent() {
      return silent;
    },
    set silent(value: boolean) {
      silent = value;
    },
    revokeToken: () => {
      revoked = true;
    },
    reset: () => {
      state.tweets.length = 0;
      state.media.clear();
      state.requests.length = 0;
      state.faults.length = 0;
      windows.clear();
      revoked = false;
      silent = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
