/**
 * Unclear outcomes on Instagram: the scheduler with the real Graph driver
 * against the fake Graph server (which downloads the card from the bot's real
 * media server) and a real ledger on both dialects. A media that went out is
 * found by the early read at once; one that did not waits for the settle delay.
 */
import { claimDue, markAttemptPhase, releaseAllLeases } from '../../src/store/claims';
import { requestFor } from '../../src/schedule/ledger-post';
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

  const READ_BACK = 'GET /{ig-user-id}/media';
  const PUBLISH = 'POST /{ig-user-id}/media_publish';
  const readBacks = (): number => world.fake.requests.filter((r) => r.route === READ_BACK).length;
  const publishes = (): number => world.fake.requests.filter((r) => r.route === PUBLISH).length;

  it('media published but the connection dropped: reconciled at once by the early read, with the media id and permalink', async () => {
    await rig.seed([{ n: 1, channelId: 'instagram', text: CAPTION, media: [card], dueAt: START, deadline: after(START, 3_600_000) }]);
    world.fake.faults.push({ route: PUBLISH, when: 'after', drop: true });

    await rig.tickAt(START);
    const [media, ...more] = world.fake.published;
    expect(more).toEqual([]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: media!.id, remoteUrl: media!.permalink });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    expect(readBacks()).toBe(1);

    await rig.tickAt(after(START, 21_000));
    expect(readBacks()).toBe(1);
    // One container, one publish: nothing was sent twice.
    expect(world.fake.containers.size).toBe(1);
    expect(publishes()).toBe(1);
    expect(rig.alerts).toEqual([]);
  });

  it('a bot killed after "sending": the media that went out is published at the first pass after the restart; the one that did not is sent once after the settle delay', async () => {
    await rig.seed([
      { n: 1, channelId: 'instagram', text: `${CAPTION} (1)`, media: [card], dueAt: START, deadline: after(START, 3_600_000) },
      { n: 2, channelId: 'instagram', text: `${CAPTION} (2)`, media: [card], dueAt: START, deadline: after(START, 3_600_000) },
    ]);
    // The previous run passed the point of no return for both; only the first media_publish went through.
    const claimed = await claimDue(ctx.store, { now: START, owner: 'killed@1', leaseMs: 120_000, limit: 2 });
    for (const post of claimed) await markAttemptPhase(ctx.store, { id: post.id, revision: post.revision, owner: 'killed@1' }, 'sending');
    await world.channel().publish(requestFor(claimed[0]!, world.dir));
    const restart = after(START, 5_000);
    world.clock.set(restart);
    expect((await releaseAllLeases(ctx.store, restart)).map((p) => p.id)).toEqual(['post-1', 'post-2']);

    await rig.tickAt(restart);
    expect(readBacks()).toBe(1);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: world.fake.published[0]!.id, remoteUrl: world.fake.published[0]!.permalink });
    expect(await rig.post(2)).toMatchObject({ state: 'unknown' });
    expect(publishes()).toBe(1);

    for (const ms of [5_000, 10_000, 19_999]) await rig.tickAt(after(restart, ms));
    expect(readBacks()).toBe(1);
    expect(publishes()).toBe(1);
    await rig.tickAt(after(restart, 20_000));
    expect(readBacks()).toBe(2);
    expect(publishes()).toBe(2);
    expect(world.fake.published.map((m) => m.caption)).toEqual([`${CAPTION} (1)`, `${CAPTION} (2)`]);
    expect(await rig.post(2)).toMatchObject({ state: 'published', remoteId: world.fake.published[1]!.id });
    expect(await rig.outcomes(2)).toEqual(['unknown', 'not-found', 'published']);
    expect(rig.alerts).toEqual([]);
  });

  it('token revoked while a post is unknown: undecided alert once past the deadline; found once the token works again', async () => {
    await rig.seed([{ n: 1, channelId: 'instagram', text: CAPTION, media: [card], dueAt: START, deadline: after(START, 60_000) }]);
    world.fake.faults.push({ route: PUBLISH, when: 'after', status: 500, body: graphErrorBody(GRAPH_ERRORS.serverError) });
    // Revoked right after the publish: the early read, in the same pass, is already refused.
    world.fake.faults.push({ route: READ_BACK, status: GRAPH_ERRORS.invalidToken.status, body: graphErrorBody(GRAPH_ERRORS.invalidToken) });
    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('unknown');
    expect(readBacks()).toBe(1);
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
