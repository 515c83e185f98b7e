/**
 * Rendered public responses (pages, feeds), kept in memory: at an opening
 * minute thousands of people reload one office's page while the same process
 * publishes that opening, and a page rendered once per change instead of once
 * per visitor keeps the event loop free for the posts (bench/public-load.ts).
 *
 *   return cache.serve(request, reply, { key: `page:${office}`, version, policy: PAGE_POLICY }, async () => ({
 *     body: html, contentType: 'text/html; charset=utf-8', changesAt: nextOpening,
 *   }));
 *
 * - An entry answers only for the `version` it was built for: the caller puts
 *   in it whatever the response shows that can change (the office's config
 *   revision, its announcements, the minute for pages that show states;
 *   web/public-version.ts reads these cheaply). A new version builds anew.
 * - An entry never outlives `maxEntryMs` (30 s) nor the builder's `changesAt`
 *   (when what it shows changes by itself: an opening turns from "akan dibuka"
 *   to "dibuka" at its minute), and Cache-Control never lets a browser or CDN
 *   keep it past `changesAt` either.
 * - Concurrent misses of one key and version build once (single flight).
 * - Bounded by bytes; the least recently used entries go first.
 * - ETag is the body's hash, so an unchanged rebuild (the next minute, another
 *   instance) still answers If-None-Match with 304.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock';

/** How long browsers and CDNs may keep a response (seconds). */
export interface CachePolicy {
  maxAgeS: number;
  /** Served stale while one request revalidates (CDNs, browsers that support it). */
  staleWhileRevalidateS?: number;
}

/** Pages: 30 s is the most an opening's state may lag behind the clock in a CDN (see docs/operations.md). */
export const PAGE_POLICY: CachePolicy = { maxAgeS: 30, staleWhileRevalidateS: 30 };
/** Feeds: calendar apps poll every few hours at best; a minute more spares the origin. */
export const FEED_POLICY: CachePolicy = { maxAgeS: 60 };

export interface BuiltResponse {
  /** Default 200. Only 200 is kept; anything else is sent as built, with `cacheControl` (default no-store). */
  status?: number;
  body: string | Buffer;
  contentType: string;
  /** When what the body shows changes by itself (the next opening or closing): neither we nor a CDN keep it past that. */
  changesAt?: Date | null;
  /** Sent as Last-Modified (If-Modified-Since is answered from it when there is no If-None-Match). */
  lastModified?: Date | null;
  /** Other headers to send with it (CORS, Content-Disposition). */
  headers?: Readonly<Record<string, string>>;
  /** For a status other than 200. */
  cacheControl?: string;
}

export interface CacheSpec {
  /** Route and what selects the response (office, page number): `page:kanim-pontianak`. */
  key: string;
  /** What the response depends on that can change; another value is another response. */
  version: string;
  policy: CachePolicy;
}

export interface PublicCacheStats {
  hits: number;
  misses: number;
  /** Builds run (fewer than misses: concurrent misses share one). */
  builds: number;
  notModified: number;
  evictions: number;
  entries: number;
  bytes: number;
}

export interface PublicCache {
  /** Sends the kept response for `spec`, or builds it (once for all concurrent requests) and keeps it. */
  serve(request: FastifyRequest, reply: FastifyReply, spec: CacheSpec, build: () => Promise<BuiltResponse>): Promise<FastifyReply>;
  stats(): PublicCacheStats;
  /** Forgets everything (tests, an operator's purge through a restart is the same). */
  clear(): void;
}

export interface PublicCacheOptions {
  clock: Pick<Clock, 'now'>;
  /** Default 32 MB: 200 offices × a few pages of ~50 KB. */
  maxBytes?: number;
  /** Default 30 s. */
  maxEntryMs?: number;
}

interface Entry {
  key: string;
  version: string;
  status: number;
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date | null;
  headers: Readonly<Record<string, string>>;
  cacheControl: string | null;
  expiresAt: number;
  changesAt: number | null;
  size: number;
}

/** What an entry costs beyond its body (key, headers, bookkeeping), roughly. */
const ENTRY_OVERHEAD = 512;

