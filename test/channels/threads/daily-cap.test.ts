/**
 * Threads allows 250 API posts per rolling 24 h (a carousel counts once). The
 * driver reads `threads_publishing_limit` before publishing and tells staff
 * (ChannelDeps.alert 'daily-cap') while the last slots go and when none is left.
 */
import type { ChannelAlertKind } from '../../../src/channels/channel';
import { createChannels } from '../../../src/channels/registry';
import { PLATFORM_LIMITS } from '../../../src/channels/platform-limits';
import { publishError, startThreadsWorld, type ThreadsWorld } from '../../fakes/threads/threads-setup';

describe('channels/threads daily cap', () => {
  let world: ThreadsWorld;

  beforeEach(async () => {
    world = await startThreadsWorld();
  });
  afterEach(async () => world.close());

  it('the platform entry: 250 a day, 500 UTF-8 bytes, JPEG and PNG, 10 cards', () => {
    expect(PLATFORM_LIMITS.threads).toMatchObject({ dailyCap: 250, maxTextLength: 500, imageMimes: ['image/jpeg', 'image/png'], maxImages: 10, maxAltTextLength: 1000 });
  });

  it('alerts with 2 and 1 slots left, stays quiet with more, and still publishes', async () => {
    const card = await world.card('cap/card.jpg');
    const channel = world.channel();
    world.fake.settings.quotaUsage = 247;
    await channel.publish(world.request('p247', 'Halo 1', [card]));
    expect(world.alerts).toEqual([]);
    await channel.publish(world.request('p248', 'Halo 2', [card]));
    await channel.publish(world.request('p249', 'Halo 3', [card]));
    expect(world.alerts.map((a) => [a.kind, a.message.match(/\d+ of 250 posts left/)?.[0]])).toEqual([
      ['daily-cap', '2 of 250 posts left'],
      ['daily-cap', '1 of 250 posts left'],
    ]);
    expect(world.alerts[0]!.message).toContain('threads channel "threads"');
    expect(world.fake.published).toHaveLength(3);
  });

  it('refuses to publish into a used-up quota: rate-limited, retried in an hour, alerted, nothing sent', async () => {
    const card = await world.card('full/card.jpg');
    world.fake.settings.quotaUsage = 250;
    const error = await publishError(world.channel().publish(world.request('full', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'rate-limited', code: 'quota-exhausted', retryAt: new Date('2026-11-27T07:00:00Z') });
    expect(world.alerts).toEqual([{ kind: 'daily-cap', message: expect.stringContaining('all 250 posts of the last 24 h are used') }]);
    expect(world.fake.requests.map((r) => r.route)).toEqual(['GET /{threads-user-id}/threads_publishing_limit']);
  });

  it('a quota refused by threads_publish itself (another app posted meanwhile): rate-limited', async () => {
    const card = await world.card('race/card.jpg');
    world.fake.settings.quotaUsage = 100;
    world.fake.faults.push({ route: 'POST /{threads-user-id}/threads_publish', status: 400, body: { error: { message: 'Application request limit reached', type: 'OAuthException', code: 9 } } });
    const error = await publishError(world.channel().publish(world.request('race', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T07:00:00.003Z') });
  });

  it('built through the registry (driver: threads), names its channel in alerts (many offices)', async () => {
    const card = await world.card('office/card.jpg');
    const named: (string | undefined)[] = [];
    const deps = { ...world.deps(), alert: (_kind: ChannelAlertKind, _message: string, channelId?: string) => void named.push(channelId) };
    const channel = createChannels([{ ...world.config, id: 'kanim-makassar/threads' }], deps).get('kanim-makassar/threads')!;
    expect(channel.driver).toBe('threads');
    world.fake.settings.quotaUsage = 249;
    await channel.publish(world.request('office', 'Halo', [card]));
    expect(named).toEqual(['kanim-makassar/threads']);
  });
});
