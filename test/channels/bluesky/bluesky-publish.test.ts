import { postRecordKey, inKeyBand } from '../../../src/channels/bluesky/record-key';
import { PublishError } from '../../../src/channels/publish-error';
import { startBlueskyWorld, type BlueskyWorld } from './bluesky-world';

const utf8 = (text: string, start: number, end: number): string => Buffer.from(text, 'utf8').subarray(start, end).toString('utf8');

describe('channels/bluesky: publish', () => {
  let world: BlueskyWorld;
  beforeEach(async () => {
    world = await startBlueskyWorld();
  });
  afterEach(() => world.close());

  it('uploads the card, then writes one post under the key of post and revision, with alt text, aspect ratio, createdAt and langs', async () => {
    const card = world.card('p1/card.jpg', 4096, 'Kartu kuota paspor: Senin 40 kuota');
    const result = await world.channel().publish(world.request('p1', 'Kuota paspor dibuka pukul 08.00 WIB', [card]));

    const [post, ...more] = world.fake.posts();
    expect(more).toEqual([]);
    const rkey = postRecordKey('p1', 1);
    expect(post!.rkey).toBe(rkey);
    expect(inKeyBand(rkey)).toBe(true);
    expect(result).toEqual({ remoteId: `at://${world.fake.did}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/${world.fake.handle}/post/${rkey}`, publishedAt: new Date('2026-11-27T06:00:00Z') });
    const [blob] = [...world.fake.blobs.values()];
    expect(blob).toMatchObject({ size: 4096, mimeType: 'image/jpeg' });
    expect(post!.value).toEqual({
      $type: 'app.bsky.feed.post',
      text: 'Kuota paspor dibuka pukul 08.00 WIB',
      createdAt: '2026-11-27T06:00:00.000Z',
      langs: ['id'],
      embed: { $type: 'app.bsky.embed.images', images: [{ alt: 'Kartu kuota paspor: Senin 40 kuota', aspectRatio: { width: 1080, height: 1350 }, image: { $type: 'blob', ref: { $link: blob!.cid }, mimeType: 'image/jpeg', size: 4096 } }] },
    });
    // The order a publish must keep: upload, then the record; the session was made once.
    expect(world.fake.calls).toEqual(['POST com.atproto.server.createSession', 'POST com.atproto.repo.uploadBlob', 'POST com.atproto.repo.putRecord']);
  });

  it('posts several cards in order, each with its own alt text', async () => {
    const cards = [world.card('p2/a.jpg', 1000, 'alt satu'), world.card('p2/b.jpg', 2000, 'alt dua'), world.card('p2/c.jpg', 3000, 'alt tiga')];
    await world.channel().publish(world.request('p2', 'Tiga kartu', cards));
    const images = (world.fake.posts()[0]!.value.embed as { images: { alt: string; image: { size: number } }[] }).images;
    expect(images.map((i) => [i.alt, i.image.size])).toEqual([['alt satu', 1000], ['alt dua', 2000], ['alt tiga', 3000]]);
  });

  it('marks links and hashtags with facets in UTF-8 byte offsets, after emoji and multi-byte text', async () => {
    const text = '📢 Kuota “Paspor” dibuka — 08.00 WIB 🇮🇩 Info: imigrasi.go.id/kuota. Daftar: https://antrian.imigrasi.go.id/daftar?x=1 (atau https://antre.example.travel/p) #KanimPontianak #Paspor2026 humas@imigrasi.go.id';
    await world.channel().publish(world.request('p3', text, [world.card('p3/card.jpg')]));
    const value = world.fake.posts()[0]!.value as unknown as { text: string; facets: { index: { byteStart: number; byteEnd: number }; features: Record<string, string>[] }[] };
    expect(value.text).toBe(text);
    const seen = value.facets.map((f) => [utf8(text, f.index.byteStart, f.index.byteEnd), f.features[0]]);
    expect(seen).toEqual([
      ['imigrasi.go.id/kuota', { $type: 'app.bsky.richtext.facet#link', uri: 'https://imigrasi.go.id/kuota' }],
      ['https://antrian.imigrasi.go.id/daftar?x=1', { $type: 'app.bsky.richtext.facet#link', uri: 'https://antrian.imigrasi.go.id/daftar?x=1' }],
      // Any domain when the scheme is written; the unmatched ")" is not part of the link.
      ['https://antre.example.travel/p', { $type: 'app.bsky.richtext.facet#link', uri: 'https://antre.example.travel/p' }],
      ['#KanimPontianak', { $type: 'app.bsky.richtext.facet#tag', tag: 'KanimPontianak' }],
      ['#Paspor2026', { $type: 'app.bsky.richtext.facet#tag', tag: 'Paspor2026' }],
    ]);
    // Byte offsets, not UTF-16 indexes: the emoji and the dash put them far apart.
    expect(value.facets[0]!.index.byteStart).toBe(Buffer.byteLength(text.slice(0, text.indexOf('imigrasi.go.id/kuota'))));
    expect(value.facets[0]!.index.byteStart).not.toBe(text.indexOf('imigrasi.go.id/kuota'));
  });

  it('never doubles a post: a second publish of the same revision finds the first; a new revision is a new post', async () => {
    const channel = world.channel();
    const first = await channel.publish(world.request('p4', 'Kuota dibuka', [world.card('p4/card.jpg')]));
    await world.clock.sleep(60_000);
    const again = await channel.publish(world.request('p4', 'Kuota dibuka', [world.card('p4/card.jpg')]));
    expect(again).toEqual(first);
    expect(world.fake.posts()).toHaveLength(1);
    expect(world.fake.calls.filter((c) => c.endsWith('getRecord'))).toHaveLength(1);

    const revised = await channel.publish(world.request('p4', 'Kuota dibuka (ralat)', [world.card('p4/card.jpg')], 2));
    expect(revised.remoteId).not.toBe(first.remoteId);
    expect(world.fake.posts()).toHaveLength(2);
  });

  it('refuses a card over 1,000,000 bytes in check (days ahead) and in publish, uploading nothing', async () => {
    const channel = world.channel();
    const big = world.card('p5/big.jpg', 1_000_001);
    const errors = channel.check({ text: 'Kuota', media: [big] }).filter((p) => p.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining('p5/big.jpg') })]);
    expect(channel.check({ text: 'Kuota', media: [world.card('p5/ok.jpg', 1_000_000)] })).toEqual([]);
    const error = await channel.publish(world.request('p5', 'Kuota', [big])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'BlobTooLarge' });
    expect(world.fake.calls.filter((c) => c.endsWith('uploadBlob'))).toEqual([]);
  });

  it('says so when the PDS refuses a blob as too large (a server with a lower limit)', async () => {
    await world.close();
    world = await startBlueskyWorld({ fake: { maxBlobBytes: 500_000 } });
    const error = await world.channel().publish(world.request('p6', 'Kuota', [world.card('p6/card.jpg', 600_000)])).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', code: 'BlobTooLarge', status: 400 });
    expect(world.fake.posts()).toEqual([]);
  });

  it('checks text as Bluesky counts it: 300 graphemes and 3,000 bytes', () => {
    const channel = world.channel();
    // 300 family emoji are 300 graphemes but 7,500 bytes.
    const family = '👨‍👩‍👧‍👦'.repeat(300);
    expect(channel.check({ text: family, media: [] }).map((p) => p.message)).toEqual([expect.stringMatching(/UTF-8 bytes, over the limit of 3000/)]);
    expect(channel.check({ text: 'é'.repeat(300), media: [] })).toEqual([]);
    expect(channel.check({ text: 'a'.repeat(301), media: [] }).map((p) => p.message)).toEqual([expect.stringMatching(/301 characters \(graphemes/)]);
  });

  it('reads back the bot’s posts since a time, newest first, and skips posts made in the app', async () => {
    const channel = world.channel();
    world.fake.addForeignPost('dibuat di aplikasi', new Date('2026-11-27T06:00:10Z'));
    await channel.publish(world.request('r1', 'pertama', []));
    await world.clock.sleep(60_000);
    const second = await channel.publish(world.request('r2', 'kedua', []));
    await world.clock.sleep(60_000);
    await channel.publish(world.request('r3', 'ketiga', []));
    const back = await channel.readBack(new Date('2026-11-27T06:00:30Z'));
    expect(back.map((p) => p.text)).toEqual(['ketiga', 'kedua']);
    expect(back[1]).toEqual({ remoteId: second.remoteId, text: 'kedua', publishedAt: second.publishedAt, url: second.url });
    // Public reads: no session needed, and none was made for them.
    expect(world.fake.calls.filter((c) => c.endsWith('listRecords'))).toEqual(['GET com.atproto.repo.listRecords']);
  });

  it('throws rather than answering [] when it cannot read everything', async () => {
    const channel = world.channel({ options: { readBackMaxPages: 1 } });
    world.fake.faults.push({ route: 'com.atproto.repo.listRecords', status: 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } });
    await expect(channel.readBack(new Date(0))).rejects.toMatchObject({ kind: 'transient', status: 502 });
    for (let i = 0; i < 101; i += 1) await channel.publish(world.request(`many-${i}`, `pos ${i}`, []));
    await expect(channel.readBack(new Date(0))).rejects.toMatchObject({ kind: 'transient', code: 'read-limit' });
    expect(await world.channel({ options: { readBackMaxPages: 2 } }).readBack(new Date(0))).toHaveLength(101);
  });
});
