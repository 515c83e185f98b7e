/**
 * The real Facebook Page driver against the fake Page API: unpublished
 * photos uploaded as multipart `source` with alt text, one /feed post after
 * the checkpoint, read-back from published_posts, every fault kind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src/errors';
import { graphErrorBody } from '../../fakes/instagram/graph-error-bodies';
import { publishError } from '../../fakes/instagram/instagram-setup';
import { FACEBOOK_ERRORS } from '../../fakes/facebook/facebook-error-bodies';
import { SECRET_PAGE_TOKEN, startFacebookWorld, type FacebookWorld } from '../../fakes/facebook/facebook-setup';

describe('channels/facebook/facebook-channel', () => {
  let world: FacebookWorld;
  const errors: unknown[] = [];

  beforeEach(async () => {
    world = await startFacebookWorld();
    errors.length = 0;
  });
  afterEach(async () => {
    const described = errors.map((error) => `${String(error)} ${JSON.stringify(error)} ${(error as Error)?.stack ?? ''}`);
    expect([...world.logLines, ...described].join('\n')).not.toContain(SECRET_PAGE_TOKEN);
    await world.close();
  });

  const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(path.join(world.dir, file))).digest('hex');
  const routes = (): string[] => world.fake.requests.map((r) => `${r.route}`);

  it('publishes one card: an unpublished photo (bytes, alt text), then one /feed post with the caption; checkpoint between', async () => {
    const card = await world.card('p1/card.jpg');
    const seen: [string, number][] = [];
    const result = await world.channel().publish({
      ...world.request('p1', 'Kuota paspor dibuka pukul 14.00 WIB #imigrasi', [card]),
      checkpoint: async (phase) => void seen.push([phase, world.fake.posts.length]),
    });

    expect(seen).toEqual([['sending', 0]]);
    expect(world.fake.posts).toHaveLength(1);
    const [post] = world.fake.posts;
    expect(result).toEqual({ remoteId: post!.id, url: post!.permalink, publishedAt: new Date('2026-11-27T06:00:00Z') });
    expect(post!.message).toBe('Kuota paspor dibuka pukul 14.00 WIB #imigrasi');
    expect(post!.photos.map((p) => [p.altText, p.sha256, p.bytes, p.mime, p.width, p.height, p.published])).toEqual([
      ['Kartu 1: kuota paspor', sha(card.file), card.bytes, 'image/jpeg', 1080, 1350, false],
    ]);
    expect(routes()).toEqual(['POST /{page-id}/photos', 'POST /{page-id}/feed', 'GET /{post-id}']);
    // Token in the Authorization header only, never in a URL or a form field; the API version in the path.
    expect(world.fake.requests.every((r) => r.token === SECRET_PAGE_TOKEN && !r.path.includes(SECRET_PAGE_TOKEN) && r.path.startsWith('/v25.0/'))).toBe(true);
    expect(world.fake.requests[0]!.fields).toEqual({ published: 'false', alt_text_custom: 'Kartu 1: kuota paspor' });
  });

  it('publishes several cards (a PNG among them) as ONE post with attached_media in order', async () => {
    const cards = [await world.card('d/1.jpg'), await world.card('d/2.png', { height: 1080, png: true }), await world.card('d/3.jpg', { width: 1200, height: 628 })];
    const result = await world.channel().publish(world.request('d', 'Jadwal kuota pekan depan', cards));

    expect(world.fake.posts).toHaveLength(1);
    const [post] = world.fake.posts;
    expect(post!.id).toBe(result.remoteId);
    expect(post!.photos.map((p) => [p.altText, p.sha256, p.mime, p.width, p.height])).toEqual([
      ['Kartu 1: kuota paspor', sha(cards[0]!.file), 'image/jpeg', 1080, 1350],
      ['Kartu 2: kuota paspor', sha(cards[1]!.file), 'image/png', 1080, 1080],
      ['Kartu 3: kuota paspor', sha(cards[2]!.file), 'image/jpeg', 1200, 628],
    ]);
    const feed = world.fake.requests.find((r) => r.route === 'POST /{page-id}/feed')!;
    expect(Object.keys(feed.fields)).toEqual(['message', 'attached_media[0]', 'attached_media[1]', 'attached_media[2]']);
    expect(routes().filter((r) => r === 'POST /{page-id}/photos')).toHaveLength(3);
  });

  it('publishes a text-only post when the rule has no card', async () => {
    const result = await world.channel().publish(world.request('t', 'Layanan paspor tutup besok', []));
    expect(world.fake.posts.map((p) => [p.id, p.message, p.photos.length])).toEqual([[result.remoteId, 'Layanan paspor tutup besok', 0]]);
  });

  it('refuses more than 10 cards before sending anything: permanent', async () => {
    const card = await world.card('many/card.jpg');
    const error = await publishError(world.channel().publish(world.request('many', 'Halo', Array.from({ length: 11 }, () => card))));
    expect(error.kind).toBe('permanent');
    expect(world.fake.requests).toEqual([]);
  });

  it('a checkpoint that throws (the post was lost to another sender) stops before /feed: nothing public', async () => {
    const card = await world.card('lost/card.jpg');
    const lost = new Error('lease lost');
    await expect(world.channel().publish({ ...world.request('lost', 'Halo', [card]), checkpoint: async () => { throw lost; } })).rejects.toBe(lost);
    expect(world.fake.posts).toEqual([]);
    expect(routes()).toEqual(['POST /{page-id}/photos']);
    expect([...world.fake.photos.values()].every((photo) => !photo.published && photo.postId === null)).toBe(true);
  });

  it('a 5xx on a photo upload is transient: nothing is public', async () => {
    world.fake.faults.push({ route: 'POST /{page-id}/photos', status: 500, body: graphErrorBody(FACEBOOK_ERRORS.serverError) });
    const card = await world.card('c/card.jpg');
    expect(await publishError(world.channel().publish(world.request('c', 'Halo', [card])))).toMatchObject({ kind: 'transient', code: 'graph:2' });
    expect(world.fake.posts).toEqual([]);
  });

  it('a dropped connection on a photo upload is transient too (at worst a hidden photo)', async () => {
    world.fake.faults.push({ route: 'POST /{page-id}/photos', when: 'after', drop: true });
    const card = await world.card('dp/card.jpg');
    expect((await publishError(world.channel().publish(world.request('dp', 'Halo', [card])))).kind).toBe('transient');
    expect(world.fake.posts).toEqual([]);
  });

  it('koala#699: a 500 code 2 on /feed AFTER the post was created is unclear, and readBack finds the post', async () => {
    world.fake.faults.push({ route: 'POST /{page-id}/feed', when: 'after', status: 500, body: graphErrorBody(FACEBOOK_ERRORS.serverError) });
    const card = await world.card('u/card.jpg');
    const error = await publishError(world.channel().publish(world.request('u', 'Kuota dibuka', [card])));
    expect(error).toMatchObject({ kind: 'unclear', status: 500, code: 'graph:2' });
    expect(error.message).toContain('reconcile by reading the Page back');
    expect(world.fake.posts).toHaveLength(1);
    const back = await world.channel().readBack(new Date('2026-11-27T05:00:00Z'));
    expect(back).toEqual([{ remoteId: world.fake.posts[0]!.id, text: 'Kuota dibuka', publishedAt: new Date('2026-11-27T06:00:00Z'), url: world.fake.posts[0]!.permalink }]);
  });

  it('a dropped connection after /feed created the post is unclear; malformed JSON from /feed too; a 2xx without an id too', async () => {
    const card = await world.card('d/card.jpg');
    world.fake.faults.push({ route: 'POST /{page-id}/feed', when: 'after', drop: true });
    expect((await publishError(world.channel().publish(world.request('d1', 'Halo 1', [card])))).kind).toBe('unclear');
    world.fake.faults.push({ route: 'POST /{page-id}/feed', when: 'after', status: 200, rawBody: '{"id": "1048' });
    expect((await publishError(world.channel().publish(world.request('d2', 'Halo 2', [card])))).kind).toBe('unclear');
    world.fake.faults.push({ route: 'POST /{page-id}/feed', when: 'after', status: 200, body: {} });
    expect((await publishError(world.channel().publish(world.request('d3', 'Halo 3', [card])))).kind).toBe('unclear');
    expect(world.fake.posts.map((p) => p.message)).toEqual(['Halo 1', 'Halo 2', 'Halo 3']);
  });

  it('a /feed that answers too slowly after creating the post is unclear (request timeout)', async () => {
    const card = await world.card('slow/card.jpg');
    world.fake.faults.push({ route: 'POST /{page-id}/feed', when: 'after', delayMs: 5_000 });
    const error = await publishError(world.channel({ options: { requestTimeoutMs: 2_500 } }).publish(world.request('slow', 'Halo', [card])));
    expect(error.kind).toBe('unclear');
    expect(error.message).toContain('timeout');
    expect(world.fake.posts).toHaveLength(1);
  });

  it('a slow answer within the timeout still publishes', async () => {
    const card = await world.card('ok/card.jpg');
    world.fake.faults.push({ route: 'POST /{page-id}/feed', delayMs: 300 });
    const result = await world.channel().publish(world.request('ok', 'Halo', [card]));
    expect(world.fake.posts.map((p) => p.id)).toEqual([result.remoteId]);
  });

  it('a revoked Page token (190) is auth, saying how to make a new one, without the token', async () => {
    world.fake.revokeToken();
    const card = await world.card('a/card.jpg');
    const error = await publishError(world.channel().publish(world.request('a', 'Halo', [card])));
    errors.push(error);
    expect(error).toMatchObject({ kind: 'auth', code: 'graph:190/460' });
    expect(error.message).toContain('make a new Page access token');
    expect(error.message).toContain('put it in .env as FB_PAGE_TOKEN');
  });

  it('a token without pages_manage_posts (#200) is auth naming the permission', async () => {
    world.fake.addToken(SECRET_PAGE_TOKEN, { permissions: ['pages_show_list', 'pages_read_engagement'] });
    const card = await world.card('perm/card.jpg');
    const error = await publishError(world.channel().publish(world.request('perm', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'auth', status: 403, code: 'graph:200' });
    expect(error.message).toContain('pages_manage_posts');
  });

  it('a card Facebook does not take (a GIF: #324) is permanent', async () => {
    const file = 'media/gif/card.jpg';
    fs.mkdirSync(path.join(world.dir, 'media/gif'), { recursive: true });
    fs.writeFileSync(path.join(world.dir, file), Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    const error = await publishError(world.channel().publish(world.request('gif', 'Halo', [{ file, bytes: 14, width: 1, height: 1, mime: 'image/jpeg' }])));
    expect(error).toMatchObject({ kind: 'permanent', code: 'graph:324' });
    expect(error.message).toContain('JPEG or PNG');
  });

  it('a duplicate status (#506) is permanent; a temporary posting block (368/1390008) waits an hour', async () => {
    const card = await world.card('dup/card.jpg');
    world.fake.faults.push({ route: 'POST /{page-id}/feed', status: 400, body: graphErrorBody(FACEBOOK_ERRORS.duplicate) });
    expect(await publishError(world.channel().publish(world.request('dup', 'Halo', [card])))).toMatchObject({ kind: 'permanent', code: 'graph:506' });
    world.fake.faults.push({ route: 'POST /{page-id}/feed', status: 400, body: graphErrorBody(FACEBOOK_ERRORS.blocked) });
    const blocked = await publishError(world.channel().publish(world.request('blk', 'Halo', [card])));
    expect(blocked).toMatchObject({ kind: 'rate-limited', code: 'graph:368/1390008', retryAt: new Date('2026-11-27T07:00:00Z') });
    expect(world.fake.posts).toEqual([]);
  });

  it('a failed permalink lookup after publishing does not fail the publish: url null', async () => {
    world.fake.faults.push({ route: 'GET /{post-id}', status: 500, body: graphErrorBody(FACEBOOK_ERRORS.serverError) });
    const card = await world.card('pl/card.jpg');
    const result = await world.channel().publish(world.request('pl', 'Halo', [card]));
    expect(result).toMatchObject({ remoteId: world.fake.posts[0]!.id, url: null });
  });

  it('reads back published posts newest first, since a time, across pages', async () => {
    const channel = world.channel({ options: { readBackPageSize: 2 } });
    for (let i = 1; i <= 5; i += 1) {
      await channel.publish(world.request(`r${i}`, `pos ${i}`, []));
      await world.clock.sleep(60_000);
    }
    expect((await channel.readBack(new Date('2026-11-27T06:02:30Z'))).map((p) => p.text)).toEqual(['pos 5', 'pos 4']);
    const all = await channel.readBack(new Date(0));
    expect(all.map((p) => [p.text, p.publishedAt.toISOString()])).toEqual([
      ['pos 5', '2026-11-27T06:04:00.000Z'],
      ['pos 4', '2026-11-27T06:03:00.000Z'],
      ['pos 3', '2026-11-27T06:02:00.000Z'],
      ['pos 2', '2026-11-27T06:01:00.000Z'],
      ['pos 1', '2026-11-27T06:00:00.000Z'],
    ]);
  });

  it('a read-back that cannot see every post since the time throws instead of answering "not found"', async () => {
    const channel = world.channel({ options: { readBackPageSize: 2, readBackPages: 2 } });
    for (let i = 1; i <= 5; i += 1) await channel.publish(world.request(`m${i}`, `pos ${i}`, []));
    await expect(channel.readBack(new Date(0))).rejects.toMatchObject({ name: 'PublishError', kind: 'transient', code: 'readback:incomplete' });
  });

  it('a read-back refused for a revoked token throws auth', async () => {
    world.fake.revokeToken();
    const error = await publishError(world.channel().readBack(new Date(0)));
    errors.push(error);
    expect(error.kind).toBe('auth');
  });

  it('refuses to start without the token variable, its value, or the Page id: config errors naming what to set, never a value', () => {
    const attempt = (env: Record<string, string | undefined>, config = {}) => () => world.channel({ deps: { env }, config });
    expect(attempt({})).toThrow(AppError);
    expect(attempt({})).toThrow(/FB_PAGE_TOKEN is not set: put the Facebook Page access token in \.env/);
    expect(attempt({ FB_PAGE_TOKEN: SECRET_PAGE_TOKEN }, { credentials: {} })).toThrow(/^herald\.yaml:14:5: channel "facebook" needs credentials\.accessToken/);
    expect(attempt({ FB_PAGE_TOKEN: SECRET_PAGE_TOKEN }, { pageId: undefined })).toThrow(/^herald\.yaml:14:5: channel "facebook" needs pageId/);
    try {
      attempt({ FB_PAGE_TOKEN: SECRET_PAGE_TOKEN }, { pageId: undefined })();
    } catch (error) {
      errors.push(error);
    }
  });
});
