import fastify, { type FastifyInstance } from 'fastify';
import { createVirtualClock, type VirtualClock } from '../../src/clock';
import { cacheControlAt, createPublicCache, PAGE_POLICY, type BuiltResponse, type PublicCache } from '../../src/web/public-cache';

const at = (iso: string): Date => new Date(iso);
/** An opening at 14.00 WIB. */
const OPENS = at('2026-12-04T07:00:00Z');

interface Harness {
  app: FastifyInstance;
  cache: PublicCache;
  clock: VirtualClock;
  builds: string[];
  /** What the next build of each key returns (default: the office page at the clock's time). */
  respond: (key: string) => Promise<BuiltResponse>;
}

/** `GET /o/:office/?v=VERSION`: one route that serves through the cache, as the public routes do. */
async function harness(options: { maxBytes?: number } = {}): Promise<Harness> {
  const clock = createVirtualClock(at('2026-12-04T06:59:40Z'));
  const cache = createPublicCache({ clock, ...options });
  const h: Harness = {
    app: fastify(),
    cache,
    clock,
    builds: [],
    respond: async () => ({
      body: `<p>${clock.now() < OPENS ? 'akan dibuka' : 'dibuka'}</p>`,
      contentType: 'text/html; charset=utf-8',
      changesAt: OPENS,
    }),
  };
  h.app.get('/o/:office/', async (request, reply) => {
    const { office } = request.params as { office: string };
    const { v } = request.query as { v?: string };
    const key = `page:${office}`;
    return cache.serve(request, reply, { key, version: v ?? '1', policy: PAGE_POLICY }, async () => {
      h.builds.push(key);
      return h.respond(key);
    });
  });
  await h.app.ready();
  return h;
}

function get(h: Harness, url: string, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'GET', url, headers });
}

