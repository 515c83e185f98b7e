/**
 * The fault tests' Facebook platform (test/faults/platforms/facebook.platform.ts)
 * does what it promises, driven by the real driver built from its channel YAML
 * values: each armed fault hits the creating call once, with the outcome kind
 * the six-channel kill test relies on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { PublishRequest } from '../../../src/channels/channel';
import { createFacebookChannel } from '../../../src/channels/facebook/facebook-channel';
import { PublishError } from '../../../src/channels/publish-error';
import { systemClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import { startPlatform } from '../../faults/platforms/facebook.platform';
import type { FaultPlatform } from '../../faults/platforms/platform';
import { requestFacts } from '../../support/publish-request';

describe('faults/platforms/facebook', () => {
  let platform: FaultPlatform;
  let dir: string;
  beforeAll(async () => {
    platform = await startPlatform({ mediaBaseUrl: 'http://127.0.0.1:1' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-fb-fault-'));
    fs.mkdirSync(path.join(dir, 'media'));
    fs.writeFileSync(path.join(dir, 'media/card.jpg'), await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#246' } }).jpeg().toBuffer());
  });
  afterAll(async () => {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const channel = () => {
    const yaml = platform.channelYaml;
    const baseUrl = /baseUrl: "([^"]+)"/.exec(yaml)![1]!;
    const pageId = /pageId: "(\d+)"/.exec(yaml)![1]!;
    return createFacebookChannel(
      { id: platform.id, driver: 'facebook', platform: 'facebook', baseUrl, pageId, credentials: { accessToken: 'FB_PAGE_TOKEN' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock: systemClock, logger: createSilentLogger(), outboxDir: dir, env: { ...platform.secrets }, fetch, requestTimeoutMs: 10_000 },
    );
  };
  const request = (postId: string, text: string): PublishRequest => ({
    postId,
    revision: 1,
    facts: requestFacts(),
    officeId: 'kanim-pontianak',
    channelId: 'facebook',
    kind: 'announcement',
    ruleId: 'opening',
    releaseId: null,
    scheduledAt: new Date(),
    deadline: null,
    post: { text, media: [{ file: 'media/card.jpg', mime: 'image/jpeg', width: 1080, height: 1350, bytes: 1, alt: 'Kartu kuota' }] },
    mediaRoot: dir,
  });
  const kindOf = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
      return 'published';
    } catch (error) {
      return error instanceof PublishError ? error.kind : 'other';
    }
  };

  it('arms each fault on the creating call once, with the outcome the kill test expects', async () => {
    expect(platform.createRoute).toBe('POST /{page-id}/feed');
    const outcomes: [string, string][] = [];
    for (const fault of ['server-error', 'rate-limit', 'drop-after-create', 'slow'] as const) {
      expect(platform.arm(fault)).toBe(true);
      outcomes.push([fault, await kindOf(channel().publish(request(fault, `Kuota ${fault}`)))]);
    }
    expect(outcomes).toEqual([
      ['server-error', 'unclear'],
      ['rate-limit', 'rate-limited'],
      ['drop-after-create', 'unclear'],
      ['slow', 'published'],
    ]);
    expect(platform.published().map((copy) => copy.text)).toEqual(['Kuota drop-after-create', 'Kuota slow']);
    expect(platform.calls().filter((route) => route === platform.createRoute)).toHaveLength(4);
    expect(platform.channelYaml).not.toContain(platform.secrets.FB_PAGE_TOKEN);
  });
});
