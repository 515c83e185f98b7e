/**
 * A fake Bluesky PDS on 127.0.0.1 speaking the real XRPC HTTP API
 * (atproto.com/specs/xrpc, lexicons in bluesky-social/atproto) that the real
 * driver talks to through `baseUrl`: createSession / refreshSession with JWTs
 * that expire, uploadBlob with the 1,000,000-byte limit, putRecord with
 * `swapRecord` (InvalidSwap), getRecord (RecordNotFound), listRecords (rkey
 * order, `reverse`, `cursor`), getProfile; error envelopes `{error, message}`;
 * 429 with `RateLimit-*` headers (reset in Unix seconds) and createSession's
 * 30 per 5 minutes. Faults are injected per route; what is public is recorded.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type BlueskyRoute =
  | 'com.atproto.server.createSession'
  | 'com.atproto.server.refreshSession'
  | 'com.atproto.repo.uploadBlob'
  | 'com.atproto.repo.putRecord'
  | 'com.atproto.repo.getRecord'
  | 'com.atproto.repo.listRecords'
  | 'app.bsky.actor.getProfile';

/** One injected fault on the next `times` (default 1) requests of `route`. */
export interface BlueskyFault {
  route: BlueskyRoute;
  status?: number;
  /** The XRPC envelope, e.g. `{ error: 'InternalServerError', message: 'Internal Server Error' }`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Real wait before answering (small; for slow/timeout tests). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** 'after': the request takes effect (the record is written), then the fault replaces the answer. */
  when?: 'before' | 'after';
  times?: number;
}

export interface FakeBlueskyRecord {
  uri: string;
  cid: string;
  rkey: string;
  value: Record<string, unknown> & { text: string; createdAt: string };
  /** When the PDS wrote it (the fake's clock). */
  indexedAt: Date;
}

export interface FakeBlob {
  cid: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface FakeBlueskyOptions {
  handle?: string;
  did?: string;
  appPassword: string;
  /** The PDS clock (JWT expiry, rate-limit windows); default real time. */
  now?: () => Date;
  /** Access token lifetime (default 2 h, the PDS default). */
  accessTtlMs?: number;
  /** Largest blob accepted (default 1,000,000 bytes, the limit of PDS versions before April 2026). */
  maxBlobBytes?: number;
}

export interface FakeBlueskyServer {
  readonly url: string;
  readonly handle: string;
  readonly did: string;
  /** The posts (app.bsky.feed.post records) in rkey order: what the public sees. */
  posts(): FakeBlueskyRecord[];
  readonly blobs: Map<string, FakeBlob>;
  /** Every request: `POST com.atproto.repo.putRecord`, in arrival order. */
  readonly calls: string[];
  readonly faults: BlueskyFault[];
  /** Emits `record` (FakeBlueskyRecord) when a post is written. */
  readonly events: EventEmitter;
  now: () => Date;
  /** How many sessions createSession made (and refused). */
  readonly counts: { createSession: number; refreshSession: number };
  /** Every access token handed out so far answers ExpiredToken (as after 2 h). */
  expireAccessTokens(): void;
  /** Every refresh token handed out so far answers ExpiredToken (as after 90 days). */
  expireRefreshTokens(): void;
  /** The app password is revoked in Bluesky's settings: its sessions die, the password is refused. */
  revokeAppPassword(): void;
  /** Adds a post as if made in the app (a real TID of `at`). */
  addForeignPost(text: string, at: Date): FakeBlueskyRecord;
  reset(): void;
  close(): Promise<void>;
}

const CREATE_SESSION_LIMIT = 30;
const CREATE_SESSION_WINDOW_MS = 5 * 60_000;
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export async function startFakeBlueskyServer(options: FakeBlueskyOptions): Promise<FakeBlueskyServer> {
  const handle = options.handle ?? 'kanimpontianak.bsky.social';
  const did = options.did ?? 'did:plc:kanimpontianak7x2q';
  const accessTtlMs = options.accessTtlMs ?? 2 * 3_600_000;
  const maxBlobBytes = options.maxBlobBytes ?? 1_000_000;
  const events = new EventEmitter();
  const records = new Map<string, FakeBlueskyRecord>();
  const blobs = new Map<string, FakeBlob>();
  const calls: string[] = [];
  const faults: BlueskyFault[] = [];
  const counts = { createSession: 0, refreshSession: 0 };
  /** token → kind and state */
  const tokens = new Map<string, { kind: 'access' | 'refresh'; expiresAt: number; expired: boolean; revoked: boolean }>();
  let loginTimes: number[] = [];
  let passwordRevoked = false;
  let now = options.now ?? (() => new Date());

  const jwt = (kind: 'access' | 'refresh', ttlMs: number): string => {
    const issued = now().getTime();
    const payload = { scope: kind === 'access' ? 'com.atproto.appPass' : 'com.atproto.refresh', sub: did, iat: Math.floor(issued / 1000), exp: Math.floor((issued + ttlMs) / 1000), jti: crypto.randomBytes(8).toString('hex') };
    const token = [{ typ: kind === 'access' ? 'at+jwt' : 'refresh+jwt', alg: 'ES256K' }, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.' + crypto.randomBytes(16).toString('base64url');
    tokens.set(token, { kind, expiresAt: issued + ttlMs, expired: false, revoked: false });
    return token;
  };
  const newSession = () => ({ accessJwt: jwt('access', accessTtlMs), refreshJwt: jwt('refresh', 90 * 86_400_000), handle, did, didDoc: { id: did, service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: 'https://pds.invalid' }] }, active: true });

