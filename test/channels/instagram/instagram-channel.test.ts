import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src/errors';
import { graphErrorBody, GRAPH_ERRORS } from '../../fakes/instagram/graph-error-bodies';
import { publishError, SECRET_TOKEN, startInstagramWorld, visibleText, type InstagramWorld } from '../../fakes/instagram/instagram-setup';

describe('channels/instagram/instagram-channel', () => {
  let world: InstagramWorld;
  const errors: unknown[] = [];

  beforeEach(async () => {
    world = await startInstagramWorld();
    errors.length = 0;
  });
  afterEach(async () => {
    // No token value in any error message or log line, whatever the test did.
    expect(visibleText(world, errors)).not.toContain(SECRET_TOKEN);
    await world.close();
  });

  it('publishes one image: container with caption and alt text, polled until FINISHED, then media_publish', async () => {
    const card = await world.card('p1/r1/card.jpg');
    const result = await world.channel().publish(world.request('p1', 'Kuota paspor dibuka pukul 14.00 WIB #imigrasi', [card]));

    expect(world.fake.published).toHaveLength(1);
    const [published] = world.fake.published;
    // The virtual clock moved 1 ms per poll sleep (1 + 2 ms): the publish time is the clock's, after polling.
    expect(result).toEqual({ remoteId: published!.id, url: published!.permalink, publishedAt: new Date('2026-11-27T06:00:00.003Z') });
    expect(published!.caption).toBe('Kuota paspor dibuka pukul 14.00 WIB #imigrasi');
    const bytes = fs.readFileSync(path.join(world.dir, card.file));
    expect(published!.items).toEqual([{ altText: 'Kartu 1: kuota paspor', sha256: crypto.createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, width: 1080, height: 1350 }]);
    const routes = world.fake.requests.map((r) => `${r.method} ${r.route}`);
    expect(routes).toEqual([
      'GET GET /{ig-user-id}/content_publishing_limit',
      'POST POST /{ig-user-id}/media',
      'GET GET /{container-id}',
      'GET GET /{container-id}',
      'GET GET /{container-id}',
      'POST POST /{ig-user-id}/media_publish',
      'GET GET /{media-id}',
    ]);
    // The token went in the Authorization header, never in a URL.
    expect(world.fake.requests.every((r) => r.token === SECRET_TOKEN && !r.path.includes(SECRET_TOKEN))).toBe(true);
    expect(world.fake.requests.every((r) => r.path.startsWith('/v23.0/'))).toBe(true);
  });

  it('publishes a carousel of 2: children with is_carousel_item and alt text, parent with the caption', async () => {
    const a = await world.card('d1/r1/card-1.jpg');
    const b = await world.card('d1/r1/card-2.jpg', 1080, 1080);
    const result = await world.channel().publish(world.request('d1', 'Jadwal kuota pekan depan', [a, b]));

    const [published] = world.fake.published;
    expect(published).toMatchObject({ id: result.remoteId, mediaType: 'CAROUSEL_ALBUM', caption: 'Jadwal kuota pekan depan' });
    expect(published!.items.map((item) => [item.altText, item.width, item.height])).toEqual([
      ['Kartu 1: kuota paspor', 1080, 1350],
      ['Kartu 2: kuota paspor', 1080, 1080],
    ]);
    const containers = [...world.fake.containers.values()];
    expect(containers.map((c) => [c.mediaType, c.isCarouselItem, c.caption])).toEqual([
      ['IMAGE', true, null],
      ['IMAGE', true, null],
      ['CAROUSEL', false, 'Jadwal kuota pekan depan'],
    ]);
  });

  it('uses graph.facebook.com paths under the configured API version, and the versionless fake paths work too', async () => {
    const card = await world.card('v/card.jpg');
    await world.channel({ config: { login: 'facebook', apiVersion: 'v21.0' } }).publish(world.request('v', 'Halo', [card]));
    expect(world.fake.requests.every((r) => r.path.startsWith('/v21.0/'))).toBe(true);
    const direct = await fetch(`${world.fake.url}/${world.fake.accountId}?fields=username`, { headers: { authorization: `Bearer ${SECRET_TOKEN}` } });
    expect(await direct.json()).toEqual({ id: world.fake.accountId, username: 'kanimpontianak' });
  });

  it('gives up polling after the configured bound: transient, nothing published', async () => {
    world.fake.settings.pollsUntilFinished = 50;
    const card = await world.card('slow/card.jpg');
    const error = await publishError(world.channel().publish(world.request('slow', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'transient', code: 'container:timeout' });
    expect(world.fake.requests.filter((r) => r.route === 'GET /{container-id}')).toHaveLength(5);
    expect(world.fake.published).toEqual([]);
  });

  it('stopped by its deadline while the container processes: says so (not "not ready after N checks"), nothing published', async () => {
    world.fake.settings.pollsUntilFinished = 50;
    const card = await world.card('late/card.jpg');
    // The deadline passes during the second wait between status checks.
    const deadline = new AbortController();
    let waits = 0;
    const clock = { now: () => world.clock.now(), sleep: async (ms: number, signal?: AbortSignal) => { if (++waits === 2) deadline.abort(); await world.clock.sleep(ms, signal); } };
    const error = await publishError(world.channel({ deps: { clock } }).publish(world.request('late', 'Halo', [card]), deadline.signal));
    expect(error).toMatchObject({ kind: 'transient', code: 'container:stopped' });
    expect(error.message).toMatch(/stopped waiting for container \S+ after 2 status checks: the post's deadline or a shutdown came first; nothing was published/);
    expect(world.fake.requests.filter((r) => r.route === 'GET /{container-id}')).toHaveLength(2);
    expect(world.fake.published).toEqual([]);
  });

  it('a container that ends in ERROR is permanent', async () => {
    world.fake.settings.finalStatus = 'ERROR';
    const card = await world.card('bad/card.jpg');
    const error = await publishError(world.channel().publish(world.request('bad', 'Halo', [card])));
    expect(error.kind).toBe('permanent');
  });

  it('refuses to publish into an exhausted publishing limit: rate-limited one hour later', async () => {
    world.fake.settings.quotaUsage = 50;
    const card = await world.card('q/card.jpg');
    const error = await publishError(world.channel().publish(world.request('q', 'Halo', [card])));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toEqual(new Date('2026-11-27T07:00:00Z'));
    expect(world.fake.containers.size).toBe(0);
  });

  it('warns through the logger when two or fewer slots are left, and still publishes', async () => {
    world.fake.settings.quotaUsage = 48;
    const card = await world.card('w/card.jpg');
    await world.channel().publish(world.request('w', 'Halo', [card]));
    expect(world.fake.published).toHaveLength(1);
    const warning = world.logLines.map((line) => JSON.parse(line) as { level: number; msg: string; used?: number }).find((line) => line.level === 40);
    expect(warning).toMatchObject({ used: 48, msg: expect.stringContaining('2 of 50 posts left') });
  });

  it('the daily publish limit (9/2207042) from media_publish is rate-limited, honouring Retry-After', async () => {
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', status: 400, body: graphErrorBody(GRAPH_ERRORS.publishLimit), headers: { 'retry-after': '600' } });
    const card = await world.card('l/card.jpg');
    const error = await publishError(world.channel().publish(world.request('l', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'rate-limited', code: 'graph:9/2207042' });
    expect(error.retryAt).toEqual(new Date(world.clock.now().getTime() + 600_000));
  });

  it('a revoked token (190) is auth, saying how to get a new one', async () => {
    world.fake.revokeToken();
    const card = await world.card('a/card.jpg');
    const error = await publishError(world.channel().publish(world.request('a', 'Halo', [card])));
    errors.push(error);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('put it in .env as IG_ACCESS_TOKEN');
  });

  it('an unreachable media server gives 9004/2207052 from the fake: transient, pointing at publicBaseUrl', async () => {
    const card = await world.card('m/card.jpg');
    await world.media.close();
    const error = await publishError(world.channel().publish(world.request('m', 'Halo', [card])));
    errors.push(error);
    expect(error).toMatchObject({ kind: 'transient', code: 'graph:9004/2207052' });
    expect(error.message).toContain('settings.mediaServer.publicBaseUrl');
  });

  it('a PNG where Instagram wants a JPEG is refused by the fake (36001/2207005): permanent', async () => {
    const file = 'media/png/card.jpg';
    fs.mkdirSync(path.join(world.dir, 'media/png'), { recursive: true });
    const sharp = (await import('sharp')).default;
    fs.writeFileSync(path.join(world.dir, file), await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#fff' } }).png().toBuffer());
    const error = await publishError(world.channel().publish(world.request('png', 'Halo', [{ file, bytes: 1, width: 1080, height: 1350 }])));
    expect(error).toMatchObject({ kind: 'permanent', code: 'graph:36001/2207005' });
  });

  it('a too-wide card is refused by the fake (36003/2207009): permanent, saying the ratio to use', async () => {
    const card = await world.card('wide/card.jpg', 1440, 600);
    const error = await publishError(world.channel().publish(world.request('wide', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'permanent', code: 'graph:36003/2207009' });
    expect(error.message).toContain('4:5 and 1.91:1');
  });

  it('a 5xx on container creation is transient', async () => {
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media', status: 500, body: graphErrorBody(GRAPH_ERRORS.serverError) });
    const card = await world.card('c/card.jpg');
    expect((await publishError(world.channel().publish(world.request('c', 'Halo', [card])))).kind).toBe('transient');
  });

  it('a 5xx on media_publish after the post was created is unclear, and readBack finds the post', async () => {
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', when: 'after', status: 503, body: graphErrorBody({ ...GRAPH_ERRORS.serverError, status: 503 }) });
    const card = await world.card('u/card.jpg');
    const error = await publishError(world.channel().publish(world.request('u', 'Kuota dibuka', [card])));
    expect(error.kind).toBe('unclear');
    expect(world.fake.published).toHaveLength(1);
    const back = await world.channel().readBack(new Date('2026-11-27T05:00:00Z'));
    expect(back).toEqual([{ remoteId: world.fake.published[0]!.id, text: 'Kuota dibuka', publishedAt: new Date('2026-11-27T06:00:00Z'), url: world.fake.published[0]!.permalink }]);
  });

  it('a dropped connection on media_publish is unclear; malformed JSON from media_publish too', async () => {
    const card = await world.card('d/card.jpg');
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', when: 'after', drop: true });
    expect((await publishError(world.channel().publish(world.request('d', 'Halo', [card])))).kind).toBe('unclear');
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', rawBody: '{"id": "1800', status: 200 });
    expect((await publishError(world.channel().publish(world.request('d2', 'Halo', [card])))).kind).toBe('unclear');
  });

  it('a media_publish that times out after the post was created is unclear', async () => {
    const card = await world.card('to/card.jpg');
    // The timeout is per request: room for the earlier calls on a busy machine (the
    // container creation fetches and checks the image), far below the publish delay.
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', when: 'after', delayMs: 5_000 });
    const error = await publishError(world.channel({ options: { requestTimeoutMs: 2_500 } }).publish(world.request('to', 'Halo', [card])));
    expect(error.kind).toBe('unclear');
    expect(world.fake.published).toHaveLength(1);
  });

  it('media_publish answering "not ready" (9007/2207027) polls again and then publishes', async () => {
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', status: 400, body: graphErrorBody(GRAPH_ERRORS.notReady) });
    const card = await world.card('n/card.jpg');
    const result = await world.channel().publish(world.request('n', 'Halo', [card]));
    expect(world.fake.published.map((p) => p.id)).toEqual([result.remoteId]);
  });

  it('a failed permalink lookup after publishing does not fail the publish: url null', async () => {
    world.fake.faults.push({ route: 'GET /{media-id}', status: 500, body: graphErrorBody(GRAPH_ERRORS.serverError) });
    const card = await world.card('pl/card.jpg');
    const result = await world.channel().publish(world.request('pl', 'Halo', [card]));
    expect(result).toMatchObject({ remoteId: world.fake.published[0]!.id, url: null });
  });

  it('spam restriction 4/2207051 is permanent, plain throttling 4 is rate-limited', async () => {
    const card = await world.card('s/card.jpg');
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media', status: 400, body: graphErrorBody(GRAPH_ERRORS.spam) });
    expect((await publishError(world.channel().publish(world.request('s', 'Halo', [card])))).kind).toBe('permanent');
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media', status: 400, body: graphErrorBody(GRAPH_ERRORS.throttled) });
    const throttled = await publishError(world.channel().publish(world.request('s2', 'Halo', [card])));
    expect(throttled.kind).toBe('rate-limited');
    // No usage header, no Retry-After: no reset time; the retry policy backs off (rate-limits.test.ts).
    expect(throttled.retryAt).toBeNull();
  });

  it('without a media server the publish is permanent and says to configure settings.mediaServer', async () => {
    const card = await world.card('x/card.jpg');
    const error = await publishError(world.channel({ deps: { publicMediaUrl: undefined } }).publish(world.request('x', 'Halo', [card])));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('settings.mediaServer');
  });

  it('reads back recent media newest first, since a time, across pages', async () => {
    const card = await world.card('r/card.jpg');
    const channel = world.channel({ options: { readBackPages: 10 } });
    for (let i = 1; i <= 3; i += 1) {
      await channel.publish(world.request(`r${i}`, `pos ${i}`, [card]));
      await world.clock.sleep(60_000);
    }
    expect((await channel.readBack(new Date('2026-11-27T06:00:30Z'))).map((p) => p.text)).toEqual(['pos 3', 'pos 2']);
    expect((await channel.readBack(new Date(0))).map((p) => [p.text, p.publishedAt.toISOString()])).toEqual([
      ['pos 3', '2026-11-27T06:02:00.000Z'],
      ['pos 2', '2026-11-27T06:01:00.000Z'],
      ['pos 1', '2026-11-27T06:00:00.000Z'],
    ]);
  });

  it('a missing credential is a config error naming the variable, never a value', () => {
    const attempt = (env: Record<string, string | undefined>, config = {}) => () => world.channel({ deps: { env }, config });
    expect(attempt({})).toThrow(AppError);
    expect(attempt({})).toThrow(/IG_ACCESS_TOKEN is not set: put the Instagram access token in \.env/);
    expect(attempt({ IG_ACCESS_TOKEN: SECRET_TOKEN }, { accountId: undefined, credentials: { accessToken: 'IG_ACCESS_TOKEN', userId: 'IG_USER_ID' } })).toThrow(/IG_USER_ID is not set/);
    const withUser = world.channel({ deps: { env: { IG_ACCESS_TOKEN: SECRET_TOKEN, IG_USER_ID: world.fake.accountId } }, config: { accountId: undefined, credentials: { accessToken: 'IG_ACCESS_TOKEN', userId: 'IG_USER_ID' } } });
    expect(withUser.driver).toBe('instagram');
    try {
      attempt({})();
    } catch (error) {
      errors.push(error);
    }
  });
});
