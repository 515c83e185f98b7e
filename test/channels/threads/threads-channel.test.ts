/**
 * The Threads driver against the fake Threads API (real HTTP on 127.0.0.1):
 * publishing one card, a carousel and text, every fault kind → the right
 * PublishError, unclear outcomes found again by readBack, retry times
 * honoured, revoked tokens, and `check --online`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src/errors';
import { graphErrorBody, GRAPH_ERRORS } from '../../fakes/instagram/graph-error-bodies';
import { THREADS_ERRORS } from '../../fakes/threads/threads-image';
import { publishError, SECRET_TOKEN, startThreadsWorld, visibleText, type ThreadsWorld } from '../../fakes/threads/threads-setup';

describe('channels/threads/threads-channel', () => {
  let world: ThreadsWorld;
  const errors: unknown[] = [];

  beforeEach(async () => {
    world = await startThreadsWorld();
    errors.length = 0;
  });
  afterEach(async () => {
    // No token value in any error, log line or alert, whatever the test did.
    expect(visibleText(world, errors)).not.toContain(SECRET_TOKEN);
    await world.close();
  });

  it('publishes one card: IMAGE container with text and alt text, polled until FINISHED, then threads_publish', async () => {
    const card = await world.card('p1/r1/card.jpg');
    const result = await world.channel().publish(world.request('p1', 'Kuota paspor dibuka pukul 14.00 WIB • GRATIS 🟢', [card]));

    expect(world.fake.published).toHaveLength(1);
    const [published] = world.fake.published;
    // Two polls answered IN_PROGRESS: the virtual clock moved 1 + 2 ms.
    expect(result).toEqual({ remoteId: published!.id, url: published!.permalink, publishedAt: new Date('2026-11-27T06:00:00.003Z') });
    expect(published).toMatchObject({ mediaType: 'IMAGE', text: 'Kuota paspor dibuka pukul 14.00 WIB • GRATIS 🟢' });
    const bytes = fs.readFileSync(path.join(world.dir, card.file));
    expect(published!.items).toEqual([{ altText: 'Kartu 1: kuota paspor', sha256: crypto.createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, width: 1080, height: 1350, mime: 'image/jpeg' }]);
    expect(world.fake.requests.map((r) => r.route)).toEqual([
      'GET /{threads-user-id}/threads_publishing_limit',
      'POST /{threads-user-id}/threads',
      'GET /{container-id}',
      'GET /{container-id}',
      'GET /{container-id}',
      'POST /{threads-user-id}/threads_publish',
      'GET /{media-id}',
    ]);
    // The token went in the Authorization header, never in a URL; every path under v1.0.
    expect(world.fake.requests.every((r) => r.token === SECRET_TOKEN && !r.path.includes(SECRET_TOKEN) && !JSON.stringify(r.query).includes(SECRET_TOKEN))).toBe(true);
    expect(world.fake.requests.every((r) => r.path.startsWith('/v1.0/'))).toBe(true);
  });

  it('publishes a carousel: items with is_carousel_item and alt text (JPEG and PNG), a CAROUSEL parent with the text, one post of the quota', async () => {
    const a = await world.card('d1/r1/card-1.jpg');
    const b = await world.card('d1/r1/card-2.png', 1080, 1080);
    const result = await world.channel().publish(world.request('d1', 'Jadwal kuota pekan depan', [a, b]));

    expect(world.fake.published).toEqual([expect.objectContaining({ id: result.remoteId, mediaType: 'CAROUSEL_ALBUM', text: 'Jadwal kuota pekan depan' })]);
    expect(world.fake.published[0]!.items.map((item) => [item.altText, item.mime, item.width, item.height])).toEqual([
      ['Kartu 1: kuota paspor', 'image/jpeg', 1080, 1350],
      ['Kartu 2: kuota paspor', 'image/png', 1080, 1080],
    ]);
    expect([...world.fake.containers.values()].map((c) => [c.mediaType, c.isCarouselItem, c.text])).toEqual([
      ['IMAGE', true, null],
      ['IMAGE', true, null],
      ['CAROUSEL', false, 'Jadwal kuota pekan depan'],
    ]);
    expect(world.fake.settings.quotaUsage).toBe(1);
  });

  it('publishes a post without cards as a TEXT container (no media server needed)', async () => {
    const result = await world.channel({ deps: { publicMediaUrl: undefined } }).publish(world.request('t1', 'Kuota dibuka', []));
    expect(world.fake.published).toEqual([expect.objectContaining({ id: result.remoteId, mediaType: 'TEXT_POST', text: 'Kuota dibuka' })]);
  });

  it('refuses cards without a media server before asking Threads anything', async () => {
    const card = await world.card('nm/card.jpg');
    const error = await publishError(world.channel({ deps: { publicMediaUrl: undefined } }).publish(world.request('nm', 'Halo', [card])));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('settings.mediaServer');
    expect(world.fake.requests).toEqual([]);
  });

  it('a container in ERROR is permanent and says why (error_message); nothing published', async () => {
    world.fake.settings.finalStatus = 'ERROR';
    const card = await world.card('e/card.jpg');
    const error = await publishError(world.channel().publish(world.request('e', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'permanent', code: 'container:ERROR' });
    expect(error.message).toContain('container ERROR: UNKNOWN');
    expect(world.fake.published).toEqual([]);
  });

  it('gives up polling after the configured bound: transient, nothing published', async () => {
    world.fake.settings.pollsUntilFinished = 50;
    const card = await world.card('slow/card.jpg');
    const error = await publishError(world.channel().publish(world.request('slow', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'transient', code: 'container:timeout' });
    expect(world.fake.requests.filter((r) => r.route === 'GET /{container-id}')).toHaveLength(5);
    expect(world.fake.published).toEqual([]);
  });

  it('4279009 (published before FINISHED): polls again and publishes once', async () => {
    const card = await world.card('nr/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', status: 400, body: graphErrorBody(THREADS_ERRORS.notReady) });
    await world.channel().publish(world.request('nr', 'Halo', [card]));
    expect(world.fake.published).toHaveLength(1);
    expect(world.fake.requests.filter((r) => r.route === 'POST /{threads-user-id}/threads_publish')).toHaveLength(2);
  });

  it('4279009 every time: transient after 3 tries, nothing published', async () => {
    const card = await world.card('nr3/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', status: 400, body: graphErrorBody(THREADS_ERRORS.notReady), times: 3 });
    const error = await publishError(world.channel().publish(world.request('nr3', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'transient', code: 'graph:24/4279009' });
    expect(world.fake.published).toEqual([]);
  });

  it('5xx while creating the container: transient (nothing public)', async () => {
    const card = await world.card('c5/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads', status: 500, body: graphErrorBody(GRAPH_ERRORS.serverError) });
    const error = await publishError(world.channel().publish(world.request('c5', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'transient', status: 500 });
    expect(world.fake.published).toEqual([]);
  });

  it('5xx on threads_publish: unclear (it may be live)', async () => {
    const card = await world.card('p5/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', status: 503, rawBody: '<html>Service Unavailable</html>' });
    const error = await publishError(world.channel().publish(world.request('p5', 'Halo', [card])));
    expect(error.kind).toBe('unclear');
  });

  it('connection dropped AFTER the post was created: unclear, and readBack finds the post', async () => {
    const card = await world.card('drop/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', drop: true, when: 'after' });
    const channel = world.channel();
    const error = await publishError(channel.publish(world.request('drop', 'Kuota dibuka pukul 14.00', [card])));
    errors.push(error);
    expect(error.kind).toBe('unclear');
    expect(world.fake.published).toHaveLength(1);
    const back = await channel.readBack(new Date('2026-11-27T05:59:00Z'));
    // Threads' timestamps are whole seconds.
    expect(back).toEqual([{ remoteId: world.fake.published[0]!.id, text: 'Kuota dibuka pukul 14.00', publishedAt: new Date('2026-11-27T06:00:00Z'), url: world.fake.published[0]!.permalink }]);
  });

  it('a slow threads_publish beyond the request timeout: unclear, the post found by readBack', async () => {
    const card = await world.card('hang/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', delayMs: 3000, when: 'after' });
    const channel = world.channel({ options: { requestTimeoutMs: 300 } });
    const error = await publishError(channel.publish(world.request('hang', 'Lambat', [card])));
    expect(error.kind).toBe('unclear');
    expect(error.message).toContain('timeout');
    expect((await channel.readBack(new Date(0))).map((p) => p.text)).toEqual(['Lambat']);
  });

  it('a slow answer within the timeout is just slow: published', async () => {
    const card = await world.card('slowok/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', delayMs: 200 });
    await world.channel().publish(world.request('slowok', 'Halo', [card]));
    expect(world.fake.published).toHaveLength(1);
  });

  it('throttling (code 17 with X-Business-Use-Case-Usage): rate-limited until the time Threads gives', async () => {
    const card = await world.card('rl/card.jpg');
    world.fake.settings.rateLimit = { code: 17, until: new Date('2026-11-27T06:12:00Z') };
    const error = await publishError(world.channel().publish(world.request('rl', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:12:00Z') });
    expect(world.fake.published).toEqual([]);
  });

  it('HTTP 429 with Retry-After on container creation: rate-limited, retryAt from the header', async () => {
    const card = await world.card('429/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads', status: 429, headers: { 'retry-after': '120' }, body: graphErrorBody(GRAPH_ERRORS.throttled) });
    const error = await publishError(world.channel().publish(world.request('429', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:02:00Z') });
  });

  it('a revoked token: auth, saying which env variable to renew, never the token', async () => {
    const card = await world.card('rv/card.jpg');
    world.fake.revokeToken();
    const error = await publishError(world.channel().publish(world.request('rv', 'Halo', [card])));
    errors.push(error);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('THREADS_ACCESS_TOKEN');
    expect(world.fake.published).toEqual([]);
  });

  it('a missing permission (code 10): auth, naming threads_content_publish', async () => {
    const card = await world.card('perm/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads', status: 403, body: graphErrorBody({ status: 403, code: 10, message: 'Application does not have permission for this action' }) });
    const error = await publishError(world.channel().publish(world.request('perm', 'Halo', [card])));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('threads_content_publish');
  });

  it('spam (4/2207051) and a restricted user (4279013) are permanent, not throttling', async () => {
    const card = await world.card('sp/card.jpg');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', status: 400, body: graphErrorBody(GRAPH_ERRORS.spam) });
    expect((await publishError(world.channel().publish(world.request('sp', 'Halo', [card])))).kind).toBe('permanent');
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', status: 400, body: graphErrorBody(THREADS_ERRORS.userRestricted) });
    const restricted = await publishError(world.channel().publish(world.request('sp2', 'Halo', [card])));
    expect(restricted.kind).toBe('permanent');
    expect(restricted.message).toContain('restricted this account');
  });

  it('text over 500 UTF-8 bytes (check missed it): the platform refuses, permanent', async () => {
    const card = await world.card('long/card.jpg');
    // 200 bullets: 200 characters, 600 bytes.
    const error = await publishError(world.channel().publish(world.request('long', '•'.repeat(200), [card])));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('at most 500 characters');
  });

  it('check counts UTF-8 bytes and links: 500 bytes fit, 501 do not, six links do not', () => {
    const channel = world.channel();
    const media = [{ file: 'card.jpg', mime: 'image/jpeg' as const, width: 1080, height: 1350, bytes: 1000, alt: 'Kartu' }];
    expect(channel.check({ text: '•'.repeat(166) + 'ab', media })).toEqual([]);
    expect(channel.check({ text: '•'.repeat(166) + 'abc', media })).toEqual([
      { severity: 'error', message: 'caption is 501 UTF-8 bytes (as Threads counts them), over the limit of 500: shorten the caption template' },
    ]);
    const links = Array.from({ length: 6 }, (_, i) => `https://imigrasi.go.id/${i}`).join(' ');
    expect(channel.check({ text: links, media }).map((p) => p.message)).toEqual([expect.stringContaining('6 different links, over the Threads limit of 5')]);
  });

  it('readBack lists the account’s posts since a time, newest first, asking Threads for `since` in Unix seconds', async () => {
    const card = await world.card('rb/card.jpg');
    const channel = world.channel();
    await channel.publish(world.request('rb1', 'pertama', [card]));
    world.clock.set(new Date('2026-11-27T07:00:00Z'));
    await channel.publish(world.request('rb2', 'kedua', [card]));
    expect((await channel.readBack(new Date('2026-11-27T06:30:00Z'))).map((p) => p.text)).toEqual(['kedua']);
    expect((await channel.readBack(new Date(0))).map((p) => p.text)).toEqual(['kedua', 'pertama']);
    const reads = world.fake.requests.filter((r) => r.route === 'GET /{threads-user-id}/threads');
    expect(reads.map((r) => r.query.since)).toEqual([String(Date.parse('2026-11-27T06:30:00Z') / 1000), '1688540400']);
  });

  it('readBack that cannot see every post since the time throws instead of answering with part of them', async () => {
    const card = await world.card('many/card.jpg');
    const channel = world.channel({ options: { readBackPages: 1 } });
    world.fake.settings.pollsUntilFinished = 0;
    for (let i = 0; i < 51; i++) await channel.publish(world.request(`many${i}`, `post ${i}`, [card]));
    const error = await publishError(channel.readBack(new Date(0)));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('cannot read them all back');
    expect(await world.channel().readBack(new Date(0))).toHaveLength(51);
  });

  it('readBack with a revoked token throws auth (never "nothing found")', async () => {
    world.fake.revokeToken();
    expect((await publishError(world.channel().readBack(new Date(0)))).kind).toBe('auth');
  });

  it('verify (check --online): the account, the publishing limit, the API; never posts', async () => {
    world.fake.settings.quotaUsage = 12;
    const report = await world.channel().verify!(world.clock.now());
    expect(report).toMatchObject({ channelId: 'threads', account: '@kanimpontianak', tokenExpiresAt: null, problems: [] });
    expect(report.details).toEqual(expect.arrayContaining([`API: ${world.fake.url}/v1.0`, 'publishing limit: 12 of 250 posts used in the last 24 h', expect.stringContaining('a long-lived token lasts 60 days')]));
    expect(world.fake.requests.map((r) => r.route)).toEqual(['GET /me', 'GET /{threads-user-id}/threads_publishing_limit']);
    expect(world.fake.published).toEqual([]);
  });

  it('verify warns when the last posts of the 24 h go', async () => {
    world.fake.settings.quotaUsage = 249;
    const report = await world.channel().verify!(world.clock.now());
    expect(report.problems).toEqual([{ severity: 'warning', message: 'only 1 of 250 Threads posts left in the last 24 h: planned posts may be delayed' }]);
  });

  it('verify reports a token of another user and a missing media server, each saying what to do', async () => {
    const report = await world.channel({ config: { accountId: '999' }, deps: { publicMediaUrl: undefined } }).verify!(world.clock.now());
    expect(report.problems.map((p) => p.message)).toEqual([
      `the token belongs to Threads user ${world.fake.userId} (@kanimpontianak), but the channel posts as user 999: set accountId to ${world.fake.userId}, or use a token of the office's account`,
      'the threads driver needs settings.mediaServer in herald.yaml (publicBaseUrl reachable from the internet): Threads fetches each image itself',
    ]);
  });

  it('verify with a revoked token: an auth error naming the variable', async () => {
    world.fake.revokeToken();
    const report = await world.channel().verify!(world.clock.now());
    expect(report.account).toBeNull();
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringContaining('put it in .env as THREADS_ACCESS_TOKEN') }]);
  });

  it('refuses a missing token variable, user id or env value with a clear config error (file:line:col, never a value)', () => {
    const attempt = (config: Partial<ThreadsWorld['config']>, env: Record<string, string> = { THREADS_ACCESS_TOKEN: SECRET_TOKEN }) => () => world.channel({ config, deps: { env } });
    expect(attempt({ credentials: {} })).toThrow(/herald\.yaml:14:5: channel "threads" needs credentials\.accessToken/);
    expect(attempt({}, {})).toThrow('the environment variable THREADS_ACCESS_TOKEN is not set');
    expect(attempt({ accountId: undefined })).toThrow(/herald\.yaml:14:5: .*needs accountId \(the Threads user id/);
    expect(attempt({ accountId: undefined, credentials: { accessToken: 'THREADS_ACCESS_TOKEN', userId: 'THREADS_USER_ID' } })).toThrow('THREADS_USER_ID is not set');
    expect(attempt({ accountId: '@kanim' })).toThrow(AppError);
    // The user id from the environment works.
    expect(attempt({ accountId: undefined, credentials: { accessToken: 'THREADS_ACCESS_TOKEN', userId: 'THREADS_USER_ID' } }, { THREADS_ACCESS_TOKEN: SECRET_TOKEN, THREADS_USER_ID: '123' })).not.toThrow();
  });
});
