/**
 * One Instagram test world: the fake Graph server, the bot's real media server
 * serving a real JPEG card, a captured logger, and a factory for the real
 * driver pointed at the fake through `baseUrl`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Channel, ChannelDeps, PublishRequest } from '../../../src/channels/channel';
import { createInstagramChannel, type InstagramChannelOptions } from '../../../src/channels/instagram/instagram-channel';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { PublishError } from '../../../src/channels/publish-error';
import { createLogger } from '../../../src/logger';
import { startMediaServer, type MediaServer } from '../../../src/media-server/media-server';
import { startFakeInstagramServer, type FakeInstagramOptions, type FakeInstagramServer } from '../fake-instagram-server';
import { requestFacts } from '../../support/publish-request';

/** Recognisable secret values: a test fails if they show up anywhere but the token file. */
export const SECRET_TOKEN = 'IGAAsecretTOKEN-4f7c9d21-do-not-leak';

export interface InstagramWorld {
  dir: string;
  clock: VirtualClock;
  fake: FakeInstagramServer;
  media: MediaServer;
  logLines: string[];
  env: Record<string, string | undefined>;
  config: ChannelConfig;
  channel(overrides?: { config?: Partial<ChannelConfig>; deps?: Partial<ChannelDeps>; options?: InstagramChannelOptions }): Channel;
  /** The dependencies `channel` gives the driver (this world's clock, logger, media server, token). */
  deps(): ChannelDeps;
  /** Writes a real JPEG card under `<dir>/media/<name>` and returns its media-relative file. */
  card(name: string, width?: number, height?: number): Promise<{ file: string; bytes: number; width: number; height: number }>;
  request(postId: string, text: string, media: { file: string; bytes: number; width: number; height: number }[]): PublishRequest;
  close(): Promise<void>;
}

export const FAST_POLL: InstagramChannelOptions = { poll: { maxPolls: 5, initialDelayMs: 1, maxDelayMs: 2 }, requestTimeoutMs: 5000 };

export async function startInstagramWorld(options: FakeInstagramOptions & { start?: string } = {}): Promise<InstagramWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-ig-'));
  const clock = createVirtualClock(new Date(options.start ?? '2026-11-27T06:00:00Z'));
  const fake = await startFakeInstagramServer({ token: SECRET_TOKEN, now: () => clock.now(), pollsUntilFinished: 2, ...options });
  const media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://placeholder' });
  // Instagram would reach the public HTTPS address; the fake reaches the server directly.
  const publicUrl = (file: string): string => media.publicUrl(file).replace('http://placeholder', media.address);
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const env: Record<string, string | undefined> = { IG_ACCESS_TOKEN: SECRET_TOKEN };
  const config: ChannelConfig = {
    id: 'instagram',
    driver: 'instagram',
    platform: 'instagram',
    baseUrl: fake.url,
    credentials: { accessToken: 'IG_ACCESS_TOKEN' },
    accountId: fake.accountId,
    enabled: true,
    location: { file: 'herald.yaml', line: 12, col: 5 },
  };

  const deps = (): ChannelDeps => ({ clock, logger, outboxDir: path.join(dir, 'outbox'), env, fetch, publicMediaUrl: publicUrl, stateDir: dir });
  return {
    dir,
    clock,
    fake,
    media,
    logLines,
    env,
    config,
    deps,
    channel: (overrides = {}) => createInstagramChannel({ ...config, ...overrides.config }, { ...deps(), ...overrides.deps }, { ...FAST_POLL, ...overrides.options }),
    async card(name, width = 1080, height = 1350) {
      const file = `media/${name}`;
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      const data = await sharp({ create: { width, height, channels: 3, background: { r: 20, g: 80, b: 160 } } }).jpeg({ quality: 80 }).toBuffer();
      fs.writeFileSync(path.join(dir, file), data);
      return { file, bytes: data.length, width, height };
    },
    request: (postId, text, cards) => ({
      postId,
      revision: 1,
      facts: requestFacts(),
      officeId: 'kanim-pontianak',
      channelId: 'instagram',
      kind: 'announcement',
      ruleId: 'h-60m',
      releaseId: 'mingguan@2026-11-27',
      scheduledAt: clock.now(),
      deadline: new Date(clock.now().getTime() + 3_600_000),
      post: { text, media: cards.map((card, index) => ({ ...card, mime: 'image/jpeg' as const, alt: `Kartu ${index + 1}: kuota paspor` })) },
      mediaRoot: dir,
    }),
    async close() {
      await Promise.all([fake.close(), media.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every string a test can see that must never contain the token. */
export function visibleText(world: InstagramWorld, errors: unknown[]): string {
  const described = errors.map((error) => `${String(error)} ${JSON.stringify(error)} ${(error as Error)?.stack ?? ''}`);
  return [...world.logLines, ...described].join('\n');
}

/** The PublishError a publish call fails with (fails the test when it succeeds or throws anything else). */
export async function publishError(promise: Promise<unknown>): Promise<PublishError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError);
    return error as PublishError;
  }
  throw new Error('expected the publish to fail');
}