  type Answer = { status: number; body: unknown; headers?: Record<string, string> };
  const error = (status: number, name: string, message: string, headers?: Record<string, string>): Answer => ({ status, body: { error: name, message }, ...(headers ? { headers } : {}) });

  /** The bearer token's check, as the PDS's auth verifier answers. */
  function authorize(req: http.IncomingMessage, kind: 'access' | 'refresh'): Answer | null {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return error(401, 'AuthMissing', 'Authentication Required');
    const token = tokens.get(header.slice(7));
    if (!token || token.kind !== kind) return error(400, 'InvalidToken', 'Token could not be verified');
    if (token.revoked) return error(400, 'InvalidToken', 'Token has been revoked');
    if (token.expired || token.expiresAt <= now().getTime()) return error(400, 'ExpiredToken', 'Token has expired');
    return null;
  }

  const cidOf = (value: unknown): string => 'bafyrei' + crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 52);
  const posts = (): FakeBlueskyRecord[] => [...records.values()].sort((a, b) => (a.rkey < b.rkey ? -1 : a.rkey > b.rkey ? 1 : 0));

  function validatePost(record: Record<string, unknown>): string | null {
    if (record.$type !== 'app.bsky.feed.post') return 'Invalid $type: expected app.bsky.feed.post';
    const text = record.text;
    if (typeof text !== 'string') return 'Record/text must be a string';
    if ([...graphemes.segment(text)].length > 300) return 'Record/text must not be longer than 300 graphemes';
    if (Buffer.byteLength(text, 'utf8') > 3000) return 'Record/text must not be longer than 3000 characters';
    if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt))) return 'Record/createdAt must be an valid atproto datetime';
    const bytes = Buffer.byteLength(text, 'utf8');
    for (const facet of (record.facets as { index?: { byteStart?: number; byteEnd?: number } }[] | undefined) ?? []) {
      const { byteStart, byteEnd } = facet.index ?? {};
      if (typeof byteStart !== 'number' || typeof byteEnd !== 'number' || byteStart < 0 || byteEnd > bytes || byteStart >= byteEnd) return 'Record/facets: invalid byte range';
    }
    const embed = record.embed as { $type?: string; images?: { alt?: unknown; image?: { ref?: { $link?: string } }; aspectRatio?: { width?: number; height?: number } }[] } | undefined;
    if (embed) {
      if (embed.$type !== 'app.bsky.embed.images') return 'Record/embed: unsupported embed';
      const images = embed.images ?? [];
      if (images.length === 0 || images.length > 4) return 'Record/embed/images must not have more than 4 elements';
      for (const image of images) {
        if (typeof image.alt !== 'string') return 'Record/embed/images/0 must have the property "alt"';
        const link = image.image?.ref?.$link;
        if (!link || !blobs.has(link)) return `Could not find blob: ${link ?? '(none)'}`;
        if (image.aspectRatio && !(Number(image.aspectRatio.width) > 0 && Number(image.aspectRatio.height) > 0)) return 'Record/embed/images/0/aspectRatio: width and height must be positive';
      }
    }
    return null;
  }

  async function route(name: BlueskyRoute, req: http.IncomingMessage, url: URL, raw: Buffer): Promise<Answer> {
    const json = (): Record<string, unknown> => {
      try {
        return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const repoMatches = (repo: string | null | unknown): boolean => repo === did || repo === handle;
    switch (name) {
      case 'com.atproto.server.createSession': {
        counts.createSession += 1;
        const at = now().getTime();
        loginTimes = loginTimes.filter((t) => t > at - CREATE_SESSION_WINDOW_MS);
        if (loginTimes.length >= CREATE_SESSION_LIMIT) {
          const reset = Math.ceil((loginTimes[0]! + CREATE_SESSION_WINDOW_MS) / 1000);
          return error(429, 'RateLimitExceeded', 'Rate Limit Exceeded', { 'ratelimit-limit': String(CREATE_SESSION_LIMIT), 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset), 'ratelimit-policy': '30;w=300', 'retry-after': String(Math.max(0, reset - Math.floor(at / 1000))) });
        }
        loginTimes.push(at);
        const body = json();
        if (!repoMatches(body.identifier) || body.password !== options.appPassword || passwordRevoked) return error(401, 'AuthenticationRequired', 'Invalid identifier or password');
        return { status: 200, body: newSession(), headers: { 'ratelimit-limit': String(CREATE_SESSION_LIMIT), 'ratelimit-remaining': String(CREATE_SESSION_LIMIT - loginTimes.length), 'ratelimit-policy': '30;w=300' } };
      }
      case 'com.atproto.server.refreshSession': {
        counts.refreshSession += 1;
        const refused = authorize(req, 'refresh');
        if (refused) return refused;
        // The old refresh token keeps working for a grace period on a real PDS: not modelled (kept valid).
        return { status: 200, body: newSession() };
      }
      case 'com.atproto.repo.uploadBlob': {
        const refused = authorize(req, 'access');
        if (refused) return refused;
        if (raw.length > maxBlobBytes) return error(400, 'BlobTooLarge', `This file is too large. It is ${(raw.length / 1e6).toFixed(2)}MB but the maximum size is ${(maxBlobBytes / 1024).toFixed(2)}KB.`);
        const mimeType = String(req.headers['content-type'] ?? '*/*');
        const cid = 'bafkrei' + crypto.createHash('sha256').update(raw).digest('hex').slice(0, 52);
        blobs.set(cid, { cid, mimeType, size: raw.length, sha256: crypto.createHash('sha256').update(raw).digest('hex') });
        return { status: 200, body: { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: raw.length } } };
      }
      case 'com.atproto.repo.putRecord': {
        const refused = authorize(req, 'access');
        if (refused) return refused;
        const body = json();
        if (body.repo !== did) return error(400, 'InvalidRequest', 'Input/repo must be the DID of the authenticated account');
        if (body.collection !== 'app.bsky.feed.post') return error(400, 'InvalidRequest', 'unsupported collection');
        const rkey = String(body.rkey ?? '');
        if (!TID.test(rkey)) return error(400, 'InvalidRequest', 'Invalid record key');
        const record = (body.record ?? {}) as Record<string, unknown>;
        const invalid = validatePost(record);
        if (invalid) return error(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${invalid}`);
        const cid = cidOf(record);
        const existing = records.get(rkey);
        if ('swapRecord' in body && existing && existing.cid !== cid) return error(400, 'InvalidSwap', `Record was at ${existing.cid}`);
        const uri = `at://${did}/app.bsky.feed.post/${rkey}`;
        if (!existing) {
          const written: FakeBlueskyRecord = { uri, cid, rkey, value: record as FakeBlueskyRecord['value'], indexedAt: now() };
          records.set(rkey, written);
          events.emit('record', written);
        }
        return { status: 200, body: { uri, cid, commit: { cid: cidOf(['commit', rkey, cid]), rev: rkey }, validationStatus: 'valid' } };
      }
      case 'com.atproto.repo.getRecord': {
        const rkey = url.searchParams.get('rkey') ?? '';
        const found = repoMatches(url.searchParams.get('repo')) ? records.get(rkey) : undefined;
        if (!found) return error(400, 'RecordNotFound', `Could not locate record: at://${did}/app.bsky.feed.post/${rkey}`);
        return { status: 200, body: { uri: found.uri, cid: found.cid, value: found.value } };
      }
      case 'com.atproto.repo.listRecords': {
        if (!repoMatches(url.searchParams.get('repo'))) return error(400, 'InvalidRequest', 'Could not find repo');
        const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50)));
        const reverse = url.searchParams.get('reverse') === 'true';
        const cursor = url.searchParams.get('cursor');
        let list = posts();
        if (!reverse) list.reverse();
        if (cursor) list = list.filter((r) => (reverse ? r.rkey > cursor : r.rkey < cursor));
        const page = list.slice(0, limit);
        const last = page[page.length - 1];
        return { status: 200, body: { records: page.map((r) => ({ uri: r.uri, cid: r.cid, value: r.value })), ...(page.length === limit && last ? { cursor: last.rkey } : {}) } };
      }
      case 'app.bsky.actor.getProfile': {
        const refused = authorize(req, 'access');
        if (refused) return refused;
        if (!repoMatches(url.searchParams.get('actor'))) return error(400, 'InvalidRequest', 'Profile not found');
        return { status: 200, body: { did, handle, displayName: 'Kantor Imigrasi Pontianak', postsCount: records.size } };
      }
    }
  }

  const ROUTES = new Set<string>(['com.atproto.server.createSession', 'com.atproto.server.refreshSession', 'com.atproto.repo.uploadBlob', 'com.atproto.repo.putRecord', 'com.atproto.repo.getRecord', 'com.atproto.repo.listRecords', 'app.bsky.actor.getProfile']);

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    calls.push(`${req.method} ${nsid}`);
    const send = (answer: Answer): void => {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...(answer.headers ?? {}) }).end(JSON.stringify(answer.body));
    };
    if (!url.pathname.startsWith('/xrpc/') || !ROUTES.has(nsid)) return send(error(501, 'MethodNotImplemented', 'Method Not Implemented'));
    const name = nsid as BlueskyRoute;
    const index = faults.findIndex((f) => f.route === name);
    const fault = index >= 0 ? faults[index]! : null;
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(index, 1);
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const faulty = fault && (fault.drop || fault.status !== undefined);
    if (faulty && fault.when !== 'after') {
      if (fault.drop) return void req.socket.destroy();
      return send({ status: fault.status!, body: fault.body ?? { error: 'InternalServerError', message: 'Internal Server Error' }, ...(fault.headers ? { headers: fault.headers } : {}) });
    }
    const answer = await route(name, req, url, raw);
    if (faulty) {
      if (fault.drop) return void req.socket.destroy();
      return send({ status: fault.status!, body: fault.body ?? { error: 'InternalServerError', message: 'Internal Server Error' }, ...(fault.headers ? { headers: fault.headers } : {}) });
    }
    send(answer);
  }

  const server = http.createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'InternalServerError', message: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    handle,
    did,
    posts,
    blobs,
    calls,
    faults,
    events,
    counts,
    get now() {
      return now;
    },
    set now(clock: () => Date) {
      now = clock;
    },
    expireAccessTokens: () => {
      for (const token of tokens.values()) if (token.kind === 'access') token.expired = true;
    },
    expireRefreshTokens: () => {
      for (const token of tokens.values()) if (token.kind === 'refresh') token.expired = true;
    },
    revokeAppPassword: () => {
      passwordRevoked = true;
      for (const token of tokens.values()) token.revoked = true;
    },
    addForeignPost(text, at) {
      const micros = BigInt(at.getTime()) * 1000n;
      let n = (micros << 10n) | 7n;
      let rkey = '';
      for (let i = 0; i < 13; i++, n >>= 5n) rkey = '234567abcdefghijklmnopqrstuvwxyz'[Number(n & 31n)] + rkey;
      const value = { $type: 'app.bsky.feed.post', text, createdAt: at.toISOString(), langs: ['id'] };
      const record: FakeBlueskyRecord = { uri: `at://${did}/app.bsky.feed.post/${rkey}`, cid: cidOf(value), rkey, value, indexedAt: at };
      records.set(rkey, record);
      return record;
    },
    reset: () => {
      records.clear();
      blobs.clear();
      calls.length = 0;
      faults.length = 0;
      tokens.clear();
      loginTimes = [];
      passwordRevoked = false;
      counts.createSession = 0;
      counts.refreshSession = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
