/**
 * Unclear outcomes on Instagram: the scheduler with the real Graph driver
 * against the fake Graph server (which downloads the card from the bot's real
 * media server) and a real ledger on both dialects.
 */
import { DIALECTS, useTestStore } from '../support/databases';
import { SECRET_TOKEN, startInstagramWorld, type InstagramWorld } from '../fakes/instagram/instagram-setup';
import { graphErrorBody, GRAPH_ERRORS } from '../fakes/instagram/graph-error-bodies';
import type { RenderedMedia } from '../../src/render/types';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const START = new Date('2026-11-27T06:00:00Z');
const CAPTION = 'Kuota paspor dibuka Jumat pukul 14.00 WIB.\n\nReguler: 120 slot\nPercepatan: 20 slot\n#imigrasi #paspor';

describe.each(DIALECTS)('schedule/reconcile with the Instagram driver on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let world: InstagramWorld;
  let rig: ReconcileRig;
  let card: RenderedMedia;

  beforeEach(async () => {
    world = await startInstagramWorld({ start: START.toISOString() });
    rig = createReconcileRig({ store: ctx.store, clock: world.clock, channels: [world.channel()], mediaRoot: world.dir });
    card = { ...(await world.card('post-1/r1/card.jpg')), mime: 'image/jpeg', alt: 'Kartu kuota paspor' };
  });
  afterEach(async () => world.close());

  const readBacks = (): number => world.fake.requests.filter((r) => r.route === 'GET /{ig-user-id}/media').length;

  it('media published but the connection dropped: unknown, then reconciled with the media id and permalink', async () => {
    await rig.seed([{ n: 1, channelId: 'instagram', text: CAPTION, media: [card], dueAt: START, deadline: after(START, 3_600_000) }]);
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', when: 'after', drop: true });

    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('unknown');
    expect(world.fake.published).toHaveLength(1);

    // The container polls moved the virtual clock a few ms: the post settles just after +20 s.
    await rig.tickAt(after(START, 21_000));
    const [media, ...more] = world.fake.published;
    expect(more).toEqual([]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: media!.id, remoteUrl: media!.permalink });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    // One container, one publish: nothing was sent twice.
    expect(world.fake.containers.size).toBe(1);
    expect(world.fake.requests.filter((r) => r.route === 'POST /{ig-user-id}/media_publish')).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });

  it('token revoked while a post is unknown: undecided alert once past the deadline; found once the token works again', async () => {
    await rig.seed([{ n: 1, channelId: 'instagram', text: CAPTION, media: [card], dueAt: START, deadline: after(START, 60_000) }]);
    world.fake.faults.push({ route: 'POST /{ig-user-id}/media_publish', when: 'after', status: 500, body: graphErrorBody(GRAPH_ERRORS.serverError) });
    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('unknown');
    world.fake.revokeToken(SECRET_TOKEN);

    for (let ms = 20_000; ms <= 8 * 60_000; ms += 20_000) await rig.tickAt(after(START, ms));
    expect((await rig.post(1)).state).toBe('unknown');
    expect(rig.alerts.map((a) => a.kind)).toEqual(['reconcile-undecided']);
    expect(rig.alerts[0]!.message).toContain('instagram');
    expect(rig.alerts[0]!.message).not.toContain(SECRET_TOKEN);
    expect(readBacks()).toBeLessThanOrEqual(6);

    world.fake.addToken(SECRET_TOKEN);
    await rig.tickAt(after(START, 30 * 60_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: world.fake.published[0]!.id });
    expect(world.fake.published).toHaveLength(1);
  });
});
