/**
 * test/faults/platforms/threads.platform.ts as the six-channel kill test uses
 * it: its channel YAML drives the real driver, its cards come from the bot's
 * media server, and each armed fault does what platform.ts promises.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { parse } from 'yaml';
import type { Channel, PublishRequest } from '../../../src/channels/channel';
import { createThreadsChannel } from '../../../src/channels/threads/threads-channel';
import { createVirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createSilentLogger } from '../../../src/logger';
import { startMediaServer, type MediaServer } from '../../../src/media-server/media-server';
import { requestFacts } from '../../support/publish-request';
import type { FaultPlatform } from '../../faults/platforms/platform';
import { startPlatform } from '../../faults/platforms/threads.platform';
import { publishError } from '../../fakes/threads/threads-setup';

describe('test/faults/platforms/threads.platform', () => {
  let dir: string;
  let media: MediaServer;
  let platform: FaultPlatform;
  let channel: Channel;
  const clock = createVirtualClock(new Date());

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-threads-fault-'));
    fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'media', 'card.jpg'), await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#123456' } }).jpeg().toBuffer());
    // As in the fault office: a public address that is not where the server listens.
    media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'https://media.example.org/herald' });
    platform = await startPlatform({ mediaBaseUrl: media.address });
    const yaml = parse(platform.channelYaml) as Pick<ChannelConfig, 'id' | 'driver' | 'baseUrl' | 'accountId' | 'credentials'>;
    expect(yaml).toMatchObject({ id: 'threads', driver: 'threads', credentials: { accessToken: 'THREADS_ACCESS_TOKEN' } });
    channel = createThreadsChannel(
      { ...yaml, platform: 'threads', enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock, logger: createSilentLogger(), outboxDir: dir, env: { ...platform.secrets }, fetch, publicMediaUrl: (file) => media.publicUrl(file), stateDir: dir },
      { poll: { maxPolls: 5, initialDelayMs: 1, maxDelayMs: 1 }, requestTimeoutMs: 1000 },
    );
  });
  afterAll(async () => {
    await Promise.all([platform.close(), media.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const request = (postId: string): PublishRequest => ({
    postId,
    revision: 1,
    facts: requestFacts(),
    officeId: 'fault-office',
    channelId: 'threads',
    kind: 'announcement',
    ruleId: 'h-60m',
    releaseId: null,
    scheduledAt: clock.now(),
    deadline: null,
    post: { text: `Kuota ${postId}`, media: [{ file: 'media/card.jpg', mime: 'image/jpeg', width: 1080, height: 1350, bytes: 1000, alt: 'Kartu' }] },
    mediaRoot: dir,
  });

  it('publishes through the channel YAML, the card fetched from the media server', async () => {
    const result = await channel.publish(request('ok'));
    expect(platform.published()).toEqual([{ text: 'Kuota ok', at: expect.any(Date), remoteId: result.remoteId }]);
    expect(platform.calls()).toContain(platform.createRoute);
  });

  it('arms every fault kind, each giving the driver the answer it promises', async () => {
    expect(platform.arm('server-error')).toBe(true);
    expect((await publishError(channel.publish(request('s5')))).kind).toBe('unclear');
    expect(platform.arm('rate-limit')).toBe(true);
    expect(await publishError(channel.publish(request('rl')))).toMatchObject({ kind: 'rate-limited', retryAt: new Date(clock.now().getTime() + 2000) });
    const before = platform.published().length;
    expect(platform.arm('drop-after-create')).toBe(true);
    expect((await publishError(channel.publish(request('drop')))).kind).toBe('unclear');
    expect(platform.published()).toHaveLength(before + 1);
    expect(platform.arm('slow')).toBe(true);
    // Over this test's 1 s request timeout: created, the answer lost.
    expect((await publishError(channel.publish(request('slow')))).kind).toBe('unclear');
    expect(platform.published().map((p) => p.text)).toEqual(['Kuota ok', 'Kuota drop', 'Kuota slow']);
  });
});
