/**
 * The fault platform (test/faults/platforms/bluesky.platform.ts) through the
 * real driver: every armed fault ends in exactly one post, never two.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBlueskyChannel } from '../../../src/channels/bluesky/bluesky-channel';
import type { Channel, PublishRequest } from '../../../src/channels/channel';
import { PublishError } from '../../../src/channels/publish-error';
import { systemClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import type { ArmedFault, FaultPlatform } from '../../faults/platforms/platform';
import { startPlatform } from '../../faults/platforms/bluesky.platform';
import { requestFacts } from '../../support/publish-request';

describe('faults/platforms/bluesky', () => {
  let platform: FaultPlatform;
  let dir: string;
  let channel: Channel;
  beforeEach(async () => {
    platform = await startPlatform({ mediaBaseUrl: 'http://media.invalid' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bsky-platform-'));
    const baseUrl = /baseUrl: "([^"]+)"/.exec(platform.channelYaml)![1]!;
    const handle = /handle: ([^,]+),/.exec(platform.channelYaml)![1]!;
    channel = createBlueskyChannel(
      { id: 'bluesky', driver: 'bluesky', platform: 'bluesky', baseUrl, handle, credentials: { appPassword: 'BLUESKY_APP_PASSWORD' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock: systemClock, logger: createSilentLogger(), outboxDir: dir, env: platform.secrets, fetch, stateDir: dir },
    );
  });
  afterEach(async () => {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const request = (postId: string): PublishRequest => ({
    postId,
    revision: 1,
    facts: requestFacts(),
    officeId: 'kanim-pontianak',
    channelId: 'bluesky',
    kind: 'announcement',
    ruleId: 'h-60m',
    releaseId: null,
    scheduledAt: new Date(),
    deadline: null,
    post: { text: `Kuota ${postId}`, media: [] },
    mediaRoot: dir,
  });

  it.each<ArmedFault>(['server-error', 'rate-limit', 'drop-after-create', 'slow'])('%s: one post after the driver retries as told', async (fault) => {
    expect(platform.arm(fault)).toBe(true);
    let outcome = await channel.publish(request(fault)).catch((error: unknown) => error);
    if (outcome instanceof PublishError) {
      expect(['transient', 'rate-limited']).toContain(outcome.kind);
      outcome = await channel.publish(request(fault));
    }
    expect(platform.published().map((p) => p.text)).toEqual([`Kuota ${fault}`]);
    expect(platform.calls()).toContain(platform.createRoute);
  }, 30_000);
});
