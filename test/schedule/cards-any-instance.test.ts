/**
 * Cards from any instance (issue 8, section 3): a post rendered by instance A
 * (its card on A's disk) is claimed and published by instance B, which has
 * another data directory. Before, B's X upload failed with ENOENT and the post
 * went dead at its first attempt, and B's media server answered Instagram 404.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OUTBOX_FILE, readOutbox } from '../../src/channels/outbox/outbox-channel';
import { findCard } from '../../src/store/card-store';
import { getAttempts } from '../../src/store/ledger';
import { DIALECTS, useTestStore } from '../support/databases';
import { DUE, startClusterRig, type ClusterRig } from './cluster-cards-rig';

const sha256 = (bytes: Buffer): string => crypto.createHash('sha256').update(bytes).digest('hex');
const BEFORE_DUE = new Date(DUE.getTime() - 8 * 60_000); // inside the sample's 10 render-ahead minutes

describe.each(DIALECTS)('schedule: cards from any instance on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let rig: ClusterRig;
  beforeEach(async () => {
    rig = await startClusterRig(ctx.store);
  });
  afterEach(async () => rig.close());

  it('a card rendered on A is stored with the rendering; B publishes it to X and serves it to Instagram', async () => {
    const a = await rig.instance('a', { publishes: false });
    const b = await rig.instance('b');
    await a.tickAt(BEFORE_DUE);

    const cards = new Map<string, Buffer>();
    for (const post of [rig.posts.x, rig.posts.instagram]) {
      // Ready means stored: the bytes are in the database the moment the post can be claimed.
      expect((await rig.current(post.id)).state).toBe('ready');
      const [media, ...more] = (await rig.rendered(post.id)).media;
      expect(more).toEqual([]);
      const onA = fs.readFileSync(path.join(a.dataDir, media!.file));
      const stored = await findCard(ctx.store, media!.file);
      expect(stored).toMatchObject({ mime: media!.mime, width: media!.width, height: media!.height, sha256: sha256(onA) });
      expect(stored!.bytes.equals(onA)).toBe(true);
      expect(media!.sha256).toBe(sha256(onA));
      expect(fs.existsSync(path.join(b.dataDir, media!.file))).toBe(false);
      cards.set(post.id, onA);
    }
    expect(rig.x.tweets).toEqual([]);

    await b.tickAt(DUE);

    const [tweet, ...moreTweets] = rig.x.tweets;
    expect(moreTweets).toEqual([]);
    expect(rig.x.media.get(tweet!.mediaIds[0]!)!.bytes.equals(cards.get(rig.posts.x.id)!)).toBe(true);
    const [igPost, ...moreIg] = rig.instagram.published;
    expect(moreIg).toEqual([]);
    expect(igPost!.items.map((item) => item.sha256)).toEqual([sha256(cards.get(rig.posts.instagram.id)!)]);
    // Instagram fetched the image from B's media server (200: the fake refuses anything else).
    const fetched = [...rig.instagram.containers.values()].map((c) => c.image?.url);
    expect(fetched).toEqual([expect.stringMatching(new RegExp(`^${b.media.address}/m/[0-9a-f]{64}/`))]);

    expect(await rig.current(rig.posts.x.id)).toMatchObject({ state: 'published', remoteId: tweet!.id });
    expect(await rig.current(rig.posts.instagram.id)).toMatchObject({ state: 'published', remoteId: igPost!.id });
    expect(rig.alerts).toEqual([]);
  });

  it('B passes over a stale file of the same path on its own disk and sends the stored rendering', async () => {
    const a = await rig.instance('a', { publishes: false });
    const b = await rig.instance('b');
    await a.tickAt(BEFORE_DUE);
    const [media] = (await rig.rendered(rig.posts.x.id)).media;
    // B drew this revision once, before a template change that A then rendered anew.
    fs.mkdirSync(path.dirname(path.join(b.dataDir, media!.file)), { recursive: true });
    fs.writeFileSync(path.join(b.dataDir, media!.file), 'an older drawing of this card');

    await b.tickAt(DUE);

    const [tweet] = rig.x.tweets;
    expect(rig.x.media.get(tweet!.mediaIds[0]!)!.bytes.equals(fs.readFileSync(path.join(a.dataDir, media!.file)))).toBe(true);
  });

  it('the outbox on B writes the card A rendered into its own data directory, from the database', async () => {
    const a = await rig.instance('a', { publishes: false });
    const b = await rig.instance('b', { publishes: false });
    await a.tickAt(BEFORE_DUE);
    await b.tickAt(DUE);

    const records = readOutbox(path.join(b.dataDir, OUTBOX_FILE));
    expect(records.map((r) => r.postId).sort()).toEqual([rig.posts.x.id, rig.posts.instagram.id].sort());
    for (const record of records) {
      const [media] = record.media;
      expect(fs.readFileSync(path.join(b.dataDir, media!.file)).equals(fs.readFileSync(path.join(a.dataDir, media!.file)))).toBe(true);
    }
  });

  it('a card lost everywhere is rendered again on B and published, not dead', async () => {
    const a = await rig.instance('a', { publishes: false });
    const b = await rig.instance('b');
    await a.tickAt(BEFORE_DUE);
    // A's disk is gone and the database holds no bytes (as for a rendering from before the media table).
    fs.rmSync(path.join(a.dataDir, 'media'), { recursive: true });
    await ctx.store.db.deleteFrom('media').execute();

    await b.tickAt(DUE);

    for (const post of [rig.posts.x, rig.posts.instagram]) {
      expect((await rig.current(post.id)).state).toBe('published');
      expect((await getAttempts(ctx.store, post.id)).map((attempt) => attempt.outcome)).toEqual(['card-missing', 'published']);
      // Drawn again on B, and stored for the next instance that needs it.
      const [media] = (await rig.rendered(post.id)).media;
      const onB = fs.readFileSync(path.join(b.dataDir, media!.file));
      expect((await findCard(ctx.store, media!.file))!.bytes.equals(onB)).toBe(true);
    }
    expect(rig.x.media.get(rig.x.tweets[0]!.mediaIds[0]!)!.bytes.length).toBeGreaterThan(1000);
    expect(rig.instagram.published).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });

  it("renders each office's cards into its own folder, media/<office>/<post>/r<revision>/", async () => {
    const a = await rig.instance('a', { publishes: false });
    await a.tickAt(BEFORE_DUE);
    for (const post of [rig.posts.x, rig.posts.instagram]) {
      const [media] = (await rig.rendered(post.id)).media;
      expect(media!.file).toMatch(new RegExp(`^media/${post.officeId}/${post.id}/r1/card\\.(png|jpg)$`));
      expect(fs.existsSync(path.join(a.dataDir, media!.file))).toBe(true);
      expect(await findCard(ctx.store, media!.file)).not.toBeNull();
    }
  });

  it('a card rendered before the per-office folders (media/<post>/r<revision>/) is still read, published and served by its recorded path', async () => {
    const a = await rig.instance('a', { publishes: false });
    const b = await rig.instance('b');
    await a.tickAt(BEFORE_DUE);
    const legacyPaths: string[] = [];
    for (const post of [rig.posts.x, rig.posts.instagram]) {
      // As an older version wrote it: the same card, one folder less, in the rendering, on A's disk and in the database.
      const rendered = await rig.rendered(post.id);
      const legacy = { ...rendered, media: rendered.media.map((media) => ({ ...media, file: media.file.replace(`media/${post.officeId}/`, 'media/') })) };
      for (const [index, media] of rendered.media.entries()) {
        const old = legacy.media[index]!.file;
        fs.mkdirSync(path.dirname(path.join(a.dataDir, old)), { recursive: true });
        fs.renameSync(path.join(a.dataDir, media.file), path.join(a.dataDir, old));
        await ctx.store.db.updateTable('media').set({ file: old }).where('file', '=', media.file).execute();
        legacyPaths.push(old);
      }
      await ctx.store.db.updateTable('posts').set({ rendered_json: JSON.stringify(legacy) }).where('id', '=', post.id).execute();
    }
    expect(legacyPaths).toEqual([expect.stringMatching(/^media\/[0-9a-f]{20}\/r1\//), expect.stringMatching(/^media\/[0-9a-f]{20}\/r1\//)]);

    await b.tickAt(DUE);

    const [xLegacy, igLegacy] = legacyPaths;
    expect(rig.x.media.get(rig.x.tweets[0]!.mediaIds[0]!)!.bytes.equals(fs.readFileSync(path.join(a.dataDir, xLegacy!)))).toBe(true);
    expect(rig.instagram.published[0]!.items[0]!.sha256).toBe(sha256(fs.readFileSync(path.join(a.dataDir, igLegacy!))));
    // Instagram fetched it from B's media server under its old path.
    expect([...rig.instagram.containers.values()].map((c) => c.image?.url)).toEqual([expect.stringMatching(new RegExp(`/m/[0-9a-f]{64}/${igLegacy!.replace(/^media\//, '').replace(/\./g, '\\.')}$`))]);
    for (const post of [rig.posts.x, rig.posts.instagram]) expect((await rig.current(post.id)).state).toBe('published');
    expect(rig.alerts).toEqual([]);
  });

  it('an old data directory keeps working: cards on disk with no database row (and no hash) are published and served', async () => {
    const a = await rig.instance('a');
    await a.tickAt(BEFORE_DUE);
    // As rendered before migration 0005: no bytes in the database, no sha256 in the rendering.
    await ctx.store.db.deleteFrom('media').execute();
    for (const post of [rig.posts.x, rig.posts.instagram]) {
      const rendered = await rig.rendered(post.id);
      const legacy = { ...rendered, media: rendered.media.map(({ sha256: _, ...media }) => media) };
      await ctx.store.db.updateTable('posts').set({ rendered_json: JSON.stringify(legacy) }).where('id', '=', post.id).execute();
    }

    await a.tickAt(DUE);

    const [xMedia] = (await rig.rendered(rig.posts.x.id)).media;
    const [igMedia] = (await rig.rendered(rig.posts.instagram.id)).media;
    expect(rig.x.media.get(rig.x.tweets[0]!.mediaIds[0]!)!.bytes.equals(fs.readFileSync(path.join(a.dataDir, xMedia!.file)))).toBe(true);
    expect(rig.instagram.published[0]!.items[0]!.sha256).toBe(sha256(fs.readFileSync(path.join(a.dataDir, igMedia!.file))));
    expect((await rig.current(rig.posts.instagram.id)).state).toBe('published');
  });
});