describe('web/public-cache', () => {
  it('builds on a miss, then answers from memory with the same body and ETag', async () => {
    const h = await harness();
    const first = await get(h, '/o/kanim-pontianak/');
    const second = await get(h, '/o/kanim-pontianak/');
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe('<p>akan dibuka</p>');
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(h.builds).toEqual(['page:kanim-pontianak']);
    expect(h.cache.stats()).toMatchObject({ hits: 1, misses: 1, builds: 1, entries: 1 });
  });

  it('builds again when the version changes (a new config revision, a post published)', async () => {
    const h = await harness();
    await get(h, '/o/kanim-pontianak/?v=r1');
    await get(h, '/o/kanim-pontianak/?v=r2');
    await get(h, '/o/kanim-pontianak/?v=r2');
    expect(h.builds).toHaveLength(2);
  });

  it('never says "akan dibuka" from the opening minute on, and no CDN is told to keep it longer', async () => {
    const h = await harness();
    const before = await get(h, '/o/kanim-pontianak/');
    // 20 s before the opening: a CDN may keep it 20 s and may not serve it stale after 14.00.
    expect(before.headers['cache-control']).toBe('public, max-age=20');
    h.clock.set(at('2026-12-04T06:59:59.900Z'));
    expect((await get(h, '/o/kanim-pontianak/')).body).toBe('<p>akan dibuka</p>');
    h.clock.set(OPENS);
    const opened = await get(h, '/o/kanim-pontianak/');
    expect(opened.body).toBe('<p>dibuka</p>');
    expect(h.builds).toHaveLength(2);
  });

  it('keeps an entry at most 30 s when nothing changes by itself', async () => {
    const h = await harness();
    h.respond = async () => ({ body: 'BEGIN:VCALENDAR', contentType: 'text/calendar; charset=utf-8' });
    const first = await get(h, '/o/kanim-pontianak/');
    expect(first.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=30');
    h.clock.set(new Date(h.clock.now().getTime() + 29_999));
    await get(h, '/o/kanim-pontianak/');
    expect(h.builds).toHaveLength(1);
    h.clock.set(new Date(h.clock.now().getTime() + 1));
    await get(h, '/o/kanim-pontianak/');
    expect(h.builds).toHaveLength(2);
  });

  it('builds once for a thousand concurrent misses', async () => {
    const h = await harness();
    let finish: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    h.respond = async () => {
      await slow;
      return { body: '<p>halaman</p>', contentType: 'text/html; charset=utf-8' };
    };
    const responses = Array.from({ length: 1000 }, () => get(h, '/o/kanim-pontianak/'));
    // Let every request reach the cache before the build finishes.
    await new Promise((resolve) => setImmediate(resolve));
    finish();
    const done = await Promise.all(responses);
    expect(done.every((response) => response.statusCode === 200 && response.body === '<p>halaman</p>')).toBe(true);
    expect(h.builds).toHaveLength(1);
    expect(h.cache.stats()).toMatchObject({ builds: 1, misses: 1000 });
  });

  it('stays within its bytes, dropping the least recently used entry first', async () => {
    const page = 'x'.repeat(1000);
    // Room for three entries of ~1.5 KB (body + bookkeeping), not four.
    const h = await harness({ maxBytes: 5000 });
    h.respond = async () => ({ body: page, contentType: 'text/html; charset=utf-8' });
    for (const office of ['a', 'b', 'c', 'a']) await get(h, `/o/${office}/`);
    await get(h, '/o/d/');
    expect(h.cache.stats()).toMatchObject({ entries: 3, evictions: 1 });
    expect(h.cache.stats().bytes).toBeLessThanOrEqual(5000);
    h.builds.length = 0;
    for (const office of ['a', 'c', 'd', 'b']) await get(h, `/o/${office}/`);
    expect(h.builds).toEqual(['page:b']);
  });

  it('answers If-None-Match with 304 and no body, for its own ETag only', async () => {
    const h = await harness();
    const { etag } = (await get(h, '/o/kanim-pontianak/')).headers as { etag: string };
    const same = await get(h, '/o/kanim-pontianak/', { 'if-none-match': `"other", W/${etag}` });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect(same.headers.etag).toBe(etag);
    expect(same.headers['cache-control']).toBe('public, max-age=20');
    expect((await get(h, '/o/kanim-pontianak/', { 'if-none-match': '"other"' })).statusCode).toBe(200);
    expect(h.cache.stats().notModified).toBe(1);
  });

  it('answers If-Modified-Since from Last-Modified when there is no ETag to compare', async () => {
    const h = await harness();
    const published = at('2026-12-04T06:00:00.400Z');
    h.respond = async () => ({ body: 'feed', contentType: 'application/atom+xml', lastModified: published });
    const first = await get(h, '/o/kanim-pontianak/');
    expect(first.headers['last-modified']).toBe('Fri, 04 Dec 2026 06:00:00 GMT');
    expect((await get(h, '/o/kanim-pontianak/', { 'if-modified-since': 'Fri, 04 Dec 2026 06:00:00 GMT' })).statusCode).toBe(304);
    expect((await get(h, '/o/kanim-pontianak/', { 'if-modified-since': 'Fri, 04 Dec 2026 05:59:59 GMT' })).statusCode).toBe(200);
  });

  it('does not keep what is not a 200', async () => {
    const h = await harness();
    h.respond = async () => ({ status: 503, body: 'sedang tidak tersedia', contentType: 'text/plain; charset=utf-8' });
    const failed = await get(h, '/o/kanim-pontianak/');
    await get(h, '/o/kanim-pontianak/');
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['cache-control']).toBe('no-store');
    expect(failed.headers.etag).toBeUndefined();
    expect(h.builds).toHaveLength(2);
  });

  it('shortens max-age and stale-while-revalidate so no copy outlives the next change', () => {
    const now = OPENS.getTime() - 45_000;
    expect(cacheControlAt(PAGE_POLICY, null, now)).toBe('public, max-age=30, stale-while-revalidate=30');
    expect(cacheControlAt(PAGE_POLICY, OPENS.getTime(), now)).toBe('public, max-age=30, stale-while-revalidate=15');
    expect(cacheControlAt(PAGE_POLICY, OPENS.getTime(), OPENS.getTime() - 400)).toBe('public, max-age=0');
  });
});
