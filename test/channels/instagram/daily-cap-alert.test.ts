/**
 * The Instagram driver tells staff (ChannelDeps.alert) when the account's
 * rolling-24 h publishing limit is nearly or fully used, as the fake Graph
 * server reports it through content_publishing_limit.
 */
import type { ChannelAlertKind } from '../../../src/channels/channel';
import { createChannels } from '../../../src/channels/registry';
import { PublishError } from '../../../src/channels/publish-error';
import { SECRET_TOKEN, startInstagramWorld, type InstagramWorld } from '../../fakes/instagram/instagram-setup';

describe('channels/instagram daily-cap alerts', () => {
  let world: InstagramWorld;
  const alerts: { kind: ChannelAlertKind; message: string }[] = [];
  const alert = (kind: ChannelAlertKind, message: string): void => void alerts.push({ kind, message });

  beforeEach(async () => {
    world = await startInstagramWorld({ quotaTotal: 50 });
    alerts.length = 0;
  });
  afterEach(async () => world.close());

  it('alerts with 2 and 1 slots left, stays quiet with more, and still publishes', async () => {
    const card = await world.card('cap/card.jpg');
    const channel = world.channel({ deps: { alert } });
    world.fake.settings.quotaUsage = 47;
    await channel.publish(world.request('p47', 'Halo 1', [card]));
    expect(alerts).toEqual([]);
    await channel.publish(world.request('p48', 'Halo 2', [card]));
    await channel.publish(world.request('p49', 'Halo 3', [card]));
    expect(alerts.map((a) => a.kind)).toEqual(['daily-cap', 'daily-cap']);
    expect(alerts[0]!.message).toContain('2 of 50 posts left');
    expect(alerts[1]!.message).toContain('1 of 50 posts left');
    expect(alerts[0]!.message).toContain('instagram channel "instagram"');
    expect(world.fake.published).toHaveLength(3);
  });

  it('alerts when the limit is used up, and refuses to publish (rate-limited, retried in an hour)', async () => {
    const card = await world.card('full/card.jpg');
    world.fake.settings.quotaUsage = 50;
    const failure = await world.channel({ deps: { alert } }).publish(world.request('full', 'Halo', [card])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishError);
    expect(failure).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T07:00:00Z') });
    expect(alerts).toEqual([{ kind: 'daily-cap', message: expect.stringContaining('all 50 posts of the last 24 h are used') }]);
    expect(alerts[0]!.message).not.toContain(SECRET_TOKEN);
    expect(world.fake.published).toEqual([]);
  });

  it('built through the registry, names its channel, so the alert reaches that office (many offices)', async () => {
    const card = await world.card('office/card.jpg');
    const named: string[] = [];
    const deps = { ...world.deps(), alert: (_kind: ChannelAlertKind, _message: string, channelId?: string) => void named.push(channelId ?? '(none)') };
    const channel = createChannels([{ ...world.config, id: 'kanim-makassar/instagram' }], deps).get('kanim-makassar/instagram')!;
    world.fake.settings.quotaUsage = 49;
    await channel.publish(world.request('office', 'Halo', [card]));
    expect(named).toEqual(['kanim-makassar/instagram']);
  });

  it('without an alert callback it only logs', async () => {
    const card = await world.card('log/card.jpg');
    world.fake.settings.quotaUsage = 49;
    await world.channel().publish(world.request('log', 'Halo', [card]));
    expect(world.logLines.some((line) => line.includes('1 of 50 posts left'))).toBe(true);
  });
});
