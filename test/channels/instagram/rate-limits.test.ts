/**
 * Meta's rate limits as the Graph API really sends them: HTTP 400/403 with
 * code 4 (app), 17 (user), 32 (page) or 613 (custom), and usage headers
 * (X-App-Usage; X-Business-Use-Case-Usage with estimated_time_to_regain_access
 * in minutes), not HTTP 429. The real driver against the fake Graph server;
 * then through the scheduler: a reset before the deadline is waited for and
 * the post goes out; a reset after it expires the post with the reason.
 */
import { PublishError } from '../../../src/channels/publish-error';
import { publishError, startInstagramWorld, type InstagramWorld } from '../../fakes/instagram/instagram-setup';
import { after, createReconcileRig } from '../../schedule/reconcile-rig';
import { useTestStore } from '../../support/databases';

const START = new Date('2026-11-27T06:00:00Z');
const MINUTE = 60_000;

describe('channels/instagram: Graph rate limits (codes 4, 17, 32, 613)', () => {
  let world: InstagramWorld;
  beforeEach(async () => {
    world = await startInstagramWorld({ start: START.toISOString() });
  });
  afterEach(async () => world.close());

  const publish = async (id: string): Promise<PublishError> => {
    const card = await world.card(`${id}/card.jpg`);
    return publishError(world.channel().publish(world.request(id, 'Kuota paspor dibuka pukul 14.00 WIB', [card])));
  };

  it.each([17, 32, 613] as const)('code %i with a regain estimate: rate-limited until the time Instagram gives', async (code) => {
    world.fake.settings.rateLimit = { code, until: after(START, 12 * MINUTE) };
    const error = await publish(`c${code}`);
    expect(error).toMatchObject({ kind: 'rate-limited', status: 400, code: `graph:${code}`, retryAt: after(START, 12 * MINUTE) });
    expect(error.message).toContain(`throttled (code ${code}, usage 100 %)`);
    expect(error.message).toContain('lets calls through again at 2026-11-27T06:12:00.000Z');
    expect(world.fake.published).toEqual([]);
  });

  it('a 403 answer with a throttling code is rate-limited too, not an auth or permanent refusal', async () => {
    world.fake.settings.rateLimit = { code: 32, until: after(START, 3 * MINUTE), status: 403 };
    expect(await publish('p403')).toMatchObject({ kind: 'rate-limited', status: 403, retryAt: after(START, 3 * MINUTE) });
  });

  it('code 4 (app limit, X-App-Usage only) and an answer without estimate: rate-limited with no reset, so the retry policy backs off', async () => {
    world.fake.settings.rateLimit = { code: 4, until: after(START, 30 * MINUTE) };
    const app = await publish('app');
    expect(app).toMatchObject({ kind: 'rate-limited', code: 'graph:4', retryAt: null });
    expect(app.message).toContain('throttled (code 4, usage 100 %); Instagram gave no time, will retry with backoff');

    world.fake.settings.rateLimit = { code: 613, until: after(START, 30 * MINUTE), withoutEstimate: true };
    expect(await publish('none')).toMatchObject({ kind: 'rate-limited', code: 'graph:613', retryAt: null });
  });

  it('publishes again once the limit has passed', async () => {
    world.fake.settings.rateLimit = { code: 613, until: after(START, 2 * MINUTE) };
    await publish('before');
    world.clock.set(after(START, 2 * MINUTE));
    const card = await world.card('later/card.jpg');
    await world.channel().publish(world.request('later', 'Kuota paspor dibuka pukul 14.00 WIB', [card]));
    expect(world.fake.published).toHaveLength(1);
  });
});

describe('schedule: Instagram rate limits against the deadline', () => {
  const ctx = useTestStore('sqlite');
  let world: InstagramWorld;
  beforeEach(async () => {
    world = await startInstagramWorld({ start: START.toISOString() });
  });
  afterEach(async () => world.close());

  async function seeded(deadlineMs: number): Promise<ReturnType<typeof createReconcileRig>> {
    const rig = createReconcileRig({ store: ctx.store, clock: world.clock, channels: [world.channel()], mediaRoot: world.dir });
    const card = { ...(await world.card('post-1/r1/card.jpg')), mime: 'image/jpeg' as const, alt: 'Kartu kuota paspor' };
    await rig.seed([{ n: 1, channelId: 'instagram', text: 'Kuota paspor dibuka pukul 14.00 WIB.', media: [card], dueAt: START, deadline: after(START, deadlineMs) }]);
    return rig;
  }

  it('a reset before the deadline is waited for, then the post goes out', async () => {
    const rig = await seeded(5 * MINUTE);
    world.fake.settings.rateLimit = { code: 613, until: after(START, 2 * MINUTE) };
    await rig.tickAt(START);
    expect(await rig.post(1)).toMatchObject({ state: 'retrying', nextAttemptAt: after(START, 2 * MINUTE) });
    await rig.tickAt(after(START, MINUTE));
    expect(world.fake.published).toEqual([]);
    await rig.tickAt(after(START, 2 * MINUTE));
    expect((await rig.post(1)).state).toBe('published');
    expect(world.fake.published).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });

  it('a reset after the deadline expires the post at once, saying why', async () => {
    const rig = await seeded(MINUTE);
    world.fake.settings.rateLimit = { code: 17, until: after(START, 10 * MINUTE) };
    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('expired');
    expect(rig.alerts.map((a) => a.kind)).toEqual(['expired']);
    expect(rig.alerts[0]!.message).toContain('the platform accepts no new attempt before 2026-11-27T06:10:00.000Z (its rate-limit reset), too late to finish before the deadline 2026-11-27T06:01:00.000Z');
  });
});
