import { createXChannel } from '../../../src/channels/x/x-channel';
import { PublishError } from '../../../src/channels/publish-error';
import { createSilentLogger } from '../../../src/logger';
import { ENV, START, SECRETS, expectNoSecrets, failureOf, publishRequest, startXRig, writePngCard, xConfig, type XRig } from './x-harness';

describe('channels/x publish', () => {
  let rig: XRig;
  afterEach(async () => rig.close());

  it('uploads the real PNG in chunks, sets its alt text, and posts the text with the media id', async () => {
    rig = await startXRig({}, { chunkBytes: 4096 });
    const card = await writePngCard(rig.dir, 'p1.png', 'Kartu: kuota paspor reguler 120, percepatan 20, dibuka Jumat 14.00 WIB');
    rig.clock.set(new Date('2026-11-27T06:00:02Z'));

    const result = await rig.channel.publish(publishRequest(rig.dir, 'p1', 'Kuota paspor dibuka Jumat 14.00 WIB', [card.media]));

    const [tweet, ...others] = rig.server.tweets;
    expect(others).toEqual([]);
    expect(tweet!.text).toBe('Kuota paspor dibuka Jumat 14.00 WIB');
    expect(tweet!.createdAt.toISOString()).toBe('2026-11-27T06:00:02.000Z');
    const media = rig.server.media.get(tweet!.mediaIds[0]!)!;
    expect(tweet!.mediaIds).toEqual([media.id]);
    expect(media.bytes.equals(card.bytes)).toBe(true);
    expect(media.mime).toBe('image/png');
    expect(media.category).toBe('tweet_image');
    expect(media.altText).toBe('Kartu: kuota paspor reguler 120, percepatan 20, dibuka Jumat 14.00 WIB');
    // The card is bigger than one 4 KB chunk: it really went through several appends.
    const appends = rig.server.requests.filter((r) => r.route === 'POST /2/media/upload/:id/append');
    expect(appends.length).toBe(Math.ceil(card.bytes.length / 4096));
    expect(appends.length).toBeGreaterThan(1);
    expect(rig.server.requests.map((r) => r.route).filter((r) => !r.endsWith('/append'))).toEqual([
      'POST /2/media/upload/initialize',
      'POST /2/media/upload/:id/finalize',
      'POST /2/media/metadata',
      'POST /2/tweets',
    ]);
    expect(result).toEqual({ remoteId: tweet!.id, url: `https://x.com/i/status/${tweet!.id}`, publishedAt: new Date('2026-11-27T06:00:02Z') });
  });

  it('posts several cards in order, and text-only posts without media', async () => {
    rig = await startXRig();
    const a = await writePngCard(rig.dir, 'a.png', 'kartu satu');
    const b = await writePngCard(rig.dir, 'b.png', 'kartu dua');
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'dua kartu', [a.media, b.media]));
    await rig.channel.publish(publishRequest(rig.dir, 'p2', 'tanpa gambar'));
    const [first, second] = rig.server.tweets;
    expect(first!.mediaIds.map((id) => rig.server.media.get(id)!.altText)).toEqual(['kartu satu', 'kartu dua']);
    expect(second).toEqual(expect.objectContaining({ text: 'tanpa gambar', mediaIds: [] }));
  });

  it('waits for media processing on the injected clock, checking STATUS as X asks', async () => {
    rig = await startXRig({ processingPolls: 2 }, { mediaPollDelayMs: undefined });
    const card = await writePngCard(rig.dir, 'p.png', 'alt');
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'diproses dulu', [card.media]));
    expect(rig.server.requests.filter((r) => r.route === 'GET /2/media/upload')).toHaveLength(2);
    // check_after_secs is 1: two waits of one second, on the virtual clock (no real sleep).
    expect(rig.clock.now().toISOString()).toBe('2026-11-27T06:00:02.000Z');
    expect(rig.server.tweets).toHaveLength(1);
  });

  it('gives up on media that never finishes processing as transient, without posting', async () => {
    rig = await startXRig({ processingPolls: 50 }, { mediaMaxPolls: 3 });
    const card = await writePngCard(rig.dir, 'p.png', 'alt');
    const error = await failureOf(rig.channel.publish(publishRequest(rig.dir, 'p1', 'lambat', [card.media])));
    expect(error).toEqual(expect.objectContaining({ kind: 'transient' }));
    expect(rig.server.tweets).toEqual([]);
  });

  it('signs with HMAC-SHA1 over the real X URL: a wrong app secret or access secret is refused', async () => {
    rig = await startXRig();
    for (const env of [
      { ...ENV, X_APP_SECRET: 'wrong-app-secret' },
      { ...ENV, X_ACCESS_SECRET: 'wrong-access-secret' },
    ]) {
      const error = await failureOf(rig.channelWith(env).publish(publishRequest(rig.dir, 'p1', 'tanda tangan salah')));
      expect(error).toBeInstanceOf(PublishError);
      expect(error).toEqual(expect.objectContaining({ kind: 'auth', status: 401 }));
      expectNoSecrets(error);
    }
    expect(rig.server.requests.map((r) => r.authProblem)).toEqual(['signature does not match', 'signature does not match']);
    expect(rig.server.tweets).toEqual([]);
    // The right secrets pass the same check.
    await rig.channel.publish(publishRequest(rig.dir, 'p2', 'tanda tangan benar'));
    expect(rig.server.tweets.map((t) => t.text)).toEqual(['tanda tangan benar']);
  });

  it('keeps the latest rate-limit headers per endpoint', async () => {
    rig = await startXRig({ dailyCap: 17 });
    const card = await writePngCard(rig.dir, 'p.png', 'alt');
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'satu', [card.media]));
    await rig.channel.publish(publishRequest(rig.dir, 'p2', 'dua'));
    const tweets = rig.channel.rateLimits().find((s) => s.endpoint === 'POST /2/tweets')!;
    expect(tweets.window).toEqual({ limit: 100, remaining: 98, resetAt: new Date(START.getTime() + 15 * 60_000) });
    expect(tweets.userDay).toEqual({ limit: 17, remaining: 15, resetAt: new Date(START.getTime() + 24 * 3_600_000) });
    expect(rig.channel.rateLimits().map((s) => s.endpoint)).toEqual(
      expect.arrayContaining(['POST /2/media/upload/initialize', 'POST /2/media/upload/:id/append', 'POST /2/media/metadata']),
    );
  });

  it('declares the X limits with the configured daily cap', () => {
    const channel = createXChannel(xConfig({ dailyCap: 17 }), { clock: { now: () => START, sleep: async () => undefined }, logger: createSilentLogger(), outboxDir: '/nonexistent', env: ENV, fetch });
    expect(channel.limits.dailyCap).toBe(17);
    expect(channel.limits.maxImages).toBe(4);
    expect(JSON.stringify(channel.limits)).not.toContain(SECRETS.appSecret);
  });
});
