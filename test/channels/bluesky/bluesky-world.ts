/**
 * One Bluesky test world: the fake PDS, a virtual clock it follows, a data
 * directory with cards, and channels of the real driver (each a fresh
 * "instance" unless given the same vault).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBlueskyChannel, type BlueskyChannelOptions } from '../../../src/channels/bluesky/bluesky-channel';
import type { Channel, ChannelDeps, PublishRequest } from '../../../src/channels/channel';
import { createVirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createLogger } from '../../../src/logger';
import type { RenderedMedia } from '../../../src/render/types';
import { startFakeBlueskyServer, type FakeBlueskyOptions, type FakeBlueskyServer } from '../../fakes/fake-bluesky-server';
import { requestFacts } from '../../support/publish-request';

/** Recognisable, so a test can grep every log line and error for it. */
export const SECRET_APP_PASSWORD = 'secr-etap-ppwd-9q7z';

export interface BlueskyWorld {
  fake: FakeBlueskyServer;
  clock: ReturnType<typeof createVirtualClock>;
  dir: string;
  logLines: string[];
  config: ChannelConfig;
  channel(options?: { deps?: Partial<ChannelDeps>; options?: BlueskyChannelOptions; config?: Partial<ChannelConfig> }): Channel;
  /** A card file of `bytes` bytes under the data directory. */
  card(name: string, bytes?: number, alt?: string): RenderedMedia;
  request(postId: string, text: string, media: RenderedMedia[], revision?: number): PublishRequest;
  close(): Promise<void>;
}

export async function startBlueskyWorld(options: { start?: string; fake?: Partial<FakeBlueskyOptions> } = {}): Promise<BlueskyWorld> {
  const clock = createVirtualClock(new Date(options.start ?? '2026-11-27T06:00:00Z'));
  const fake = await startFakeBlueskyServer({ appPassword: SECRET_APP_PASSWORD, now: () => clock.now(), ...options.fake });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bluesky-'));
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const config: ChannelConfig = {
    id: 'bluesky',
    driver: 'bluesky',
    platform: 'bluesky',
    baseUrl: fake.url,
    handle: fake.handle,
    credentials: { appPassword: 'BLUESKY_APP_PASSWORD' },
    enabled: true,
    location: { file: 'herald.yaml', line: 12, col: 5 },
  };
  return {
    fake,
    clock,
    dir,
    logLines,
    config,
    channel: (extra = {}) =>
      createBlueskyChannel(
        { ...config, ...extra.config },
        { clock, logger, outboxDir: dir, env: { BLUESKY_APP_PASSWORD: SECRET_APP_PASSWORD }, fetch, stateDir: dir, requestTimeoutMs: 5_000, ...extra.deps },
        extra.options,
      ),
    card(name, bytes = 2048, alt = `Kartu kuota ${name}`) {
      const file = path.join('media', name);
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      const data = Buffer.alloc(bytes, 7);
      data[0] = 0xff;
      data[1] = 0xd8;
      fs.writeFileSync(path.join(dir, file), data);
      return { file, mime: 'image/jpeg', width: 1080, height: 1350, bytes, alt };
    },
    request: (postId, text, media, revision = 1) => ({
      postId,
      revision,
      facts: requestFacts(),
      officeId: 'kanim-pontianak',
      channelId: 'bluesky',
      kind: 'announcement',
      ruleId: 'h-60m',
      releaseId: 'mingguan@2026-11-27',
      scheduledAt: new Date('2026-11-27T06:00:00Z'),
      deadline: new Date('2026-11-27T07:00:00Z'),
      post: { text, media },
      mediaRoot: dir,
    }),
    async close() {
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