export function createPublicCache(options: PublicCacheOptions): PublicCache {
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const maxEntryMs = options.maxEntryMs ?? 30_000;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry>>();
  const counts = { hits: 0, misses: 0, builds: 0, notModified: 0, evictions: 0 };
  let bytes = 0;

  function fresh(key: string, version: string, now: number): Entry | undefined {
    const entry = entries.get(key);
    if (!entry || entry.version !== version || now >= entry.expiresAt) return undefined;
    // Most recently used last: eviction takes from the front.
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  }

  function keep(entry: Entry): void {
    const before = entries.get(entry.key);
    if (before) {
      entries.delete(entry.key);
      bytes -= before.size;
    }
    // One huge response must not push out everything else.
    if (entry.status !== 200 || entry.size > maxBytes / 2) return;
    entries.set(entry.key, entry);
    bytes += entry.size;
    for (const [key, oldest] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(key);
      bytes -= oldest.size;
      counts.evictions += 1;
    }
  }

  async function buildOnce(spec: CacheSpec, build: () => Promise<BuiltResponse>): Promise<Entry> {
    const flight = `${spec.key}\u0000${spec.version}`;
    const running = inflight.get(flight);
    if (running) return running;
    counts.builds += 1;
    const made = (async () => {
      try {
        const entry = toEntry(spec, await build(), options.clock.now().getTime(), maxEntryMs);
        keep(entry);
        return entry;
      } finally {
        inflight.delete(flight);
      }
    })();
    inflight.set(flight, made);
    return made;
  }

  return {
    async serve(request, reply, spec, build) {
      const cached = fresh(spec.key, spec.version, options.clock.now().getTime());
      if (cached) counts.hits += 1;
      else counts.misses += 1;
      const entry = cached ?? (await buildOnce(spec, build));
      const now = options.clock.now().getTime();
      if (entry.status !== 200) {
        return send(reply.code(entry.status), entry, entry.cacheControl ?? 'no-store').type(entry.contentType).send(entry.body);
      }
      const cacheControl = cacheControlAt(spec.policy, entry.changesAt, now);
      if (notModified(request, entry)) {
        counts.notModified += 1;
        return send(reply.code(304), entry, cacheControl).send();
      }
      return send(reply.code(200), entry, cacheControl).type(entry.contentType).send(entry.body);
    },
    stats: () => ({ ...counts, entries: entries.size, bytes }),
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}

function toEntry(spec: CacheSpec, built: BuiltResponse, now: number, maxEntryMs: number): Entry {
  const body = typeof built.body === 'string' ? Buffer.from(built.body, 'utf8') : built.body;
  const changesAt = built.changesAt ? built.changesAt.getTime() : null;
  const headers = built.headers ?? {};
  return {
    key: spec.key,
    version: spec.version,
    status: built.status ?? 200,
    body,
    contentType: built.contentType,
    etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    lastModified: built.lastModified ?? null,
    headers,
    cacheControl: built.cacheControl ?? null,
    expiresAt: Math.min(now + maxEntryMs, changesAt !== null && changesAt > now ? changesAt : now + maxEntryMs),
    changesAt,
    size: body.length + spec.key.length + spec.version.length + ENTRY_OVERHEAD,
  };
}

function send(reply: FastifyReply, entry: Entry, cacheControl: string): FastifyReply {
  reply.headers(entry.headers).header('cache-control', cacheControl);
  if (entry.status === 200) reply.header('etag', entry.etag);
  if (entry.lastModified) reply.header('last-modified', entry.lastModified.toUTCString());
  return reply;
}

/**
 * `public, max-age=…[, stale-while-revalidate=…]`, shortened so that no copy
 * (fresh or served stale) outlives `changesAt`: a CDN fetching at 13.59.50 for
 * an opening at 14.00 may keep the page 10 s, not 30 + 30.
 */
export function cacheControlAt(policy: CachePolicy, changesAt: number | null, now: number): string {
  const left = changesAt === null || changesAt <= now ? Number.POSITIVE_INFINITY : Math.floor((changesAt - now) / 1000);
  const maxAge = Math.min(policy.maxAgeS, left);
  const stale = Math.min(policy.staleWhileRevalidateS ?? 0, left - maxAge);
  return `public, max-age=${maxAge}${stale > 0 ? `, stale-while-revalidate=${stale}` : ''}`;
}

/** RFC 9110 §13.1: If-None-Match (weak comparison) wins over If-Modified-Since. */
function notModified(request: FastifyRequest, entry: Entry): boolean {
  const match = request.headers['if-none-match'];
  if (match !== undefined) {
    return match
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === entry.etag);
  }
  const since = request.headers['if-modified-since'];
  if (since === undefined || !entry.lastModified) return false;
  const sinceMs = Date.parse(since);
  // HTTP dates have whole seconds.
  return Number.isFinite(sinceMs) && Math.floor(entry.lastModified.getTime() / 1000) * 1000 <= sinceMs;
}
