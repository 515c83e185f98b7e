/**
 * The Telegram fault platform (test/faults/platforms/telegram.platform.ts)
 * works as the six-channel fault test uses it: its YAML makes a working
 * channel, what it arms happens on the next send, and route names never
 * carry the token.
 */
import { parse } from 'yaml';
import { createTelegramChannel } from '../../../src/channels/telegram/telegram-channel';
import { createVirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createSilentLogger } from '../../../src/logger';
import { startPlatform } from '../../faults/platforms/telegram.platform';
import { publishRequest, START } from './telegram-rig';

describe('faults/platforms/telegram', () => {
  it('publishes through its YAML, arms faults on the send, keeps the token out of route names', async () => {
    const platform = await startPlatform({ mediaBaseUrl: 'http://127.0.0.1:1' });
    try {
      const yaml = parse(platform.channelYaml) as Omit<ChannelConfig, 'platform' | 'enabled' | 'location'>;
      const channel = createTelegramChannel({ ...yaml, platform: 'telegram', enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } }, {
        clock: createVirtualClock(START),
        logger: createSilentLogger(),
        outboxDir: '/nonexistent',
        env: platform.secrets,
        fetch,
      });
      expect(platform.arm('server-error')).toBe(false);
      expect(platform.arm('rate-limit')).toBe(true);
      await expect(channel.publish(publishRequest('/nonexistent', 'p1', 'Kuota dibuka'))).rejects.toMatchObject({ kind: 'rate-limited' });
      expect(platform.arm('drop-after-create')).toBe(true);
      await expect(channel.publish(publishRequest('/nonexistent', 'p1', 'Kuota dibuka'))).rejects.toMatchObject({ kind: 'unclear' });
      const result = await channel.publish(publishRequest('/nonexistent', 'p2', 'Kuota kedua'));

      expect(platform.published().map((p) => [p.text, p.remoteId])).toEqual([
        ['Kuota dibuka', '1'],
        ['Kuota kedua', '2'],
      ]);
      expect(result.remoteId).toBe('2');
      expect(platform.calls()).toEqual(['POST /bot<token>/getChat', platform.createRoute, platform.createRoute, platform.createRoute]);
      expect(JSON.stringify(platform.calls())).not.toContain(Object.values(platform.secrets)[0]);
    } finally {
      await platform.close();
    }
  });
});
