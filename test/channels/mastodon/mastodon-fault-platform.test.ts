/**
 * The fault platform (test/faults/platforms/mastodon.platform.ts) produces
 * each armed fault as the driver sees it; the six-channel kill test relies on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMastodonChannel } from '../../../src/channels/mastodon/mastodon-channel';
import { systemClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import { startPlatform } from '../../faults/platforms/mastodon.platform';
import type { FaultPlatform } from '../../faults/platforms/platform';
import { mastodonConfig, publishError, publishRequest } from './mastodon-rig';

describe('faults/platforms/mastodon', () => {
  let platform: FaultPlatform;
  let dir: string;
  beforeEach(async () => {
    platform = await startPlatform({ mediaBaseUrl: 'http://127.0.0.1:1' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-mastodon-faults-'));
  });
  afterEach(async () => {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function channel() {
    const baseUrl = /baseUrl: "([^"]+)"/.exec(platform.channelYaml)![1]!;
    return createMastodonChannel(mastodonConfig({ baseUrl }), { clock: systemClock, logger: createSilentLogger(), outboxDir: dir, env: platform.secrets, fetch });
  }

  it('arms every fault on the status request, each seen by the driver as it should be', async () => {
    expect(platform.channelYaml).toMatch(/^\{ id: mastodon, driver: mastodon, baseUrl: "http:\/\/127\.0\.0\.1:\d+", credentials: \{ accessToken: MASTODON_TOKEN \} \}$/);
    expect(platform.arm('server-error')).toBe(true);
    expect((await publishError(channel().publish(publishRequest(dir, 'a', 'A')))).kind).toBe('unclear');
    expect(platform.published()).toEqual([]);

    expect(platform.arm('rate-limit')).toBe(true);
    const limited = await publishError(channel().publish(publishRequest(dir, 'b', 'B')));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(platform.published()).toEqual([]);

    expect(platform.arm('drop-after-create')).toBe(true);
    expect((await publishError(channel().publish(publishRequest(dir, 'c', 'C')))).kind).toBe('unclear');
    expect(platform.published().map((p) => p.text)).toEqual(['C']);

    expect(platform.arm('slow')).toBe(true);
    const slow = await channel().publish(publishRequest(dir, 'd', 'D'));
    expect(platform.published().map((p) => [p.text, p.remoteId])).toEqual([['C', expect.any(String)], ['D', slow.remoteId]]);
    expect(platform.calls().filter((c) => c === platform.createRoute)).toHaveLength(4);
  }, 30_000);
});
